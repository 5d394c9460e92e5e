// The keys of a lesson file's key–value sections (front matter, ```exercise```, ```case```):
// one table per section. The parser switches over a table's cases, so a key in the table
// that is not parsed does not compile, and the "known: …" of an unknown key's message is
// the table itself, so what the message lists is what is parsed.

/// One section's keys; `rawValue` is how a message shows the key.
protocol LessonKeyTable: CaseIterable, RawRepresentable<String> {
    /// Keys followed by a name (`title.ko`, `file NAME`): what comes before the name, and
    /// whether a name is acceptable; nil for a key that is just its raw value.
    var prefix: (String, (String) -> Bool)? { get }
}

extension LessonKeyTable {
    var prefix: (String, (String) -> Bool)? { nil }

    /// The table's entry for `key` as written in a lesson, and the name after a prefix key
    /// (`ko` for `title.ko`, `input.txt` for `file input.txt`).
    static func entry(for key: String) -> (Self, name: String)? {
        for candidate in allCases {
            if let (start, acceptable) = candidate.prefix {
                if key.hasPrefix(start), acceptable(String(key.dropFirst(start.count))) {
                    return (candidate, String(key.dropFirst(start.count)))
                }
            } else if key == candidate.rawValue {
                return (candidate, "")
            }
        }
        return nil
    }

    /// `id, title, title.ko, …`: the message's list of known keys.
    static var known: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// The keys between the two `---` lines at the top of a lesson file.
enum FrontMatterKey: String, LessonKeyTable {
    case id
    case title
    case titleTranslation = "title.ko"
    case order
    case requires
    case recorded
    case libc

    var prefix: (String, (String) -> Bool)? {
        guard self == .titleTranslation else { return nil }
        return ("title.", { LessonFileParser.isLanguageCode($0) })
    }
}

/// The keys of an ```exercise``` block.
enum ExerciseKey: String, LessonKeyTable {
    case points
    case credit
    case languages
    case titleTranslation = "title.ko"
    case cpu
    case wall
    case memory
    case processes
    case stdout
    case exec

    var prefix: (String, (String) -> Bool)? {
        guard self == .titleTranslation else { return nil }
        return ("title.", { LessonFileParser.isLanguageCode($0) })
    }
}

/// The keys of a ```case NAME``` block.
enum CaseKey: String, LessonKeyTable {
    case args
    case env
    case inject
    case stdin
    case stdinSequence = "stdin-seq"
    case file = "file NAME"
    case points

    var prefix: (String, (String) -> Bool)? {
        // A bad name is still this key: the case parser says what is wrong with the name.
        guard self == .file else { return nil }
        return ("file ", { _ in true })
    }

    /// Keys that may be given on several lines.
    var repeats: Bool { self == .env || self == .inject }
}
