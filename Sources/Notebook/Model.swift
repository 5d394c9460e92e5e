// The lesson model: what a lesson file says, independent of how it is written down.
// Parsed from Markdown by `LessonParser` (see docs/lesson-format.md).

import Vocabulary

/// A place in a lesson file, for diagnostics (`file:line:column: message`).
public struct SourceLocation: Codable, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// Text with its English original and optional translations (today: Korean).
public struct LocalizedText: Codable, Sendable, Hashable {
    public var english: String
    public var translations: [String: String]

    public init(_ english: String, translations: [String: String] = [:]) {
        self.english = english
        self.translations = translations
    }

    /// The text in `language` (`"en"`, `"ko"`), falling back to English.
    public func text(_ language: String) -> String {
        translations[language] ?? english
    }
}

/// A block of expectation-language source, kept with where it came from so that parse
/// errors point into the lesson file.
public struct ExpectationSource: Codable, Sendable, Hashable {
    public var text: String
    /// The location of the first line of `text`.
    public var location: SourceLocation
    /// Names of the cases this block applies to; empty means every case.
    public var cases: [String]
    /// Languages this block applies to; empty means every language.
    public var languages: [Language]
    /// Hidden from learners: feedback says a hidden check failed, never what it checks.
    public var hidden: Bool

    public init(text: String, location: SourceLocation, cases: [String] = [], languages: [Language] = [], hidden: Bool = false) {
        self.text = text
        self.location = location
        self.cases = cases
        self.languages = languages
        self.hidden = hidden
    }
}

/// One run of an exercise's program: its input and environment.
public struct ExerciseCase: Codable, Sendable, Hashable {
    public var name: String
    public var stdin: String?
    public var arguments: [String]
    /// Files placed in the working directory before the run: name → contents.
    public var files: [String: String]
    public var environment: [String: String]
    public var location: SourceLocation
    /// Fault-injection rules in strace's syntax (`mmap:error=ENOMEM:when=2+`), one per
    /// `inject:` line, applied by the tracer while this case runs; nil = none.
    public var inject: [String]?
    /// A hidden case (```` ```case NAME hidden ````): learners see only that it passed or failed.
    public var hidden: Bool = false
    /// The points this case is worth (`points:`); nil: a share of the exercise's points.
    public var points: Int?
    /// `stdin-seq: FIRST LAST`: the numbers FIRST…LAST, one a line, after `stdin`'s text. Made
    /// when the case runs (`standardInput`): lesson 01's hundred thousand lines, made on every
    /// parse, were a quarter of the whole pack's.
    public var stdinSequence: ClosedRange<Int>?

    /// What the case's program reads on its standard input: `stdin`, then `stdinSequence`'s
    /// lines; nil: nothing (`/dev/null`).
    public var standardInput: [UInt8]? {
        guard let stdinSequence else { return stdin.map { Array($0.utf8) } }
        var bytes = Array((stdin ?? "").utf8)
        Self.appendLines(stdinSequence, to: &bytes)
        return bytes
    }

    /// Each number of `numbers` in decimal and a newline, appended to `bytes`.
    static func appendLines(_ numbers: ClosedRange<Int>, to bytes: inout [UInt8]) {
        // At most 20 bytes a number (Int.min) and its newline, written in place, then cut to size.
        var end = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: numbers.count * 21))
        bytes.withUnsafeMutableBufferPointer { buffer in
            for number in numbers {
                if number < 0 {
                    buffer[end] = 0x2D
                    end += 1
                }
                let first = end
                var rest = number.magnitude
                repeat {
                    buffer[end] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
                    end += 1
                    rest /= 10
                } while rest > 0
                buffer[first..<end].reverse()
                buffer[end] = 0x0A
                end += 1
            }
        }
        bytes.removeLast(bytes.count - end)
    }

    public init(name: String, stdin: String? = nil, arguments: [String] = [], files: [String: String] = [:],
                environment: [String: String] = [:], location: SourceLocation, inject: [String]? = nil,
                hidden: Bool = false, points: Int? = nil) {
        self.hidden = hidden
        self.points = points
        self.name = name
        self.stdin = stdin
        self.arguments = arguments
        self.files = files
        self.environment = environment
        self.location = location
        self.inject = inject
    }
}

