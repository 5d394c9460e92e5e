// The numbers a lesson's prose states, and whether something checks each one
// (docs/lesson-format.md, "Facts in prose"). `lessons lint` lists every sentence whose
// numbers nothing checks and that no `<!-- not checked: REASON -->` marks.
//
// What counts as a fact: a sentence of English prose (statements and hints too; the Korean
// translations mirror it) that holds a number written with two or more digits, a hex number
// (`0x2a0`), or a size with a unit (`4 KiB`), outside fenced blocks, inline code included
// (`malloc(131056)`). Not facts: references to lessons, hints and lines (`lesson 4`,
// `hint 2`), and the recording platform's own versions (the `recorded:` line is checked).
// Single digits are not scanned: they are mostly counts of the example's own things.
//
// What checks a number: the same value (hex, decimal or with a unit, so 0x21000, 135168 and
// 132 KiB are one) in the section's cells — their code, their trace blocks (addresses set
// aside: those change every run) and their claim blocks; for an exercise, every cell of the
// lesson (exercises build on them) and its own starters, expect and case blocks. A section runs from one level-1 or level-2
// heading to the next. Lint cannot tell whether the claim says what the sentence says: that
// stays the reviewer's job; it can tell that no check mentions the number at all.

/// One sentence of prose that states numbers.
public struct ProseFact: Sendable, Hashable {
    public enum Status: Sendable, Hashable {
        /// Every number of the sentence is checked by its section's cells or exercise.
        case checked
        /// Its paragraph says why it is not machine-checked.
        case marked(reason: String)
        /// Neither: lint reports it.
        case unchecked
    }

    public var location: SourceLocation
    public var sentence: String
    /// The numbers as written (`0x21000`, `132 KiB`).
    public var numbers: [String]
    /// The numbers no check mentions (empty when `checked`).
    public var unchecked: [String]
    public var status: Status
}

public enum ProseFacts {
    /// Every numeric fact of `lesson`'s prose (`text` is its file's contents).
    /// `comparedTrace` turns a trace block into what lint really compares (addresses and the
    /// like set aside): only numbers left in it count as checked.
    public static func scan(_ text: String, lesson: Lesson, comparedTrace: @escaping ([String]) -> [String]) -> [ProseFact] {
        var scanner = Scanner(text: text, lesson: lesson, comparedTrace: comparedTrace)
        return scanner.run()
    }

