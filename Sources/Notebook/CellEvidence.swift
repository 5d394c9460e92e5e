// What a lesson says about one of its example cells, in a form `lessons lint` can check
// against a real run (docs/lesson-format.md, "Traces and claims"):
//
//   ```c cell=five-small          the cell
//   ```trace                      the trace a real run printed when the lesson was recorded
//   ```claim                      facts the prose states, in the expectation language
//   fact: The heap grows once, by 0x21000 bytes (132 KiB).
//   fact.ko: 힙은 한 번, 0x21000바이트(132 KiB) 늘어납니다.
//   brk(NULL) = $heap
//   brk($heap + 0x21000) = $heap + 0x21000
//   ```
//
// A ```trace``` block shows what happens after `main`; ```trace all``` the loader's start-up
// too. Any number of ```claim``` blocks may follow a cell; each is checked on its own.

/// The ```trace``` block after a cell, as written in the lesson file.
public struct RecordedTrace: Codable, Sendable, Hashable {
    /// The block's lines, as written.
    public var lines: [String]
    /// `trace all`: start-up before `main` is part of the trace.
    public var startup: Bool
    /// The location of the block's first content line.
    public var location: SourceLocation
    /// 1-based lines of the opening and the closing fence (what `lessons record` replaces).
    public var fenceLines: ClosedRange<Int>

    public init(lines: [String], startup: Bool, location: SourceLocation, fenceLines: ClosedRange<Int>) {
        self.lines = lines
        self.startup = startup
        self.location = location
        self.fenceLines = fenceLines
    }
}

/// One ```claim``` block: a fact the prose states about the cell before it, checked with the
/// expectation language against the cell's real trace and output.
public struct ClaimBlock: Codable, Sendable, Hashable {
    /// The expectation-language text (the `fact:` lines blanked, so line numbers stay right).
    public var text: String
    /// The location of the block's first content line.
    public var location: SourceLocation
    /// The fact in words, for a learner (`lessons verify`); nil: the expectation lines speak.
    public var fact: LocalizedText?

    public init(text: String, location: SourceLocation, fact: LocalizedText? = nil) {
        self.text = text
        self.location = location
        self.fact = fact
    }
}

/// A ```trace``` or ```claim``` block, parsed, before it is attached to its cell.
enum CellEvidence {
    case trace(RecordedTrace)
    case claim(ClaimBlock)

    /// One problem in a block: its 0-based line inside the block (-1: the fence line), 1-based
    /// column, message.
    struct Problem {
        var line: Int
        var column: Int
        var message: String
    }

    /// Parses a ```trace``` or ```claim``` block. `fenceLine` is the 0-based line of the opening
    /// fence; the content starts on the next line.
    static func parse(kind: String, attributes: [(text: String, column: Int)], lines: [String], file: String,
                      fenceLine: Int, lineCount: Int) -> (CellEvidence?, [Problem]) {
        var problems: [Problem] = []
        let first = SourceLocation(file: file, line: fenceLine + 2)
        if kind == "trace" {
            var startup = false
            for attribute in attributes {
                if attribute.text == "all" { startup = true } else {
                    problems.append(Problem(line: -1, column: attribute.column,
                        message: "unknown attribute '\(attribute.text)' on a trace block (known: all, for a trace that shows start-up before main too)"))
                }
            }
            // An empty block is a place for `lessons record` to fill; lint reports it meanwhile.
            var content = lines
            while let last = content.last, last.isBlank { content.removeLast() }
            let trace = RecordedTrace(lines: content, startup: startup, location: first,
                                      fenceLines: (fenceLine + 1)...(fenceLine + lineCount))
            return (problems.isEmpty ? .trace(trace) : nil, problems)
        }
        for attribute in attributes {
            problems.append(Problem(line: -1, column: attribute.column, message: "unknown attribute '\(attribute.text)' on a claim block (it takes none)"))
        }
        var text: [String] = []
        var fact: String?
        var translations: [String: String] = [:]
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingSpaces
            if let colon = trimmed.firstIndex(of: ":"), trimmed.hasPrefix("fact") {
                let key = String(trimmed[..<colon])
                let value = String(trimmed[trimmed.index(after: colon)...]).trimmingSpaces
                if key == "fact" || (key.hasPrefix("fact.") && LessonFileParser.isLanguageCode(String(key.dropFirst(5)))) {
                    if value.isEmpty { problems.append(Problem(line: index, column: 1, message: "'\(key):' has no text")) }
                    if key == "fact" { fact = value } else { translations[String(key.dropFirst(5))] = value }
                    text.append("")
                    continue
                }
            }
            text.append(line)
        }
        if text.allSatisfy(\.isBlank) {
            problems.append(Problem(line: -1, column: 1, message: "this claim block states nothing: write at least one line of the expectation language"))
        }
        if fact == nil, !translations.isEmpty {
            problems.append(Problem(line: -1, column: 1, message: "a claim block with 'fact.ko:' needs the English 'fact:' too"))
        }
        let claim = ClaimBlock(text: text.joined(separator: "\n"), location: first,
                               fact: fact.map { LocalizedText($0, translations: translations) })
        return (problems.isEmpty ? .claim(claim) : nil, problems)
    }
}

extension Array where Element == LessonBlock {
    /// Attaches a trace or claim block to the cell that is the last block. Returns nil, or why
    /// it cannot (no cell right before it, or a second trace for the cell).
    mutating func attach(_ evidence: CellEvidence) -> String? {
        guard let last = self.last, case .cell(var cell) = last else {
            return "comes right after the ```c cell=NAME``` or ```swift cell=NAME``` block it is about (a ```predict``` block may sit between them); to show other text, use ```text"
        }
        switch evidence {
        case .trace(let trace):
            if let previous = cell.trace {
                return "is a second trace of cell '\(cell.name)' (the first is at line \(previous.location.line - 1)): a cell has one"
            }
            cell.trace = trace
        case .claim(let claim):
            cell.claims.append(claim)
        }
        self[count - 1] = .cell(cell)
        return nil
    }
}
