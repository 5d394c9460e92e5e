// A run stopped by the time limit or the output limit was cut wherever the machine's speed
// put the kill: how many writes got through, which call was under way. Its report shows how
// the run began, which repeats, and never how far it got, which does not.

import Sandbox
import Syscalls
import Vocabulary

enum RunCut {
    /// Statuses whose stopping point depends on timing (a memory limit is hit at the same
    /// allocation every time, a signal at the same instruction).
    static func isCutByTiming(_ status: Status) -> Bool {
        status == .timeout || status == .outputLimit
    }

    /// The first lines of the trace after `main`, then one line saying the run was stopped.
    static func beginning(of run: ProgramRun, names: PidNames, limit: Int, status: Status) -> [String] {
        let all = TraceExcerpt.render(run, names: names)
        let stopped = status == .timeout ? "… (stopped by the time limit)" : "… (stopped by the output limit)"
        let kept = max(1, limit - 1)
        // A short trace is shown whole but for its end: the call the kill interrupted.
        let calls = all.count > kept ? Array(all.prefix(kept)) : Array(all.filter { !$0.hasSuffix(" = ?") && !$0.hasPrefix("+++") && !$0.contains("] +++") }.prefix(kept))
        return calls + [stopped]
    }

    /// The matcher's nearest event as a report shows it: pids named, getrandom's random bytes
    /// hidden, and none at all when it happened before `main` (the loader's calls, such as its
    /// `munmap` of /etc/ld.so.cache, depend on the machine, not on the learner).
    static func shownNearest(_ nearest: String?, in run: ProgramRun, names: PidNames) -> String? {
        guard let nearest else { return nil }
        if run.sawMain, let body = nearest.split(separator: "] ", maxSplits: 1).last.map(String.init),
           body.contains("("), body.contains(" = ") {
            let matches = { (event: TraceEvent) -> Bool in
                guard case .syscall(let call) = event.kind else { return false }
                return "\(call.name)(\(call.renderedArguments)) = \(call.renderedReturn)" == body
            }
            let afterMain = run.events.contains { $0.phase == .program && matches($0) }
            if !afterMain && run.events.contains(where: { $0.phase == .startup && matches($0) }) { return nil }
        }
        return names.apply(toLine: TraceExcerpt.stableLine(nearest))
    }
}
