// `lessons trace` beyond strace: how --lines and --calls show in a rendered line.

import Syscalls

enum TraceAnnotation {
    /// `line` (one rendered event, ending in a newline, or empty) with the event's source line
    /// appended: ` [five.c:6 in main]` for strace lines, a `"source"` field for JSON lines.
    static func annotate(_ line: String, _ event: TraceEvent, jsonl: Bool) -> String {
        guard let source = event.source, !line.isEmpty else { return line }
        var body = line
        let newline = body.hasSuffix("\n")
        if newline { body.removeLast() }
        if jsonl {
            guard body.hasSuffix("}") else { return line }
            body.removeLast()
            body += ",\"source\":\(JSONLFormat.quote(source))}"
        } else {
            body += " [\(source)]"
        }
        return body + (newline ? "\n" : "")
    }
}
