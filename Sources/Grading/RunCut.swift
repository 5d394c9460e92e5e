// A run stopped by the time limit or the output limit was cut wherever the machine's speed
// put the kill: how many writes got through, which call was under way. Its report shows how
// the run began, which repeats, and never how far it got, which does not.

import Expectations
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
        let stopped = status == .timeout ? "… (stopped by the time limit)" : "… (stopped by the output limit)"
        let kept = max(1, limit - 1)
        let (first, total) = TraceExcerpt.first(kept, of: run, names: names)
        // A short trace is shown whole but for its end: the call the kill interrupted.
        let calls = total > kept ? first : first.filter { !$0.hasSuffix(" = ?") && !$0.hasPrefix("+++") && !$0.contains("] +++") }
        return calls + [stopped]
    }

    /// The matcher's nearest event as a report shows it: pids named, getrandom's random bytes
    /// hidden, and none at all when it is a call made before `main` (the loader's calls, such
    /// as its `munmap` of /etc/ld.so.cache, depend on the machine, not on the learner).
    static func shownNearest(_ failure: MatchFailure, in run: ProgramRun, names: PidNames) -> String? {
        guard var nearest = failure.nearest else { return nil }
        if let number = failure.nearestEvent, let event = run.events.first(where: { $0.sequence == number }),
           case .syscall(let call) = event.kind {
            if run.sawMain && event.phase == .startup { return nil }
            // the matcher's text is the call's, after a pid prefix
            let plain = StraceFormat.call(call)
            if nearest.hasSuffix(plain) {
                nearest = String(nearest.dropLast(plain.count)) + StraceFormat.call(call, arguments: TraceExcerpt.stableArguments(call))
            }
        }
        return names.apply(toLine: nearest)
    }
}
