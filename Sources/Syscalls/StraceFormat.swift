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
        var text = prefix(event.pid, pidPrefix)
        switch event.kind {
        case .syscall(let call):
            text += call.name
            text += "("
            text += call.renderedArguments
            text += ") "   // strace: ") ", then spaces up to column 40, then "= "
            let width = text.utf8.count
            if width < returnColumn { text += spaces[returnColumn - width] }
            text += "= "
            text += call.renderedReturn
        case .signal(let signal):
            text += "--- \(SignalTable.name(of: signal.signal)) \(signal.rendered) ---"
        case .exit(let exit):
            text += exitText(exit)
        case .spawned:
            return ""
        case .libraryCall(let call):
            text += call.text
        }
        return text
    }

    /// `+++ exited with 42 +++`, `+++ killed by SIGSEGV (core dumped) +++`.
    public static func exitText(_ exit: ProcessExit) -> String {
        switch exit {
        case .exited(let status): return "+++ exited with \(status) +++"
        case .killed(let signal, let core): return "+++ killed by \(SignalTable.name(of: signal))\(core ? " (core dumped)" : "") +++"
        }
    }

    /// `name(args) = ret` of a call alone, without pid prefix or padding (for explanations).
    public static func call(_ call: SyscallEvent) -> String {
        "\(call.name)(\(call.renderedArguments)) = \(call.renderedReturn)"
    }

    /// `spaces[n]` is n spaces (n ≤ 40): String(repeating:count:) costs more than the rest of a
    /// line, and the tracer renders one line per syscall.
    static let spaces: [String] = (0...returnColumn).map { String(repeating: " ", count: $0) }

    static func prefix(_ pid: Int32, _ style: PidPrefix) -> String {
        switch style {
        case .none:
            return ""
        case .bracketed:
            let digits = String(pid)
            return "[pid " + spaces[max(0, 5 - digits.count)] + digits + "] "
        case .column:
            let digits = String(pid)
            return digits + spaces[max(0, 5 - digits.count)] + " "
        }
    }
}
