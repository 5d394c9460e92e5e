// The tracer's byte budget for what it keeps of one run (TraceRequest.keptBytesLimit).
// Whatever a traced program does, the events recorded for it take at most this much memory:
// captured buffers (a `write`'s 64 KiB) may use a quarter of it, then later events are kept
// without their buffer; once the whole budget is used, later events are counted, passed to
// `onEvent` listeners, and not kept. ProgramRun.cut says what was left out.

import Syscalls

struct CaptureBudget {
    let limit: Int
    var dataLimit: Int { limit / 4 }
    private(set) var keptBytes = 0
    private(set) var dataBytes = 0
    private(set) var cut: TraceCut?

    init(limit: Int) {
        self.limit = max(limit, 0)
    }

    /// Whether `event` may be recorded; drops its captured buffer when buffers used their share.
    mutating func admit(_ event: inout TraceEvent) -> Bool {
        if case .syscall(var call) = event.kind, let data = call.data, !data.isEmpty {
            if dataBytes + data.count > dataLimit {
                call.data = nil
                event.kind = .syscall(call)
                noteCut(at: event.sequence) { $0.buffersNotKept += 1 }
            } else {
                dataBytes += data.count
            }
        }
        let cost = event.keptBytes
        guard keptBytes + cost <= limit else {
            noteCut(at: event.sequence) { $0.eventsNotKept += 1 }
            return false
        }
        keptBytes += cost
        return true
    }

    private mutating func noteCut(at sequence: Int, _ change: (inout TraceCut) -> Void) {
        var current = cut ?? TraceCut(budgetBytes: limit, firstCutSequence: sequence)
        change(&current)
        cut = current
    }
}

extension TraceEvent {
    /// What keeping this event costs in memory, as the process pays it: its slot in the events
    /// array (counted twice: the array grows by doubling, so up to half its room is spare), and
    /// each heap block of its arrays and of strings too long to live inline (Swift keeps up to
    /// 15 UTF-8 bytes inline) with malloc's header and rounding. Counting only the payloads
    /// made a full 64 MiB budget take ~100 MiB of a grading worker's memory.
    var keptBytes: Int {
        func block(_ payload: Int) -> Int { (payload + 8 + 15) & ~15 }  // glibc: 8-byte header, 16-byte chunks
        func text(_ string: String?) -> Int {
            guard let string else { return 0 }
            let count = string.utf8.count
            return count > 15 ? block(32 + count) : 0
        }
        var bytes = 2 * MemoryLayout<TraceEvent>.stride + text(source?.file) + text(source?.function)
        switch kind {
        case .syscall(let call):
            bytes += block(32 + call.arguments.count * 8) + text(call.name) + text(call.renderedArguments) + text(call.returnText)
            if !call.argumentSpans.isEmpty { bytes += block(32 + call.argumentSpans.count * MemoryLayout<ArgumentSpan>.stride) }
            if let data = call.data { bytes += block(32 + data.count) }
        case .signal(let signal):
            bytes += text(signal.rendered)
        case .libraryCall(let call):
            bytes += block(32 + call.arguments.count * 8) + text(call.function) + text(call.renderedArguments) + text(call.renderedReturn)
        case .spawned, .exit:
            break
        }
        return bytes
    }
}