    /// The marker's syntax: `<!-- not checked: REASON -->`.
    static func marker(in line: String) -> String? {
        guard let match = line.firstMatch(of: #/<!--(.*?)-->/#) else { return nil }
        let body = String(match.1).trimmingSpaces
        for prefix in ["not checked:", "unchecked:"] where body.lowercased().hasPrefix(prefix) {
            let reason = String(body.dropFirst(prefix.count)).trimmingSpaces
            return reason.isEmpty ? nil : reason
        }
        return nil
    }

    /// A number as written, with its value when it has one (`2.36` has none).
    struct Number: Hashable {
        var text: String
        var value: Int64?
    }

    /// Every number token of `text` (the scanning rules at the top of this file).
    static func numbers(in text: String, factsOnly: Bool, ignoring versions: Set<String> = []) -> [Number] {
        var found: [Number] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func isWord(_ c: Unicode.Scalar) -> Bool { c.properties.isAlphabetic || c == "_" || ("0"..."9").contains(c) }
        while i < scalars.count {
            let c = scalars[i]
            // Not part of a name: x86_64, pread64, $1, x86-64, UTF-8.
            let partOfName = i > 0 && (isWord(scalars[i - 1]) || scalars[i - 1] == "$" || scalars[i - 1] == "."
                || (scalars[i - 1] == "-" && i > 1 && isWord(scalars[i - 2])))
            guard ("0"..."9").contains(c), !partOfName else {
                i += 1
                continue
            }
            var j = i
            var token = ""
            var value: Int64?
            var digits = 0
            if c == "0", i + 2 < scalars.count, scalars[i + 1] == "x" || scalars[i + 1] == "X", scalars[i + 2].properties.isASCIIHexDigit {
                j = i + 2
                while j < scalars.count, scalars[j].properties.isASCIIHexDigit { j += 1 }
                token = String(String.UnicodeScalarView(scalars[i..<j]))
                value = Int64(token.dropFirst(2), radix: 16)
                digits = 99
            } else {
                while j < scalars.count, ("0"..."9").contains(scalars[j]) || (scalars[j] == "." && j + 1 < scalars.count && ("0"..."9").contains(scalars[j + 1])) { j += 1 }
                token = String(String.UnicodeScalarView(scalars[i..<j]))
                value = token.contains(".") ? nil : Int64(token)
                digits = token.filter(\.isNumber).count
            }
            // A word right after it makes it part of a name (x86_64, 2nd): not a number.
            if j < scalars.count, isWord(scalars[j]) {
                var k = j
                while k < scalars.count, scalars[k].properties.isAlphabetic { k += 1 }
                let unitText = String(String.UnicodeScalarView(scalars[j..<k]))
                if let factor = unit(unitText), value != nil, k == scalars.count || !isWord(scalars[k]) {
                    token += unitText
                    value = value.flatMap { $0.multipliedReportingOverflow(by: factor).overflow ? nil : $0 * factor }
                    digits = 99
                    j = k
                } else {
                    i = k
                    continue
                }
            } else if j + 1 < scalars.count, scalars[j] == " ", let factor = unitAhead(scalars, from: j + 1), value != nil {
                var k = j + 1
                while k < scalars.count, scalars[k].properties.isAlphabetic { k += 1 }
                token += " " + String(String.UnicodeScalarView(scalars[(j + 1)..<k]))
                value = value.flatMap { $0.multipliedReportingOverflow(by: factor).overflow ? nil : $0 * factor }
                digits = 99
                j = k
            }
            defer { i = max(j, i + 1) }
            if factsOnly {
                if digits < 2 { continue }
                let before = String(String.UnicodeScalarView(scalars[max(0, i - 12)..<i])).lowercased()
                if ["lesson ", "lessons ", "hint ", "hints ", "line ", "lines ", "step ", "section "].contains(where: { before.hasSuffix($0) }) { continue }
                if versions.contains(where: { before.hasSuffix($0.prefix { $0 != " " }.lowercased() + " ") && token == String($0.split(separator: " ").last ?? "") }) { continue }
            }
            found.append(Number(text: token, value: value))
        }
        return found
    }

    static func unit(_ text: String) -> Int64? {
        switch text {
        case "KiB", "K", "KB": return 1 << 10
        case "MiB", "M", "MB": return 1 << 20
        case "GiB", "G", "GB": return 1 << 30
        case "TiB", "T", "TB": return 1 << 40
        default: return nil
        }
    }

    private static func unitAhead(_ scalars: [Unicode.Scalar], from start: Int) -> Int64? {
        var k = start
        while k < scalars.count, scalars[k].properties.isAlphabetic { k += 1 }
        guard k > start, k == scalars.count || !scalars[k].properties.isAlphabetic else { return nil }
        let word = String(String.UnicodeScalarView(scalars[start..<k]))
        return ["KiB", "MiB", "GiB", "TiB"].contains(word) ? unit(word) : nil
    }
}

private struct Scanner {
    let lines: [String]
    let lesson: Lesson
    let versions: Set<String>
    let comparedTrace: ([String]) -> [String]

    /// A stretch of prose: its lines (0-based numbers) and the section it belongs to.
    struct Unit {
        var lines: [(number: Int, text: String)] = []
        var marker: String?
        var section: Int
    }

    /// Level-1/2 sections: the exercise a section is (nil for lesson prose) and its cells.
    struct Section {
        var exercise: String?
        var covered: Set<String> = []
    }

    var sections: [Section] = [Section()]
    var units: [Unit] = []

    init(text: String, lesson: Lesson, comparedTrace: @escaping ([String]) -> [String]) {
        self.comparedTrace = comparedTrace
        self.lines = LessonText(text).lines  // numbered as the parser numbered them
        self.lesson = lesson
        var versions: Set<String> = []
        if let recorded = lesson.recorded { versions = [recorded.libc, recorded.kernel] }
        self.versions = versions
    }

    mutating func run() -> [ProseFact] {
        collectUnits()
        coverCells()
        var facts: [ProseFact] = []
        for unit in units {
            let joined = unit.lines.map(\.text).joined(separator: "\n")
            for (offset, sentence) in Self.sentences(joined) {
                let numbers = ProseFacts.numbers(in: sentence, factsOnly: true, ignoring: versions)
                guard !numbers.isEmpty else { continue }
                let covered = sections[unit.section].covered
                let unchecked = numbers.filter { !covered.contains(Self.key($0)) }.map(\.text)
                let status: ProseFact.Status = unchecked.isEmpty ? .checked : unit.marker.map { .marked(reason: $0) } ?? .unchecked
                let lineIndex = joined[..<offset].filter { $0 == "\n" }.count
                let line = unit.lines[min(lineIndex, unit.lines.count - 1)].number
                facts.append(ProseFact(location: SourceLocation(file: lesson.file, line: line + 1), sentence: Self.oneLine(sentence),
                                       numbers: numbers.map(\.text), unchecked: unchecked, status: status))
            }
        }
        return facts
    }

