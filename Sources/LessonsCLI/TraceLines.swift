// A run's events after main as strace writes them (the decoder's `StraceFormat`), each with
// its event number in front, so that the memory picture's "made by #32" can be found.

import Syscalls

enum TraceLines {
    static func render(_ run: ProgramRun, afterMainOnly: Bool, numbered: Bool = true) -> [String] {
        let events = run.events.filter { !afterMainOnly || $0.phase == .program || !run.sawMain }
        let several = Set(events.map(\.pid)).count > 1
        let width = String(events.last?.sequence ?? 0).count + 1
        return events.map { event in
            let line = StraceFormat.line(event, showPid: several)
            guard numbered else { return line }
            let number = "#\(event.sequence)"
            return String(repeating: " ", count: max(0, width - number.count)) + number + "  " + line
        }
    }
}
