// `lessons trace` beyond strace: how --lines and --calls show in a rendered line.

import Syscalls

enum TraceAnnotation {
    /// `line` (one rendered event, ending in a newline, or empty) with the event's source line
    /// appended: ` [five.c:6 in main]` for strace lines, a `"source"` field for JSON lines.
    /// An event inside a library call (`parentCall`) is indented by two spaces (after the
    /// pid prefix, if any); JSON lines get a `"parent_call"` field instead.
    static func annotate(_ line: String, _ event: TraceEvent, jsonl: Bool) -> String {
        guard event.source != nil || event.parentCall != nil, !line.isEmpty else { return line }
        var body = line
        let newline = body.hasSuffix("\n")
        if newline { body.removeLast() }
        if jsonl {
            guard body.hasSuffix("}") else { return line }
            body.removeLast()
            if let source = event.source { body += ",\"source\":\(JSONLFormat.quote(source.description))" }
            if let parent = event.parentCall { body += ",\"parent_call\":\(parent)" }
            body += "}"
        } else {
            if let source = event.source { body += " [\(source.description)]" }
            if event.parentCall != nil {
                // After a "[pid  123] " or "123   " prefix, when there is one.
                var cut = body.startIndex
                if body.hasPrefix("[pid "), let close = body.firstIndex(of: "]") {
                    cut = body.index(close, offsetBy: 2, limitedBy: body.endIndex) ?? body.endIndex
                } else if let first = body.first, first.isNumber, let space = body.firstIndex(of: " ") {
                    cut = body[space...].firstIndex(where: { $0 != " " }) ?? body.endIndex
                }
                body.insert(contentsOf: "  ", at: cut)
            }
        }
        return body + (newline ? "\n" : "")
    }
}