    /// A number's identity for coverage: its value when it has one (0x21000 = 135168 = 132 KiB).
    static func key(_ number: ProseFacts.Number) -> String {
        number.value.map { "=\($0)" } ?? number.text
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" }).map { String($0).trimmingSpaces }.joined(separator: " ")
    }

    /// Sentences of a paragraph with their offsets: a sentence ends at `.`, `!`, `?` or `:`
    /// followed by a space and a capital letter, a backtick or a parenthesis.
    static func sentences(_ text: String) -> [(String.Index, String)] {
        var result: [(String.Index, String)] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            let next = text.index(after: index)
            if ".!?:".contains(c), next < text.endIndex, text[next] == " " || text[next] == "\n" {
                let after = text[next...].drop { $0 == " " || $0 == "\n" }
                if let first = after.first, first.isUppercase || first == "`" || first == "(" {
                    result.append((start, String(text[start...index])))
                    start = after.startIndex
                    index = start
                    continue
                }
            }
            index = next
        }
        if start < text.endIndex { result.append((start, String(text[start...]))) }
        return result
    }

    // MARK: Reading the file

    mutating func collectUnits() {
        var i = 0
        // Front matter.
        if lines.first?.trimmingSpaces == "---" {
            i = 1
            while i < lines.count, lines[i].trimmingSpaces != "---" { i += 1 }
            i += 1
        }
        var current: Unit?
        func flush(_ units: inout [Unit], _ current: inout Unit?) {
            if let unit = current, !unit.lines.isEmpty { units.append(unit) }
            current = nil
        }
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingSpaces
            if let fence = Self.fenceOpening(line) {
                flush(&units, &current)
                var j = i + 1
                while j < lines.count, !Self.closes(lines[j], fence) { j += 1 }
                // A predict block's note is prose too.
                if fence.info.first == "predict" {
                    for k in (i + 1)..<min(j, lines.count) where lines[k].trimmingSpaces.hasPrefix("note:") {
                        units.append(Unit(lines: [(k, String(lines[k].trimmingSpaces.dropFirst(5)))], section: sections.count - 1))
                    }
                }
                i = j + 1
                continue
            }
            if trimmed.hasPrefix("<details"), LessonFileParser.detailsLanguage(line) != nil {
                flush(&units, &current)
                var j = i
                while j < lines.count, !lines[j].contains("</details>") {
                    if Self.fenceOpening(lines[j]) != nil, j > i {
                        // A fence inside a translation: skip it whole (it may hold "</details>").
                        let fence = Self.fenceOpening(lines[j])!
                        j += 1
                        while j < lines.count, !Self.closes(lines[j], fence) { j += 1 }
                    }
                    j += 1
                }
                i = j + 1
                continue
            }
            if let (level, text) = LessonFileParser.heading(line) {
                flush(&units, &current)
                if level <= 2 {
                    var exercise: String?
                    if text.lowercased().hasPrefix("exercise:") {
                        let rest = String(text.dropFirst(9)).trimmingSpaces
                        exercise = String(rest.prefix { $0 != " " && $0 != "—" && $0 != "–" })
                    }
                    sections.append(Section(exercise: exercise))
                }
                i += 1
                continue
            }
            if trimmed.isEmpty {
                flush(&units, &current)
                i += 1
                continue
            }
            let isItem = trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || LessonFileParser.listItem(line) != nil
            if isItem { flush(&units, &current) }
            if current == nil { current = Unit(section: sections.count - 1) }
            if let reason = ProseFacts.marker(in: line) { current!.marker = reason }
            let text = line.replacing(#/<!--.*?-->/#, with: "")
            if !text.trimmingSpaces.isEmpty { current!.lines.append((i, text)) }
            i += 1
        }
        flush(&units, &current)
    }

