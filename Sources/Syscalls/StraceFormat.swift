// One trace event → the line strace 6.1 prints for it (without the trailing newline).

public enum StraceFormat {
    /// How the line starts when several processes are traced.
    public enum PidPrefix: Sendable {
        /// No prefix (one process).
        case none
        /// `[pid  1234] `: strace writing to stderr once several processes live (`[pid %5u] `).
        case bracketed
        /// `1234  `: strace writing with `-f -o FILE` (`%-5d `), on every line.
        case column
    }

    /// strace's `acolumn`: after `name(args) ` it pads with spaces up to this column (counted
    /// from the start of the line, pid prefix included) and prints `= ret`.
    public static let returnColumn = 40

    /// strace's line for `event`; `showPid` gives the `[pid  123] ` prefix. A `.spawned` event
    /// has no strace line: the result is empty.
    public static func line(_ event: TraceEvent, showPid: Bool) -> String {
        line(event, pidPrefix: showPid ? .bracketed : .none)
    }

    public static func line(_ event: TraceEvent, pidPrefix: PidPrefix) -> String {
        if case .syscall(let call) = event.kind {
            return syscallLine(call, pid: event.pid, pidPrefix: pidPrefix)
        }
        guard let body = text(event) else { return "" }
        var prefix: [UInt8] = []
        appendPrefix(event.pid, pidPrefix, to: &prefix)
        return String(decoding: prefix, as: UTF8.self) + body
    }

    /// An event's line without pid prefix or padding (`mmap(NULL, 4096, …) = 0x7f…`,
    /// `--- SIGSEGV {…} ---`, `+++ exited with 0 +++`), as explanations, reports and pictures
    /// show it; nil for a `.spawned` event, which strace prints no line for.
    /// `arguments` replaces a call's argument text (a report hides getrandom's random bytes).
    public static func text(_ event: TraceEvent, arguments: ((SyscallEvent) -> String)? = nil) -> String? {
        switch event.kind {
        case .syscall(let call):
            return self.call(call, arguments: arguments?(call))
        case .signal(let signal):
            return signalText(signal)
        case .exit(let exit):
            return exitText(exit)
        case .spawned:
            return nil
        case .libraryCall(let call):
            return call.text
        }
    }

    /// `name(args) ` padded to the return column, then `= ret`.
    static func syscallLine(_ call: SyscallEvent, pid: Int32, pidPrefix: PidPrefix) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(returnColumn + call.renderedArguments.utf8.count + call.renderedReturn.utf8.count + 32)
        appendSyscallLine(call, pid: pid, pidPrefix: pidPrefix, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `event`'s line and a newline to `bytes` (nothing for an event without a line):
    /// the tracer's output path, which writes a line per syscall without making a String of it.
    public static func appendLine(_ event: TraceEvent, pidPrefix: PidPrefix, to bytes: inout [UInt8]) {
        if case .syscall(let call) = event.kind {
            appendSyscallLine(call, pid: event.pid, pidPrefix: pidPrefix, to: &bytes)
        } else {
            let text = line(event, pidPrefix: pidPrefix)
            guard !text.isEmpty else { return }
            bytes.append(contentsOf: text.utf8)
        }
        bytes.append(0x0a)
    }

    static func appendSyscallLine(_ call: SyscallEvent, pid: Int32, pidPrefix: PidPrefix, to bytes: inout [UInt8]) {
        let start = bytes.count
        appendPrefix(pid, pidPrefix, to: &bytes)
        bytes.append(contentsOf: call.name.utf8)
        bytes.append(0x28)  // (
        bytes.append(contentsOf: call.renderedArguments.utf8)
        appendReturn(call, lineStart: start, to: &bytes)
    }

    /// The end of a call's line, after its arguments: `) `, spaces up to the return column
    /// (counted from `lineStart`, pid prefix included), `= ` and the return value.
    static func appendReturn(_ call: SyscallEvent, lineStart: Int, to bytes: inout [UInt8]) {
        bytes.append(0x29)  // )
        bytes.append(0x20)
        let width = bytes.count - lineStart
        if width < returnColumn { bytes.append(contentsOf: repeatElement(0x20, count: returnColumn - width)) }
        bytes.append(0x3d)  // =
        bytes.append(0x20)
        bytes.append(contentsOf: call.renderedReturn.utf8)
    }

    /// `--- SIGSEGV {si_signo=SIGSEGV, …} ---`.
    public static func signalText(_ signal: SignalEvent) -> String {
        "--- \(SignalTable.name(of: signal.signal)) \(signal.rendered) ---"
    }

    /// `+++ exited with 42 +++`, `+++ killed by SIGSEGV (core dumped) +++`.
    public static func exitText(_ exit: ProcessExit) -> String {
        switch exit {
        case .exited(let status): return "+++ exited with \(status) +++"
        case .killed(let signal, let core): return "+++ killed by \(SignalTable.name(of: signal))\(core ? " (core dumped)" : "") +++"
        }
    }

    /// `name(args) = ret` of a call alone, without pid prefix or padding; `name` and
    /// `arguments` replace the call's own when given.
    public static func call(_ call: SyscallEvent, name: String? = nil, arguments: String? = nil) -> String {
        "\(name ?? call.name)(\(arguments ?? call.renderedArguments)) = \(call.renderedReturn)"
    }

    static func appendPrefix(_ pid: Int32, _ style: PidPrefix, to bytes: inout [UInt8]) {
        switch style {
        case .none:
            break
        case .bracketed:
            let digits = IntegerText.decimal(Int64(pid)).utf8
            bytes.append(contentsOf: "[pid ".utf8)
            bytes.append(contentsOf: repeatElement(0x20, count: max(0, 5 - digits.count)))
            bytes.append(contentsOf: digits)
            bytes.append(contentsOf: "] ".utf8)
        case .column:
            let digits = IntegerText.decimal(Int64(pid)).utf8
            bytes.append(contentsOf: digits)
            bytes.append(contentsOf: repeatElement(0x20, count: max(0, 5 - digits.count)))
            bytes.append(0x20)
        }
    }
}
