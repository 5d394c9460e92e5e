// When a run's recorded trace reached the tracer's byte budget (TraceRequest.keptBytesLimit):
// what was not kept. A program that writes 64 KiB to /dev/null a hundred thousand times would
// otherwise make the tracer hold gigabytes; past the budget it keeps counting, not keeping.

/// What the tracer did not keep of a run whose trace reached its budget.
public struct TraceCut: Codable, Sendable, Hashable {
    /// The budget, in bytes, for everything kept of the run's events.
    public var budgetBytes: Int
    /// Events observed (and passed to any `onEvent` listener) but not recorded.
    public var eventsNotKept: Int
    /// Recorded events whose captured buffer (`SyscallEvent.data`) was dropped: buffers may
    /// take a quarter of the budget; the events themselves are kept.
    public var buffersNotKept: Int
    /// The sequence number of the first event not kept whole (nil: none was).
    public var firstCutSequence: Int?

    public init(budgetBytes: Int, eventsNotKept: Int = 0, buffersNotKept: Int = 0, firstCutSequence: Int? = nil) {
        self.budgetBytes = budgetBytes
        self.eventsNotKept = eventsNotKept
        self.buffersNotKept = buffersNotKept
        self.firstCutSequence = firstCutSequence
    }

    /// One line for a trace or a report: what was cut. `counted`: with how much was left out
    /// (not for a run stopped by a time limit, where that depends on the machine's speed).
    public func note(counted: Bool = true) -> String {
        let budget = budgetBytes >= 1 << 20 ? "\(budgetBytes >> 20) MiB" : "\(budgetBytes) bytes"
        var parts: [String] = []
        if buffersNotKept > 0 {
            parts.append(counted ? "the data of \(buffersNotKept) call\(buffersNotKept == 1 ? "" : "s") was not kept"
                                 : "the data of later calls was not kept")
        }
        if eventsNotKept > 0 {
            parts.append(counted ? "\(eventsNotKept) later event\(eventsNotKept == 1 ? " was" : "s were") not kept"
                                 : "later events were not kept")
        }
        return "trace cut at its \(budget) budget: " + (parts.isEmpty ? "nothing was lost" : parts.joined(separator: ", "))
    }
}