    /// What checks each section's numbers: its cells (code, trace, claims); an exercise's
    /// expect and case blocks, and every claim of the lesson.
    mutating func coverCells() {
        // The section of a cell: count level-1/2 headings before its fence line.
        var headingLines: [Int] = []
        var i = 0
        var inFence: Fence?
        if lines.first?.trimmingSpaces == "---" {
            i = 1
            while i < lines.count, lines[i].trimmingSpaces != "---" { i += 1 }
            i += 1
        }
        var inDetails = false
        while i < lines.count {
            let line = lines[i]
            if let fence = inFence {
                if Self.closes(line, fence) { inFence = nil }
            } else if let fence = Self.fenceOpening(line) {
                inFence = fence
            } else if line.trimmingSpaces.hasPrefix("<details"), LessonFileParser.detailsLanguage(line) != nil {
                inDetails = !line.contains("</details>")
            } else if inDetails {
                if line.contains("</details>") { inDetails = false }
            } else if let (level, _) = LessonFileParser.heading(line), level <= 2 {
                headingLines.append(i)
            }
            i += 1
        }
        func section(ofLine line: Int) -> Int { headingLines.filter { $0 < line }.count }

        var lessonWide: Set<String> = []
        for case .cell(let cell) in lesson.blocks {
            var values = Self.values(cell.code)
            values.formUnion(Self.values(cell.environment.values.joined(separator: "\n")))
            if let trace = cell.trace {
                // Addresses change every run: only what lint compares counts.
                values.formUnion(Self.values(comparedTrace(trace.lines).joined(separator: "\n")))
            }
            for claim in cell.claims { values.formUnion(Self.values(Self.withoutComments(claim.text))) }
            lessonWide.formUnion(values)
            let index = section(ofLine: cell.location.line - 2)
            if index < sections.count { sections[index].covered.formUnion(values) }
        }
        for index in sections.indices {
            guard let id = sections[index].exercise, let exercise = lesson.exercises.first(where: { $0.id == id }) else { continue }
            sections[index].covered.formUnion(lessonWide)
            for starter in exercise.starters.values { sections[index].covered.formUnion(Self.values(starter)) }
            for source in exercise.expectations { sections[index].covered.formUnion(Self.values(source.text)) }
            for exerciseCase in exercise.cases {
                let input = exerciseCase.standardInput.map { String(decoding: $0, as: UTF8.self) } ?? ""
                let text = [input, exerciseCase.arguments.joined(separator: " ")]
                    + exerciseCase.files.values + exerciseCase.environment.values
                sections[index].covered.formUnion(Self.values(text.joined(separator: "\n")))
            }
        }
    }

    /// The numbers of code or a claim, and the values of its constant products and shifts
    /// (`200 * 1024` is 204800, so "200 KiB" is checked by it; `1 << 46` is 64 TiB).
    static func values(_ text: String) -> Set<String> {
        var found = Set(ProseFacts.numbers(in: text, factsOnly: false).map(key))
        for match in text.matches(of: #/\b(\d+)((?:\s*\*\s*\d+)+)\b/#) {
            var product: Int64? = Int64(match.1)
            for factor in match.2.split(separator: "*") where !String(factor).trimmingSpaces.isEmpty {
                guard let value = product, let next = Int64(String(factor).trimmingSpaces) else { product = nil; break }
                let (result, overflow) = value.multipliedReportingOverflow(by: next)
                product = overflow ? nil : result
            }
            if let product { found.insert("=\(product)") }
        }
        for match in text.matches(of: #/\b(\d+)\s*<<\s*(\d+)\b/#) {
            if let value = Int64(match.1), let shift = Int64(match.2), shift < 62, value < (1 << (62 - shift)) {
                found.insert("=\(value << shift)")
            }
        }
        return found
    }

    /// Expectation-language text without its `#` comments: a comment checks nothing.
    static func withoutComments(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var inString = false, inRegex = false
            var previous: Character = " "
            for (offset, c) in line.enumerated() {
                if c == "\"" && previous != "\\" && !inRegex { inString.toggle() }
                if c == "/" && previous != "\\" && !inString { inRegex.toggle() }
                if c == "#" && !inString && !inRegex { return String(line.prefix(offset)) }
                previous = c
            }
            return String(line)
        }.joined(separator: "\n")
    }

    struct Fence {
        var marker: Character
        var length: Int
        var info: [String]
    }

    static func fenceOpening(_ line: String) -> Fence? {
        let indent = line.leadingSpaceCount
        let rest = line.dropFirst(indent)
        guard let marker = rest.first, marker == "`" || marker == "~" else { return nil }
        let length = rest.prefix { $0 == marker }.count
        guard length >= 3 else { return nil }
        let info = rest.dropFirst(length)
        if marker == "`", info.contains("`") { return nil }
        return Fence(marker: marker, length: length, info: info.split(separator: " ").map { String($0).lowercased() })
    }

    static func closes(_ line: String, _ fence: Fence) -> Bool {
        let t = line.trimmingSpaces
        return t.count >= fence.length && t.allSatisfy { $0 == fence.marker }
    }
}
