// The part of a trace shown with a failed case: strace-rendered lines after `main`, capped,
// centred on the event the matcher found nearest to what was expected.

import Syscalls

enum TraceExcerpt {
    /// Strace lines for the events after `main` (all events when no `main` marker was seen).
    static func render(_ run: ProgramRun) -> [String] {
        let events = run.events.filter { $0.phase == .program || !run.sawMain }
        let processes = Set(events.map(\.pid))
        let prefixed = processes.count > 1
        return events.compactMap { event in
            guard let body = line(for: event) else { return nil }
            return prefixed ? "[pid \(event.pid)] \(body)" : body
        }
    }

    static func line(for event: TraceEvent) -> String? {
        switch event.kind {
        case .syscall(let call):
            return "\(call.name)(\(call.renderedArguments)) = \(call.renderedReturn)"
        case .signal(let signal):
            return "--- \(signalName(signal.signal)) \(signal.rendered) ---"
        case .spawned:
            return nil
        case .exit(.exited(let status)):
            return "+++ exited with \(status) +++"
        case .exit(.killed(let signal, let core)):
            return "+++ killed by \(signalName(signal))\(core ? " (core dumped)" : "") +++"
        }
    }

    /// At most `limit` lines: a window around `nearest` when it is in the trace, else the
    /// beginning and the last line (how the program ended).
    /// With `preferEnd`, the last lines (how a run that was stopped or crashed ended).
    static func lines(of run: ProgramRun, around nearest: String?, limit: Int, preferEnd: Bool = false) -> [String] {
        let all = render(run)
        guard all.count > limit, limit >= 3 else { return all }
        if let nearest, let index = all.firstIndex(where: { $0 == nearest || $0.hasSuffix(nearest) }) {
            let lower = max(0, min(index - limit / 2, all.count - limit))
            var window = Array(all[lower..<(lower + limit)])
            if lower > 0 { window[0] = "… (\(lower + 1) earlier lines)" }
            let after = all.count - (lower + limit)
            if after > 0 { window[window.count - 1] = "… (\(after + 1) later lines)" }
            return window
        }
        if preferEnd {
            return ["… (\(all.count - limit + 1) earlier lines)"] + all.suffix(limit - 1)
        }
        let head = Array(all.prefix(limit - 2))
        return head + ["… (\(all.count - head.count - 1) more lines)", all[all.count - 1]]
    }

    static func signalName(_ number: Int32) -> String {
        let names = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
                     8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
                     14: "SIGALRM", 15: "SIGTERM", 16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP",
                     20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ",
                     26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR", 31: "SIGSYS"]
        return names[Int(number)] ?? "SIG\(number)"
    }
}
