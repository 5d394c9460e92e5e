// Where in the learner's program an observed event came from (`TraceEvent.source`), so
// feedback can quote that line.

import Syscalls

extension TraceModel {
    /// The source line of event `index`, when the trace was asked for source lines.
    func source(_ index: Int) -> EventSource? {
        guard index >= 0, index < run.events.count else { return nil }
        return run.events[index].source
    }
}
