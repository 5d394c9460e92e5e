// A failed case's trace excerpt renders only the lines it shows (a flood of calls once had every
// call rendered as text beside its trace, to show 40 of them): the same lines as rendering the
// whole trace and cutting the window from it.

import Syscalls
import Testing
@testable import Grading

@Suite struct TraceExcerptTests {
    /// The excerpt as it was computed before: every line rendered, then the window taken.
    static func reference(_ run: ProgramRun, around nearest: Int?, limit: Int, preferEnd: Bool) -> [String] {
        var events = run.events.filter { $0.phase == .program || !run.sawMain }
        let processes = Set(events.map(\.pid))
        let prefixed = processes.count > 1
        if prefixed {
            var order: [Int32: Int] = [:]
            for event in events where order[event.pid] == nil { order[event.pid] = order.count }
            events = events.enumerated().sorted { (order[$0.element.pid]!, $0.offset) < (order[$1.element.pid]!, $1.offset) }.map(\.element)
        }
        let numbered: [(sequence: Int, line: String)] = events.compactMap { event in
            guard let body = StraceFormat.text(event, arguments: TraceExcerpt.stableArguments) else { return nil }
            return (event.sequence, prefixed ? "[pid \(event.pid)] \(body)" : body)
        }
        let all = numbered.map(\.line)
        guard all.count > limit, limit >= 3 else { return all }
        if let nearest, let index = numbered.firstIndex(where: { $0.sequence == nearest }) {
            let lower = max(0, min(index - limit / 2, all.count - limit))
            var window = Array(all[lower..<(lower + limit)])
            if lower > 0 { window[0] = "… (\(lower + 1) earlier lines)" }
            let after = all.count - (lower + limit)
            if after > 0 { window[window.count - 1] = "… (\(after + 1) later lines)" }
            return window
        }
        if preferEnd { return ["… (\(all.count - limit + 1) earlier lines)"] + all.suffix(limit - 1) }
        let head = Array(all.prefix(limit - 2))
        return head + ["… (\(all.count - head.count - 1) more lines)", all[all.count - 1]]
    }

    static func randomRun(_ generator: inout SystemRandomNumberGenerator) -> ProgramRun {
        let count = Int.random(in: 0...60, using: &generator)
        let pids: [Int32] = [100, 101, 102]
        var events: [TraceEvent] = []
        for sequence in 0..<count {
            let pid = pids.prefix(Int.random(in: 1...3, using: &generator)).randomElement(using: &generator)!
            let phase: Phase = Int.random(in: 0..<4, using: &generator) == 0 ? .startup : .program
            let kind: TraceEventKind
            switch Int.random(in: 0..<6, using: &generator) {
            case 0: kind = .spawned(child: pid + 1, isThread: false)
            case 1: kind = .exit(.exited(status: Int32(sequence % 3)))
            default:
                kind = .syscall(SyscallEvent(number: 1, name: "write", arguments: [1, 0x1000, UInt64(sequence)], returnValue: Int64(sequence),
                                             renderedArguments: "1, \"x\", \(sequence)", returnText: "\(sequence)"))
            }
            events.append(TraceEvent(sequence: sequence, pid: pid, phase: phase, kind: kind))
        }
        return ProgramRun(events: events, rootPid: 100, exit: nil, sawMain: Bool.random(using: &generator))
    }

    @Test func theExcerptIsTheWindowOfTheWholeRendering() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<400 {
            let run = Self.randomRun(&generator)
            let limit = Int.random(in: 0...12, using: &generator)
            let nearest: Int? = Bool.random(using: &generator) ? Int.random(in: -1...62, using: &generator) : nil
            let preferEnd = Bool.random(using: &generator)
            #expect(TraceExcerpt.lines(of: run, around: nearest, limit: limit, preferEnd: preferEnd)
                    == Self.reference(run, around: nearest, limit: limit, preferEnd: preferEnd),
                    "limit \(limit) nearest \(String(describing: nearest)) preferEnd \(preferEnd) \(run.events)")
            let all = Self.reference(run, around: nil, limit: Int.max, preferEnd: false)
            #expect(TraceExcerpt.render(run) == all)
            let first = TraceExcerpt.first(limit, of: run)
            #expect(first.lines == Array(all.prefix(limit)) && first.total == all.count)
        }
    }
}
