// Where in the learner's program an observed event came from: the tracer's
// `TraceEvent.source` (`five.c:6 in main`, `five.swift:4 in grab(_:)`, or `five.c:6` when
// the function is unknown) split into its parts, so feedback can quote that line.

import Syscalls

/// The learner's source line that led to an event.
public struct EventSource: Sendable, Codable, Hashable {
    /// The file name as the debug information gives it (a base name: `anon.c`).
    public var file: String
    /// 1-based line in `file`.
    public var line: Int
    /// The function the line lies in (`main`, `grab(_:)`), when known.
    public var function: String?

    public init(file: String, line: Int, function: String? = nil) {
        self.file = file
        self.line = line
        self.function = function
    }

    /// Parses the tracer's `FILE:LINE` or `FILE:LINE in FUNCTION`; nil for anything else.
    public init?(parsing text: String) {
        var location = Substring(text)
        var function: String?
        if let cut = text.firstRange(of: " in ") {
            location = text[..<cut.lowerBound]
            let name = String(text[cut.upperBound...].drop { $0 == " " })
            function = name.isEmpty ? nil : name
        }
        guard let colon = location.lastIndex(of: ":"),
              let line = Int(location[location.index(after: colon)...]), line > 0 else { return nil }
        let file = String(location[..<colon])
        guard !file.isEmpty else { return nil }
        self.init(file: file, line: line, function: function)
    }

    /// `anon.c:7 in main` (or `anon.c:7`).
    public var description: String {
        "\(file):\(line)" + (function.map { " in \($0)" } ?? "")
    }
}

extension TraceModel {
    /// The source line of event `index`, when the trace was asked for source lines.
    func source(_ index: Int) -> EventSource? {
        guard index >= 0, index < run.events.count, let text = run.events[index].source else { return nil }
        return EventSource(parsing: text)
    }
}
