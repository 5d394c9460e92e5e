// The tracer's byte budget for one run (CaptureBudget.swift), without a kernel: buffers stop
// being kept at a quarter of it, events at all of it, and the cut says what was left out.

import Testing
import EventBuilder
import Syscalls
@testable import Tracing

@Suite struct CaptureBudgetTests {
    func write(_ sequence: Int, bytes: Int) -> TraceEvent {
        let call = EventBuilder.call("write", [3, 0x1000, UInt64(bytes)], Int64(bytes), data: [UInt8](repeating: 0x78, count: bytes))
        return TraceEvent(sequence: sequence, pid: 100, phase: .program, kind: .syscall(call))
    }

    @Test func buffersGoFirstThenEvents() {
        var budget = CaptureBudget(limit: 1 << 20)
        var kept: [TraceEvent] = []
        for sequence in 0..<10_000 {
            var event = write(sequence, bytes: 65536)
            if budget.admit(&event) { kept.append(event) }
        }
        // Four 64 KiB buffers fit in a quarter of 1 MiB (with the events' own bytes, three).
        let buffers = kept.filter { $0.syscall?.data != nil }
        #expect(buffers.count >= 3 && buffers.count <= 4)
        #expect(kept.reduce(0) { $0 + $1.keptBytes } <= 1 << 20)
        #expect(kept.count < 10_000)
        let cut = budget.cut
        #expect(cut?.budgetBytes == 1 << 20)
        #expect(cut?.firstCutSequence == buffers.count)
        #expect((cut?.eventsNotKept ?? 0) + kept.count == 10_000)
        #expect((cut?.buffersNotKept ?? 0) == 10_000 - buffers.count)
        #expect(cut?.note() == "trace cut at its 1 MiB budget: the data of \(cut!.buffersNotKept) calls was not kept, \(cut!.eventsNotKept) later events were not kept")
        #expect(cut?.note(counted: false) == "trace cut at its 1 MiB budget: the data of later calls was not kept, later events were not kept")
    }

    @Test func aSmallTraceIsKeptWhole() {
        var budget = CaptureBudget(limit: TraceRequest.defaultKeptBytesLimit)
        for sequence in 0..<1000 {
            var event = write(sequence, bytes: 100)
            let admitted = budget.admit(&event)
            #expect(admitted)
            #expect(event.syscall?.data?.count == 100)
        }
        #expect(budget.cut == nil)
    }

    // An event costs the process its array slot (twice: the array grows by doubling) and each
    // heap block it owns with malloc's 8-byte header, rounded to 16 bytes; short strings live inline.
    @Test func anEventCountsTheBlocksItsMemoryTakes() throws {
        func block(_ payload: Int) -> Int { (payload + 8 + 15) / 16 * 16 }
        let event = write(0, bytes: 100)
        let call = try #require(event.syscall)
        let rendered = call.renderedArguments.utf8.count > 15 ? block(32 + call.renderedArguments.utf8.count) : 0
        let spans = call.argumentSpans.isEmpty ? 0 : block(32 + call.argumentSpans.count * MemoryLayout<ArgumentSpan>.stride)
        #expect(event.keptBytes == 2 * MemoryLayout<TraceEvent>.stride + block(32 + call.arguments.count * 8) + block(32 + 100) + rendered + spans)
    }
}
