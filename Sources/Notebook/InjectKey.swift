// The `inject:` key of a `case` block: a fault-injection rule in strace's syntax,
// `CALL[,CALL…]:error=ERRNO|retval=N[:when=FIRST[..LAST][+STEP]]` (one rule per line, any
// number of lines). The notebook checks its shape; the tracer's `FaultInjection.parse`
// (module Tracing) checks names and numbers, through Grading's CaseRunner: `lessons lint`
// reports what it rejects, and `check` and `grade` stop with it before compiling anything.

extension LessonFileParser {
    static func injectRule(_ line: String, block: String?) throws(ValueError) -> String {
        if block != nil { throw ValueError(offset: 0, message: "'inject' takes one rule per line, not a | block") }
        let rule = String(line.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
        let parts = rule.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[0].isEmpty, !rule.contains(" ") else {
            throw ValueError(offset: 0, message: "'inject' takes CALL:error=ERRNO[:when=N] or CALL:retval=N[:when=N], e.g. mmap:error=ENOMEM:when=2; found '\(rule)'")
        }
        let keys = parts.dropFirst().map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" }
        for (offset, key) in keys.enumerated() where !["error", "retval", "when"].contains(key) || !parts[offset + 1].contains("=") {
            throw ValueError(offset: 0, message: "'inject' knows error=, retval= and when=, found '\(parts[offset + 1])' in '\(rule)'")
        }
        guard keys.filter({ $0 == "error" || $0 == "retval" }).count == 1 else {
            throw ValueError(offset: 0, message: "'inject' needs exactly one error=ERRNO or retval=N, in '\(rule)'")
        }
        return rule
    }
}
