// A run's events as strace writes them, for the learner's `run` and notebook cells.

import Syscalls

enum TraceLines {
    static func render(_ run: ProgramRun, afterMainOnly: Bool) -> [String] {
        let events = run.events.filter { !afterMainOnly || $0.phase == .program || !run.sawMain }
        let several = Set(events.map(\.pid)).count > 1
        return events.map { event in
            let prefix = several ? "[pid \(event.pid)] " : ""
            switch event.kind {
            case .syscall(let call):
                return prefix + "\(call.name)(\(call.renderedArguments)) = \(call.renderedReturn)"
            case .signal(let signal):
                return prefix + "--- \(signalName(signal.signal)) \(signal.rendered) ---"
            case .spawned(let child, let isThread):
                return prefix + "(\(isThread ? "thread" : "process") \(child) started)"
            case .exit(.exited(let status)):
                return prefix + "+++ exited with \(status) +++"
            case .exit(.killed(let signal, let core)):
                return prefix + "+++ killed by \(signalName(signal))\(core ? " (core dumped)" : "") +++"
            }
        }
    }

    static func signalName(_ signal: Int32) -> String {
        let names: [Int32: String] = [1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
                                      8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE",
                                      14: "SIGALRM", 15: "SIGTERM", 17: "SIGCHLD", 24: "SIGXCPU", 25: "SIGXFSZ"]
        return names[signal] ?? "SIG\(signal)"
    }
}
