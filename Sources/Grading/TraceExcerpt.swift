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
        numbered(run, names: names).map(\.line)
    }

    /// `render`'s lines, each with its event's number (`TraceEvent.sequence`).
    static func numbered(_ run: ProgramRun, names: PidNames? = nil) -> [(sequence: Int, line: String)] {
        var events = run.events.filter { $0.phase == .program || !run.sawMain }
        let processes = Set(events.map(\.pid))
        let prefixed = processes.count > 1
        if prefixed {
            var order: [Int32: Int] = [:]
            for event in events where order[event.pid] == nil { order[event.pid] = order.count }
            events = events.enumerated().sorted { (order[$0.element.pid]!, $0.offset) < (order[$1.element.pid]!, $1.offset) }.map(\.element)
        }
        return events.compactMap { event in
            guard let body = StraceFormat.text(event, arguments: stableArguments) else { return nil }
            let text = prefixed ? "[pid \(event.pid)] \(body)" : body
            return (event.sequence, names?.apply(toLine: text) ?? text)
        }
    }

    /// At most `limit` lines: a window around the event numbered `nearest` when it is in the
    /// trace, else the beginning and the last line (how the program ended).
    /// With `preferEnd`, the last lines (how a run that was stopped or crashed ended).
    static func lines(of run: ProgramRun, around nearest: Int?, limit: Int, preferEnd: Bool = false, names: PidNames? = nil) -> [String] {
        let numbered = numbered(run, names: names)
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
        if preferEnd {
            return ["… (\(all.count - limit + 1) earlier lines)"] + all.suffix(limit - 1)
        }
        let head = Array(all.prefix(limit - 2))
        return head + ["… (\(all.count - head.count - 1) more lines)", all[all.count - 1]]
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