/// Per-exercise overrides of the sandbox's default limits (nil: keep the default).
public struct LimitOverrides: Codable, Sendable, Hashable {
    public var cpuSeconds: Double?
    public var wallSeconds: Double?
    public var memoryBytes: Int?
    public var processes: Int?
    public var stdoutBytes: Int?
    public var allowExec: Bool?

    public init() {}
}

public struct Exercise: Codable, Sendable, Hashable {
    /// The id inside its lesson (`five-small-chunks`).
    public var id: String
    public var lessonID: String
    public var title: LocalizedText
    public var statement: LocalizedText
    public var languages: [Language]
    public var starters: [Language: String]
    public var cases: [ExerciseCase]
    public var expectations: [ExpectationSource]
    /// From gentle to explicit.
    public var hints: [LocalizedText]
    public var points: Int
    public var limits: LimitOverrides
    public var location: SourceLocation

    /// True: the exercise scores all its points or none (`credit: all-or-nothing`); false: each
    /// passed case earns its share (`CaseCredit` in Grading).
    public var allOrNothing: Bool = false

    /// `lesson/exercise`, the id used everywhere outside the lesson file.
    public var fullID: String { "\(lessonID)/\(id)" }

    public init(id: String, lessonID: String, title: LocalizedText, statement: LocalizedText, languages: [Language],
                starters: [Language: String], cases: [ExerciseCase], expectations: [ExpectationSource],
                hints: [LocalizedText], points: Int, limits: LimitOverrides = LimitOverrides(), location: SourceLocation) {
        self.id = id
        self.lessonID = lessonID
        self.title = title
        self.statement = statement
        self.languages = languages
        self.starters = starters
        self.cases = cases
        self.expectations = expectations
        self.hints = hints
        self.points = points
        self.limits = limits
        self.location = location
    }

    /// The expectation blocks that apply to `caseName` in `language`.
    public func expectations(forCase caseName: String, language: Language) -> [ExpectationSource] {
        expectations.filter {
            ($0.cases.isEmpty || $0.cases.contains(caseName)) && ($0.languages.isEmpty || $0.languages.contains(language))
        }
    }
}

/// A runnable example cell: code that `run` compiles and traces.
public struct ExampleCell: Codable, Sendable, Hashable {
    public var name: String
    public var language: Language
    public var code: String
    public var location: SourceLocation
    /// A ```predict``` block right after the cell: what the learner is asked to predict
    /// before the cell runs (PredictCell.swift); nil = none.
    public var predict: Prediction?
    /// `cell=NAME tty`: the program's standard output is a pseudo-terminal when the cell runs,
    /// so the C library buffers it as at a shell prompt (line by line, 1024 bytes).
    public var tty = false
    /// `cell=NAME env=NAME=VALUE`: environment variables the cell's program runs with
    /// (`GLIBC_TUNABLES=…`), besides the ones every run gets.
    public var environment: [String: String] = [:]
    /// The ```trace``` block after the cell (CellEvidence.swift); nil = none.
    public var trace: RecordedTrace?
    /// The ```claim``` blocks after the cell: facts the prose states about it.
    public var claims: [ClaimBlock] = []

    public init(name: String, language: Language, code: String, location: SourceLocation) {
        self.name = name
        self.language = language
        self.code = code
        self.location = location
    }
}

/// A lesson's body in reading order.
public enum LessonBlock: Codable, Sendable, Hashable {
    case prose(LocalizedText)
    case cell(ExampleCell)
    /// The exercise with this id (its details are in `Lesson.exercises`).
    case exercise(String)
}

public struct Lesson: Codable, Sendable, Hashable {
    public var id: String
    public var title: LocalizedText
    public var order: Int
    public var prerequisites: [String]
    public var blocks: [LessonBlock]
    public var exercises: [Exercise]
    /// The lesson file's path.
    public var file: String
    /// Front matter `recorded:`: where its traces were recorded (RecordingPlatform.swift).
    public var recorded: RecordingPlatform?
    /// Front matter `libc:`: the C library whose behaviour the lesson teaches (`glibc`), when
    /// it teaches one; nil for a lesson about the kernel alone.
    public var libc: String?

    public init(id: String, title: LocalizedText, order: Int, prerequisites: [String], blocks: [LessonBlock],
                exercises: [Exercise], file: String) {
        self.id = id
        self.title = title
        self.order = order
        self.prerequisites = prerequisites
        self.blocks = blocks
        self.exercises = exercises
        self.file = file
    }
}
