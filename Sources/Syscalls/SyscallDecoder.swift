// Decoders: raw registers and tracee memory in, strace-identical text out.
// PLACEHOLDER rendering until the decoding work lands: every call in strace's plain form.

public enum SyscallDecoder {
    /// Called at syscall entry while the tracee is stopped.
    public static func entry(number: Int, arguments: [UInt64], memory: TraceeMemory) -> SyscallEntry {
        SyscallEntry(number: number, arguments: arguments)
    }

    /// Called at syscall exit (returnValue nil when the call never returns, e.g. exit_group).
    public static func exit(_ entry: SyscallEntry, returnValue: Int64?, memory: TraceeMemory) -> SyscallEvent {
        let rendered = entry.arguments.map { "0x" + String($0, radix: 16) }.joined(separator: ", ")
        return SyscallEvent(number: entry.number, name: "syscall_\(entry.number)", arguments: entry.arguments,
                            returnValue: returnValue, renderedArguments: rendered,
                            renderedReturn: returnValue.map { String($0) } ?? "?")
    }

    /// Decodes a raw x86_64 `siginfo_t` (128 bytes, as PTRACE_GETSIGINFO fills it).
    public static func signal(siginfo: [UInt8]) -> SignalEvent {
        let signo = siginfo.count >= 4 ? Int32(siginfo[0]) | Int32(siginfo[1]) << 8 : 0
        return SignalEvent(signal: signo, code: 0, rendered: "{si_signo=\(signo)}")
    }
}
