// The part of a trace shown with a failed case: strace-rendered lines after `main`, capped,
// centred on the event the matcher found nearest to what was expected.

import Syscalls

enum TraceExcerpt {
    /// Strace lines for the events after `main` (all events when no `main` marker was seen).
    /// With `names`, pids and the run's uid are named (`<pid 2>`), so the lines repeat run to run.
    /// Several processes' events come one process after the other, each in its own order (as
    /// `strace -ff` writes them): how the scheduler interleaved them differs from run to run,
    /// and a report must not.
    static func render(_ run: ProgramRun, names: PidNames? = nil) -> [String] {
        let order = Order(run)
        return (0..<order.count).map { order.line($0, names: names) }
    }

    /// The first `count` lines of `render`, and how many lines it has: only those are rendered.
    static func first(_ count: Int, of run: ProgramRun, names: PidNames? = nil) -> (lines: [String], total: Int) {
        let order = Order(run)
        return ((0..<min(count, order.count)).map { order.line($0, names: names) }, order.count)
    }

    /// The events that have a line, in the excerpt's order, as indices into the run's events:
    /// only the lines shown are rendered (a flood of a million calls shows 40 of them, and
    /// rendering every one held a copy of the trace as text beside the trace).
    struct Order {
        let events: [TraceEvent]
        let indices: [Int]
        let prefixed: Bool

        init(_ run: ProgramRun) {
            let events = run.events
            var indices = events.indices.filter { events[$0].phase == .program || !run.sawMain }
            var order: [Int32: Int] = [:]
            for index in indices where order[events[index].pid] == nil { order[events[index].pid] = order.count }
            prefixed = order.count > 1
            if prefixed {
                indices.sort { (order[events[$0].pid]!, $0) < (order[events[$1].pid]!, $1) }
            }
            // A spawn has no line of its own (StraceFormat.text is nil for it alone).
            indices.removeAll { if case .spawned = events[$0].kind { return true } else { return false } }
            self.events = events
            self.indices = indices
        }

        var count: Int { indices.count }

        func sequence(_ position: Int) -> Int { events[indices[position]].sequence }

        func line(_ position: Int, names: PidNames?) -> String {
            let event = events[indices[position]]
            let body = StraceFormat.text(event, arguments: stableArguments) ?? ""
            let text = prefixed ? "[pid \(event.pid)] \(body)" : body
            return names?.apply(toLine: text) ?? text
        }
    }

    /// At most `limit` lines: a window around the event numbered `nearest` when it is in the
    /// trace, else the beginning and the last line (how the program ended).
    /// With `preferEnd`, the last lines (how a run that was stopped or crashed ended).
    static func lines(of run: ProgramRun, around nearest: Int?, limit: Int, preferEnd: Bool = false, names: PidNames? = nil) -> [String] {
        let order = Order(run)
        let count = order.count
        func lines(_ range: Range<Int>) -> [String] { range.map { order.line($0, names: names) } }
        guard count > limit, limit >= 3 else { return lines(0..<count) }
        if let nearest, let index = (0..<count).first(where: { order.sequence($0) == nearest }) {
            let lower = max(0, min(index - limit / 2, count - limit))
            var window = lines(lower..<(lower + limit))
            if lower > 0 { window[0] = "… (\(lower + 1) earlier lines)" }
            let after = count - (lower + limit)
            if after > 0 { window[window.count - 1] = "… (\(after + 1) later lines)" }
            return window
        }
        if preferEnd {
            return ["… (\(count - limit + 1) earlier lines)"] + lines((count - limit + 1)..<count)
        }
        let head = lines(0..<(limit - 2))
        return head + ["… (\(count - head.count - 1) more lines)"] + lines((count - 1)..<count)
    }

    /// The arguments as strace prints them, except the random bytes `getrandom` returns (the
    /// first glibc malloc asks for 8): shown as `"…"` so that a report repeats exactly.
    static func stableArguments(_ call: SyscallEvent) -> String {
        guard call.name == "getrandom" else { return call.renderedArguments }
        let arguments = call.decodedArguments
        guard let buffer = arguments.first, buffer.register == 0, buffer.kind == .string, buffer.text.hasPrefix("\"") else {
            return call.renderedArguments
        }
        return (["\"…\""] + arguments.dropFirst().map(\.text)).joined(separator: ", ")
    }
}
