// Calls the tracer failed on purpose (fault injection, module Tracing's FaultInjection.swift).

extension SyscallEvent {
    /// True when the tracer made this call fail (or return) on purpose: its return is
    /// rendered, as strace renders it, with ` (INJECTED)` at the end. The kernel never ran
    /// it (or, for `brk`, ran it as `brk(0)`): checks that read the kernel's answer (memory
    /// limits) must skip it.
    public var injected: Bool { renderedReturn.hasSuffix(" (INJECTED)") }
}
