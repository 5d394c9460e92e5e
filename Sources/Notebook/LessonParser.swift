// Parses one lesson file (Markdown, docs/lesson-format.md) into the `Lesson` model.
//
// Grammar (line-oriented; fences are skipped over whole, so nothing inside a fence is structure):
//
//   lesson       := front-matter body
//   front-matter := '---' NL { key ':' value NL | '#' comment NL | blank NL } '---' NL
//                   key := 'id' | 'title' | 'title.' LANG | 'order' | 'requires' | 'recorded' | 'libc'
//   body         := { prose | heading | cell | translation | exercise }
//   translation  := '<details lang="LANG">' [ '<summary>' … '</summary>' ] markdown '</details>'
//                   (translates the prose run, heading, statement or hint just before it)
//   cell         := fence('c' | 'swift', 'cell=NAME' [ 'tty' ] { 'env=NAME=VALUE' }) [ predict ] [ trace ] { claim }
//   trace        := fence('trace' [ 'all' ])          (CellEvidence.swift)
//   claim        := fence('claim') of [ 'fact:' text ] expectation lines
//   exercise     := '## Exercise: ' ID ' — ' TITLE NL
//                   { prose | translation | exercise-block | starter | case | expect | hints }
//                   (runs to the next level-1 or level-2 heading)
//   exercise-block := fence('exercise') of 'key: value' lines
//   starter      := fence('c' | 'swift', 'starter')
//   case         := fence('case', NAME) of 'args:', 'env:', 'stdin:', 'stdin-seq:', 'file NAME:' lines; values
//                   are one line, a "quoted string" or a '|' / '|-' block of indented lines
//   expect       := fence('expect', [ 'case=' NAME {',' NAME} ] [ 'lang=' LANG ] [ 'hidden' ])
//   hints        := '### Hints' NL { NUMBER '.' text { continuation } [ translation ] }
//
// Every problem becomes a `LessonDiagnostic` (`file:line:column: message`); the parser never
// stops at the first one. An exercise with a problem is left out of the lesson; a lesson
// whose front matter is broken is left out of the pack.

import Vocabulary

public enum LessonParser {
    /// Parses `text`, the contents of the lesson file `file` (used in diagnostics and `Lesson.file`).
    public static func parse(_ text: String, file: String) -> (lesson: Lesson?, diagnostics: [LessonDiagnostic]) {
        let parsed = parseDetailed(text, file: file)
        return (parsed.lesson, parsed.diagnostics)
    }

    /// At most this many diagnostics per file, then one line saying how many more: a file that
    /// is not a lesson at all (a fuzzer's, a binary renamed .md) once gave 28 000.
    public static let diagnosticsPerFile = 100

    static func parseDetailed(_ text: String, file: String) -> ParsedLesson {
        var parser = LessonFileParser(file: file, text: text)
        var parsed = parser.parse()
        let all = parsed.diagnostics
        if all.count > diagnosticsPerFile {
            parsed.diagnostics = Array(all.prefix(diagnosticsPerFile))
            parsed.diagnostics.append(LessonDiagnostic(location: all[diagnosticsPerFile].location,
                message: "\(all.count - diagnosticsPerFile) more problems in this file are not shown: fix these first"))
        }
        return parsed
    }
}

/// A parse result with the locations that pack-level checks point at.
struct ParsedLesson {
    var lesson: Lesson?
    var diagnostics: [LessonDiagnostic]
    var idLocation: SourceLocation
    var prerequisiteLocations: [String: SourceLocation]
}

private struct Fence {
    var line: Int            // 0-based index of the opening line
    var indent: Int
    var marker: Character    // ` or ~
    var length: Int
    var info: [InfoWord]
    var content: [String]
    var closed: Bool
    var lineCount: Int       // lines consumed, including both fence lines
}

private struct InfoWord {
    var text: String
    var column: Int
}

private enum TranslationTarget {
    case none
    case lessonProse(Int)
    case statement(Int)
    case hint(Int)
}

private struct ExerciseBuilder {
    var id: String
    var title: String
    var titleTranslations: [String: String] = [:]
    var location: SourceLocation
    var firstDiagnostic: Int
    /// Where its `.exercise` block is in the lesson (removed again if the exercise is broken).
    var blockIndex: Int
    var statementRuns: [LocalizedText] = []
    var languages: [Language]?
    var starters: [Language: String] = [:]
    var starterLines: [Language: Int] = [:]
    var cases: [ExerciseCase] = []
    var expectations: [ExpectationSource] = []
    var expectationCaseRefs: [(name: String, location: SourceLocation)] = []
    var expectationLanguageRefs: [(language: Language, location: SourceLocation)] = []
    var hints: [LocalizedText] = []
    var points = 10
    var pointsDeclared = false
    var allOrNothing = false
    var limits = LimitOverrides()
    var exerciseBlockLine: Int?
    var inHints = false
    var hintText: [String]?
    var hintIndent = 0
    var hintLine = 0
}

struct LessonFileParser {
    let file: String
    private var lines: [String]
    private var i = 0
    private var diagnostics: [LessonDiagnostic] = []

    private var lessonID: String?
    private var title: String?
    private var titleTranslations: [String: String] = [:]
    private var order: Int?
    private var prerequisites: [String] = []
    private var prerequisiteLocations: [String: SourceLocation] = [:]
    private var idLocation: SourceLocation
    private var recorded: RecordingPlatform?
    private var libc: String?

    private var blocks: [LessonBlock] = []
    private var exercises: [Exercise] = []
    private var cellLines: [String: Int] = [:]
    private var exerciseLines: [String: Int] = [:]

    private var current: ExerciseBuilder?
    private var prose: [String] = []
    private var target: TranslationTarget = .none

    init(file: String, text: String) {
        self.file = file
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        self.lines = Self.lines(of: text)
        self.idLocation = SourceLocation(file: file, line: 1)
    }

    /// The lines of `text` as splitting its Characters at "\n" gives them (a CR LF pair is one
    /// Character, so it does not end a line), without a final "\r", and none after a final "\n".
    /// Split on the UTF-8 bytes: the same lines, without breaking the whole file into Characters.
    static func lines(of text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var lines: [String] = []
            var start = 0
            func line(_ end: Int) -> String {
                let last = end > start && bytes[end - 1] == 0x0D ? end - 1 : end
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<last]), as: UTF8.self)
            }
            for index in 0..<bytes.count where bytes[index] == 0x0A && (index == 0 || bytes[index - 1] != 0x0D) {
                lines.append(line(index))
                start = index + 1
            }
            // A final "\n" (not part of CR LF) ends the last line; there is none after it.
            if start < bytes.count || bytes.isEmpty {
                lines.append(line(bytes.count))
            }
            return lines
        }
    }

    // MARK: Diagnostics

    private mutating func report(_ line: Int, _ column: Int, _ message: String) {
        diagnostics.append(LessonDiagnostic(file: file, line: line + 1, column: column, message))
    }

    private func location(_ line: Int, _ column: Int = 1) -> SourceLocation {
        SourceLocation(file: file, line: line + 1, column: column)
    }

    // MARK: Lesson

    mutating func parse() -> ParsedLesson {
        parseFrontMatter()
        while i < lines.count {
            let line = lines[i]
            if let fence = readFence(at: i) {
                i += fence.lineCount
                handleFence(fence)
            } else if let (level, text) = Self.heading(line) {
                handleHeading(level: level, text: text)
                i += 1
            } else if Self.detailsLanguage(line) != nil {
                handleDetails()
            } else if current?.inHints == true {
                handleHintLine(line)
                i += 1
            } else {
                prose.append(line)
                i += 1
            }
        }
        flushProse()
        finishExercise()

        var lesson: Lesson?
        if let lessonID, let title, let order {
            lesson = Lesson(id: lessonID, title: LocalizedText(title, translations: titleTranslations), order: order,
                            prerequisites: prerequisites, blocks: blocks, exercises: exercises, file: file)
            lesson?.recorded = recorded
            lesson?.libc = libc
        }
        return ParsedLesson(lesson: lesson, diagnostics: diagnostics, idLocation: idLocation,
                            prerequisiteLocations: prerequisiteLocations)
    }

    // MARK: Front matter

    private mutating func parseFrontMatter() {
        guard let first = lines.first, first.trimmingSpaces == "---" else {
            report(0, 1, "a lesson file starts with front matter: a line '---', then 'id:', 'title:' and 'order:' lines, then '---'")
            return
        }
        var end: Int?
        for index in 1..<max(lines.count, 1) where lines[index].trimmingSpaces == "---" {
            end = index
            break
        }
        guard let end else {
            report(0, 1, "the front matter opened here is never closed: add a line '---' after its last key")
            i = lines.count
            return
        }
        var seen: [String: Int] = [:]
        for index in 1..<end {
            let line = lines[index]
            if line.isBlank || line.trimmingSpaces.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                report(index, 1, "expected 'key: value' in the front matter, found '\(line.trimmingSpaces)'")
                continue
            }
            let key = String(line[..<colon]).trimmingSpaces
            let rawValue = String(line[line.index(after: colon)...])
            let value = rawValue.trimmingSpaces
            let valueColumn = line.distance(from: line.startIndex, to: colon) + 2 + rawValue.leadingSpaceCount
            if let previous = seen[key] {
                report(index, 1, "'\(key)' is given twice in the front matter (first at line \(previous + 1))")
                continue
            }
            seen[key] = index
            if value.isEmpty {
                report(index, valueColumn, "'\(key):' has no value")
                continue
            }
            switch key {
            case "id":
                idLocation = location(index, valueColumn)
                if ValueSyntax.isIdentifier(value) { lessonID = value } else {
                    report(index, valueColumn, "lesson id '\(value)' must be lowercase letters, digits and '-'")
                }
            case "title":
                title = value
            case "order":
                if let number = Int(value) { order = number } else {
                    report(index, valueColumn, "'order' must be a whole number, found '\(value)'")
                }
            case "requires":
                var list = value
                if list.hasPrefix("["), list.hasSuffix("]") { list = String(list.dropFirst().dropLast()) }
                var offset = valueColumn + (value.hasPrefix("[") ? 1 : 0)
                for part in list.split(separator: ",", omittingEmptySubsequences: false) {
                    let name = String(part).trimmingSpaces
                    let column = offset + String(part).leadingSpaceCount
                    offset += part.count + 1
                    if name.isEmpty { continue }
                    if !ValueSyntax.isIdentifier(name) {
                        report(index, column, "prerequisite '\(name)' is not a lesson id (lowercase letters, digits and '-')")
                    } else if prerequisites.contains(name) {
                        report(index, column, "prerequisite '\(name)' is listed twice")
                    } else {
                        prerequisites.append(name)
                        prerequisiteLocations[name] = location(index, column)
                    }
                }
            case "recorded":  // where its traces were recorded (RecordingPlatform.swift)
                if let platform = RecordingPlatform(parsing: value) { recorded = platform } else {
                    report(index, valueColumn, "'recorded' is 'LIBC VERSION, KERNEL VERSION, ARCH' (as 'lessons record' writes it), found '\(value)'")
                }
            case "libc":
                if ValueSyntax.isIdentifier(value) { libc = value } else {
                    report(index, valueColumn, "'libc' names the C library the lesson teaches, such as glibc, found '\(value)'")
                }
            default:
                if key.hasPrefix("title."), Self.isLanguageCode(String(key.dropFirst(6))) {
                    titleTranslations[String(key.dropFirst(6))] = value
                } else {
                    report(index, 1, "unknown front matter key '\(key)' (known: id, title, title.ko, order, requires, recorded, libc)")
                }
            }
        }
        for required in ["id", "title", "order"] where seen[required] == nil {
            report(0, 1, "the front matter has no '\(required):' line")
        }
        i = end + 1
    }

    /// A line holding only an HTML comment (`<!-- not checked: … -->`).
    static func isCommentLine(_ line: String) -> Bool {
        let t = line.trimmingSpaces
        return t.hasPrefix("<!--") && t.hasSuffix("-->")
    }

    static func isLanguageCode(_ s: String) -> Bool {
        (2...3).contains(s.count) && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }
    }

    // MARK: Line classification

    /// `(level, text)` of an ATX heading (`## Text`), closing `#`s removed.
    static func heading(_ line: String) -> (Int, String)? {
        let indent = line.leadingSpaceCount
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let hashes = rest.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let after = rest.dropFirst(hashes)
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        var text = String(after).trimmingSpaces
        if text.hasSuffix("#") {
            let stripped = String(text.reversed().drop(while: { $0 == "#" }).reversed())
            if stripped.isEmpty || stripped.hasSuffix(" ") { text = stripped.trimmingSpaces }
        }
        return (hashes, text)
    }

    /// The language of a `<details lang="ko">` opening line, or nil for any other line.
    static func detailsLanguage(_ line: String) -> String? {
        let t = line.trimmingSpaces
        guard t.hasPrefix("<details"), let range = t.range(of: "lang=") else { return nil }
        guard let close = t.firstIndex(of: ">"), range.lowerBound < close else { return nil }
        var value = t[range.upperBound..<close]
        if let q = value.first, q == "\"" || q == "'" {
            value = value.dropFirst()
            value = value.prefix(while: { $0 != q })
        } else {
            value = value.prefix(while: { $0 != " " && $0 != "/" })
        }
        return String(value)
    }

    private func readFence(at index: Int) -> Fence? {
        let line = lines[index]
        let indent = line.leadingSpaceCount
        let rest = line.dropFirst(indent)
        guard let marker = rest.first, marker == "`" || marker == "~" else { return nil }
        let length = rest.prefix(while: { $0 == marker }).count
        guard length >= 3 else { return nil }
        let infoText = rest.dropFirst(length)
        if marker == "`", infoText.contains("`") { return nil }
        var info: [InfoWord] = []
        var column = indent + length + 1
        var word = ""
        var wordColumn = 0
        for c in infoText {
            if c == " " || c == "\t" {
                if !word.isEmpty { info.append(InfoWord(text: word, column: wordColumn)); word = "" }
            } else {
                if word.isEmpty { wordColumn = column }
                word.append(c)
            }
            column += 1
        }
        if !word.isEmpty { info.append(InfoWord(text: word, column: wordColumn)) }

        var j = index + 1
        while j < lines.count {
            let t = lines[j].trimmingSpaces
            if t.count >= length, t.allSatisfy({ $0 == marker }) {
                return Fence(line: index, indent: indent, marker: marker, length: length, info: info,
                             content: Array(lines[(index + 1)..<j]), closed: true, lineCount: j - index + 1)
            }
            j += 1
        }
        return Fence(line: index, indent: indent, marker: marker, length: length, info: info,
                     content: Array(lines[(index + 1)...].prefix(lines.count - index - 1)), closed: false,
                     lineCount: lines.count - index)
    }

    // MARK: Prose and translations

    private mutating func flushProse() {
        // `<!-- … -->` lines are notes for authors and lint (ProseFacts.swift), not text to show.
        var run = prose.filter { !Self.isCommentLine($0) }
        prose = []
        while let first = run.first, first.isBlank { run.removeFirst() }
        while let last = run.last, last.isBlank { run.removeLast() }
        guard !run.isEmpty else { return }
        let text = LocalizedText(run.joined(separator: "\n"))
        if current != nil {
            current!.statementRuns.append(text)
            target = .statement(current!.statementRuns.count - 1)
        } else {
            blocks.append(.prose(text))
            target = .lessonProse(blocks.count - 1)
        }
    }

    private mutating func handleDetails() {
        let openLine = i
        let language = Self.detailsLanguage(lines[i]) ?? ""
        flushProse()
        flushHint()
        // The opening line may carry the summary and even the whole translation.
        var opening = lines[i].trimmingSpaces
        opening = String(opening[opening.index(after: opening.firstIndex(of: ">")!)...])
        var content: [String] = []
        var closed = false
        func stripSummary(_ s: String) -> String {
            let t = s.trimmingSpaces
            if t.hasPrefix("<summary"), let end = t.range(of: "</summary>") { return String(t[end.upperBound...]) }
            return s
        }
        opening = stripSummary(opening)
        if opening.trimmingSpaces.hasSuffix("</details>") {
            content.append(String(opening.trimmingSpaces.dropLast("</details>".count)))
            closed = true
            i += 1
        } else {
            if !opening.isBlank { content.append(opening) }
            i += 1
            var sawText = !content.isEmpty
            while i < lines.count {
                if let fence = readFence(at: i) {
                    content.append(contentsOf: lines[i..<(i + fence.lineCount)])
                    i += fence.lineCount
                    sawText = true
                    continue
                }
                var line = lines[i]
                i += 1
                if !sawText, !line.isBlank {
                    line = stripSummary(line)
                    sawText = true
                    if line.isBlank { continue }
                }
                let t = line.trimmingSpaces
                if t.hasSuffix("</details>") {
                    content.append(String(t.dropLast("</details>".count)))
                    closed = true
                    break
                }
                content.append(line)
            }
        }
        guard closed else {
            report(openLine, 1, "<details lang=\"\(language)\"> is never closed: add a line </details> after the translation")
            return
        }
        while let first = content.first, first.isBlank { content.removeFirst() }
        while let last = content.last, last.isBlank { content.removeLast() }
        // A translation inside a list item (a hint) is indented like the item: not part of the text.
        let indent = content.filter { !$0.isBlank }.map(\.leadingSpaceCount).min() ?? 0
        content = content.map { $0.isBlank ? "" : String($0.dropFirst(indent)) }
        let text = content.joined(separator: "\n")
        guard Self.isLanguageCode(language) else {
            report(openLine, 1, "translation language '\(language)' is not a language code such as ko")
            return
        }
        guard !text.isEmpty else {
            report(openLine, 1, "this '\(language)' translation is empty")
            return
        }
        func attach(_ localized: inout LocalizedText) -> Bool {
            if localized.translations[language] != nil { return false }
            localized.translations[language] = text
            return true
        }
        var attached = true
        switch target {
        case .none:
            report(openLine, 1, "this '\(language)' translation follows no English text: put <details lang=\"\(language)\"> right after the paragraph, heading, statement or hint it translates")
            return
        case .lessonProse(let index):
            if case .prose(var localized) = blocks[index] {
                attached = attach(&localized)
                blocks[index] = .prose(localized)
            }
        case .statement(let index):
            attached = attach(&current!.statementRuns[index])
        case .hint(let index):
            attached = attach(&current!.hints[index])
        }
        if !attached {
            report(openLine, 1, "a second '\(language)' translation of the same text: merge it into the first one")
        }
    }

    // MARK: Headings

    private mutating func handleHeading(level: Int, text: String) {
        let isExerciseHeading = text.lowercased().hasPrefix("exercise:")
        if level == 2, isExerciseHeading {
            flushProse()
            flushHint()
            finishExercise()
            startExercise(text: text)
            return
        }
        if isExerciseHeading {
            report(i, 1, "an exercise heading is level 2: write '## \(text)'")
        }
        if level == 3, text.lowercased() == "hints" {
            flushProse()
            flushHint()
            if current == nil {
                report(i, 1, "'### Hints' outside an exercise: hints belong under a '## Exercise: id — title' heading")
            } else {
                current!.inHints = true
                target = .none
            }
            return
        }
        flushProse()
        flushHint()
        if level <= 2 {
            finishExercise()
        } else if current?.inHints == true {
            current!.inHints = false
        }
        // A heading is its own prose run, so that a translation right after it translates it alone.
        prose = [lines[i]]
        flushProse()
    }

    // MARK: Exercises

    private mutating func startExercise(text: String) {
        let line = lines[i]
        let rest = text.dropFirst("exercise:".count)
        let afterPrefix = rest.drop(while: { $0 == " " || $0 == "\t" })
        let id = String(afterPrefix.prefix(while: { $0 != " " && $0 != "\t" && $0 != "—" && $0 != "–" && $0 != ":" }))
        var titleText = afterPrefix.dropFirst(id.count).drop(while: { $0 == " " || $0 == "\t" })
        for separator in ["—", "–", "--", "-", ":"] where titleText.hasPrefix(separator) {
            titleText = titleText.dropFirst(separator.count)
            break
        }
        let title = String(titleText).trimmingSpaces
        // The id's column: search after the colon of "Exercise:" (the id may also occur in "Exercise").
        let colon = line.firstIndex(of: ":")!
        let afterColon = line[line.index(after: colon)...]
        let idStart = id.isEmpty ? colon : (afterColon.range(of: id)?.lowerBound ?? colon)
        let idColumn = line.distance(from: line.startIndex, to: idStart) + 1
        let first = diagnostics.count
        var exerciseID = id
        if id.isEmpty {
            report(i, idColumn, "the exercise heading has no id: write '## Exercise: some-id — Title'")
            exerciseID = "?"
        } else if !ValueSyntax.isIdentifier(id) {
            report(i, idColumn, "exercise id '\(id)' must be lowercase letters, digits and '-'")
        } else if let previous = exerciseLines[id] {
            report(i, idColumn, "exercise id '\(id)' is used twice in this lesson (first at line \(previous + 1))")
        } else {
            exerciseLines[id] = i
        }
        if !id.isEmpty, title.isEmpty {
            report(i, 1, "the exercise heading has no title: write '## Exercise: \(id) — Title'")
        }
        current = ExerciseBuilder(id: exerciseID, title: title, location: location(i, idColumn), firstDiagnostic: first,
                                  blockIndex: blocks.count)
        blocks.append(.exercise(exerciseID))
        target = .none
    }

    private mutating func finishExercise() {
        flushHint()
        guard let ex = current else { return }
        current = nil
        target = .none
        let heading = ex.location.line - 1
        let languages = ex.languages ?? [.c, .swift]
        for language in languages where ex.starters[language] == nil {
            report(heading, 1, "exercise '\(ex.id)' has no ```\(language.rawValue) starter``` block (its languages are \(languages.map(\.rawValue).joined(separator: ", ")))")
        }
        for (language, line) in ex.starterLines.sorted(by: { $0.value < $1.value }) where !languages.contains(language) {
            report(line, 1, "a \(language.rawValue) starter, but exercise '\(ex.id)' declares 'languages: \(languages.map(\.rawValue).joined(separator: ", "))'")
        }
        if ex.statementRuns.isEmpty {
            report(heading, 1, "exercise '\(ex.id)' has no statement: write what to do in prose under its heading")
        }
        if ex.expectations.isEmpty {
            report(heading, 1, "exercise '\(ex.id)' has no ```expect``` block, so nothing would be checked")
        }
        var cases = ex.cases
        if cases.isEmpty { cases = [ExerciseCase(name: "default", location: ex.location)] }
        let caseNames = Set(cases.map(\.name))
        for ref in ex.expectationCaseRefs where !caseNames.contains(ref.name) {
            diagnostics.append(LessonDiagnostic(location: ref.location,
                message: "expect block names case '\(ref.name)', which exercise '\(ex.id)' does not have (cases: \(cases.map(\.name).joined(separator: ", ")))"))
        }
        for ref in ex.expectationLanguageRefs where !languages.contains(ref.language) {
            diagnostics.append(LessonDiagnostic(location: ref.location,
                message: "expect block is for lang=\(ref.language.rawValue), which exercise '\(ex.id)' does not declare"))
        }
        // Per-case points: declared ones may not exceed the exercise's; when every case declares
        // its points and the exercise does not, the exercise is worth their sum.
        var points = ex.points
        let declared = cases.compactMap(\.points).reduce(0, +)
        if cases.contains(where: { $0.points != nil }) {
            if ex.allOrNothing {
                report(heading, 1, "exercise '\(ex.id)' gives its cases points but says 'credit: all-or-nothing'; drop one of them")
            } else if cases.allSatisfy({ $0.points != nil }) && !ex.pointsDeclared {
                points = declared
            } else if cases.allSatisfy({ $0.points != nil }) ? declared != points : declared > points {
                report(heading, 1, "the cases of exercise '\(ex.id)' are worth \(declared) points \(cases.allSatisfy { $0.points != nil } ? "in all" : "already"), but the exercise is worth \(points)")
            }
        }
        guard diagnostics.count == ex.firstDiagnostic else {
            // Reported above; a broken exercise is not offered to learners.
            blocks.remove(at: ex.blockIndex)
            return
        }
        var statement = LocalizedText(ex.statementRuns.map(\.english).joined(separator: "\n\n"))
        let translated = Set(ex.statementRuns.flatMap { $0.translations.keys })
        for language in translated.sorted() {
            statement.translations[language] = ex.statementRuns.map { $0.translations[language] ?? $0.english }
                .joined(separator: "\n\n")
        }
        exercises.append(Exercise(
            id: ex.id, lessonID: lessonID ?? "", title: LocalizedText(ex.title, translations: ex.titleTranslations),
            statement: statement, languages: languages, starters: ex.starters, cases: cases,
            expectations: ex.expectations, hints: ex.hints, points: points, limits: ex.limits, location: ex.location))
        exercises[exercises.count - 1].allOrNothing = ex.allOrNothing
    }

    // MARK: Hints

    private mutating func flushHint() {
        guard current != nil, var text = current!.hintText else { return }
        current!.hintText = nil
        text.removeAll { Self.isCommentLine($0) }
        while let last = text.last, last.isBlank { text.removeLast() }
        current!.hints.append(LocalizedText(text.joined(separator: "\n")))
        target = .hint(current!.hints.count - 1)
    }

    private mutating func handleHintLine(_ line: String) {
        if let (marker, text) = Self.listItem(line) {
            flushHint()
            current!.hintText = [text]
            current!.hintIndent = marker
            current!.hintLine = i
            return
        }
        if line.isBlank {
            current!.hintText?.append("")
            return
        }
        guard current!.hintText != nil else {
            report(i, 1, "expected a numbered hint ('1. …') under '### Hints'")
            return
        }
        let strip = min(line.leadingSpaceCount, current!.hintIndent)
        current!.hintText!.append(String(line.dropFirst(strip)))
    }

    /// `(content indent, text)` of a numbered list item (`1. text` or `1) text`).
    static func listItem(_ line: String) -> (Int, String)? {
        let indent = line.leadingSpaceCount
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard (1...3).contains(digits.count) else { return nil }
        let afterDigits = rest.dropFirst(digits.count)
        guard let punct = afterDigits.first, punct == "." || punct == ")" else { return nil }
        let after = afterDigits.dropFirst()
        guard after.isEmpty || after.first == " " else { return nil }
        let spaces = after.prefix(while: { $0 == " " }).count
        return (indent + digits.count + 1 + spaces, String(after).trimmingSpaces)
    }

    // MARK: Fenced blocks

    private mutating func handleFence(_ fence: Fence) {
        if !fence.closed {
            let marker = String(repeating: fence.marker, count: fence.length)
            report(fence.line, fence.indent + 1, "this \(marker) block is never closed: add a line \(marker) after its last line")
            return
        }
        let kind = fence.info.first?.text.lowercased() ?? ""
        let attributes = Array(fence.info.dropFirst())
        switch kind {
        case "c", "swift":
            let language: Language = kind == "c" ? .c : .swift
            handleCode(fence, language: language, attributes: attributes)
        case "exercise", "case", "expect":
            guard current != nil else {
                report(fence.line, fence.indent + 1, "a ```\(kind)``` block belongs inside an exercise, after a '## Exercise: id — title' heading")
                return
            }
            flushProse()
            flushHint()
            target = .none
            switch kind {
            case "exercise": handleExerciseBlock(fence, attributes: attributes)
            case "case": handleCase(fence, attributes: attributes)
            default: handleExpect(fence, attributes: attributes)
            }
        case "trace", "claim":  // a cell's recorded trace and its claims (CellEvidence.swift)
            flushProse()
            let (evidence, problems) = CellEvidence.parse(kind: kind, attributes: attributes.map { ($0.text, $0.column) },
                                                          lines: fence.content, file: file, fenceLine: fence.line, lineCount: fence.lineCount)
            for problem in problems { report(fence.line + 1 + problem.line, problem.column, problem.message) }
            if let evidence, let why = blocks.attach(evidence) {
                report(fence.line, fence.indent + 1, "a ```\(kind)``` block " + why)
            }
        case "predict":  // beyond: predict-then-observe (PredictCell.swift)
            flushProse()
            let (prediction, problems) = Prediction.parse(fence.content, file: file, firstLine: fence.line + 2)
            for problem in problems { report(fence.line + 1 + problem.line, problem.column, problem.message) }
            if let prediction, !blocks.attach(prediction: prediction) {
                report(fence.line, fence.indent + 1, "a ```predict``` block comes right after the ```c cell=NAME``` or ```swift cell=NAME``` block it asks about (one per cell)")
            }
        default:
            appendProseFence(fence)
        }
    }

    private mutating func appendProseFence(_ fence: Fence) {
        let fenceLines = Array(lines[fence.line..<(fence.line + fence.lineCount)])
        if current?.inHints == true {
            if current!.hintText == nil {
                report(fence.line, 1, "expected a numbered hint ('1. …') under '### Hints'")
            } else {
                let strip = current!.hintIndent
                current!.hintText!.append(contentsOf: fenceLines.map { String($0.dropFirst(min($0.leadingSpaceCount, strip))) })
            }
        } else {
            prose.append(contentsOf: fenceLines)
        }
    }

    private mutating func handleCode(_ fence: Fence, language: Language, attributes: [InfoWord]) {
        var cellName: (String, Int)?
        var isStarter = false
        var tty = false
        var environment: [String: String] = [:]
        var bad = false
        for attribute in attributes {
            if attribute.text == "starter" {
                isStarter = true
            } else if attribute.text == "tty" {
                tty = true
            } else if attribute.text.hasPrefix("env=") {
                let assignment = attribute.text.dropFirst(4)
                guard let eq = assignment.firstIndex(of: "="), ValueSyntax.isEnvironmentName(String(assignment[..<eq])) else {
                    report(fence.line, attribute.column, "'env=' takes NAME=VALUE (no spaces), found '\(attribute.text)'")
                    bad = true
                    continue
                }
                environment[String(assignment[..<eq])] = String(assignment[assignment.index(after: eq)...])
            } else if attribute.text.hasPrefix("cell=") {
                cellName = (String(attribute.text.dropFirst(5)), attribute.column)
            } else {
                report(fence.line, attribute.column, "unknown attribute '\(attribute.text)' on a \(language.rawValue) block (known: starter, cell=NAME, tty, env=NAME=VALUE)")
                bad = true
            }
        }
        if bad { return }
        if isStarter, cellName != nil {
            report(fence.line, fence.indent + 1, "a block is either a starter or a cell, not both")
            return
        }
        if tty || !environment.isEmpty, cellName == nil {
            report(fence.line, fence.indent + 1, "'tty' and 'env=' belong to an example cell: write ```\(language.rawValue) cell=NAME tty")
            return
        }
        let code = fence.content.joined(separator: "\n") + "\n"
        if isStarter {
            guard current != nil else {
                report(fence.line, fence.indent + 1, "a starter belongs inside an exercise, after a '## Exercise: id — title' heading")
                return
            }
            flushProse()
            flushHint()
            target = .none
            if let previous = current!.starterLines[language] {
                report(fence.line, fence.indent + 1, "a second \(language.rawValue) starter in exercise '\(current!.id)' (the first is at line \(previous + 1))")
                return
            }
            current!.starterLines[language] = fence.line
            current!.starters[language] = code
            return
        }
        guard let (name, column) = cellName else {
            appendProseFence(fence)
            return
        }
        flushProse()
        flushHint()
        target = .none
        guard ValueSyntax.isIdentifier(name) else {
            report(fence.line, column, "cell name '\(name)' must be lowercase letters, digits and '-'")
            return
        }
        if let previous = cellLines[name] {
            report(fence.line, column, "cell name '\(name)' is used twice in this lesson (first at line \(previous + 1))")
            return
        }
        cellLines[name] = fence.line
        var cell = ExampleCell(name: name, language: language, code: code, location: location(fence.line + 1))
        cell.tty = tty
        cell.environment = environment
        blocks.append(.cell(cell))
    }

    private mutating func handleExerciseBlock(_ fence: Fence, attributes: [InfoWord]) {
        for attribute in attributes {
            report(fence.line, attribute.column, "unknown attribute '\(attribute.text)' on an exercise block (it takes none)")
        }
        if let previous = current!.exerciseBlockLine {
            report(fence.line, fence.indent + 1, "a second ```exercise``` block in exercise '\(current!.id)' (the first is at line \(previous + 1)): merge them")
            return
        }
        current!.exerciseBlockLine = fence.line
        var seen: [String: Int] = [:]
        for (offset, line) in fence.content.enumerated() {
            let index = fence.line + 1 + offset
            guard let entry = keyValue(line, index: index) else { continue }
            let (key, value, column) = entry
            if let previous = seen[key] {
                report(index, 1, "'\(key)' is given twice (first at line \(previous + 1))")
                continue
            }
            seen[key] = index
            do throws(ValueError) {
                switch key {
                case "points":
                    guard let n = Int(value), n >= 0 else { throw ValueError(offset: 0, message: "'points' must be a whole number ≥ 0, found '\(value)'") }
                    current!.points = n
                    current!.pointsDeclared = true
                case "credit":  // per-case credit (Grading/CaseCredit.swift)
                    switch value {
                    case "per-case": current!.allOrNothing = false
                    case "all-or-nothing": current!.allOrNothing = true
                    default: throw ValueError(offset: 0, message: "'credit' is 'per-case' or 'all-or-nothing', found '\(value)'")
                    }
                case "languages":
                    var list: [Language] = []
                    var offsetInValue = 0
                    for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                        let name = String(part).trimmingSpaces
                        let at = offsetInValue + String(part).leadingSpaceCount
                        offsetInValue += part.count + 1
                        guard let language = Language(rawValue: name) else {
                            throw ValueError(offset: at, message: "unknown language '\(name)' (known: c, swift)")
                        }
                        if list.contains(language) { throw ValueError(offset: at, message: "language '\(name)' is listed twice") }
                        list.append(language)
                    }
                    current!.languages = list
                case "cpu": current!.limits.cpuSeconds = try ValueSyntax.duration(value)
                case "wall": current!.limits.wallSeconds = try ValueSyntax.duration(value)
                case "memory": current!.limits.memoryBytes = try ValueSyntax.size(value)
                case "stdout": current!.limits.stdoutBytes = try ValueSyntax.size(value)
                case "processes":
                    guard let n = Int(value), n >= 1 else { throw ValueError(offset: 0, message: "'processes' must be a whole number ≥ 1, found '\(value)'") }
                    current!.limits.processes = n
                case "exec":
                    switch value {
                    case "allow": current!.limits.allowExec = true
                    case "deny": current!.limits.allowExec = false
                    default: throw ValueError(offset: 0, message: "'exec' is 'allow' or 'deny', found '\(value)'")
                    }
                default:
                    if key.hasPrefix("title."), Self.isLanguageCode(String(key.dropFirst(6))) {
                        current!.titleTranslations[String(key.dropFirst(6))] = value
                    } else {
                        report(index, 1, "unknown key '\(key)' in an exercise block (known: points, credit, languages, title.ko, cpu, wall, memory, processes, stdout, exec)")
                    }
                }
            } catch {
                report(index, column + error.offset, error.message)
            }
        }
    }

    /// `key: value` of a line in an `exercise` or `case` block (nil for blank and `#` lines;
    /// reports lines without a colon). The column is where the value starts.
    private mutating func keyValue(_ line: String, index: Int) -> (String, String, Int)? {
        if line.isBlank || line.trimmingSpaces.hasPrefix("#") { return nil }
        guard let colon = line.firstIndex(of: ":") else {
            report(index, line.leadingSpaceCount + 1, "expected 'key: value', found '\(line.trimmingSpaces)'")
            return nil
        }
        let key = String(line[..<colon]).trimmingSpaces
        let raw = String(line[line.index(after: colon)...])
        let column = line.distance(from: line.startIndex, to: colon) + 2 + raw.leadingSpaceCount
        return (key, raw.trimmingSpaces, column)
    }

    private mutating func handleCase(_ fence: Fence, attributes: [InfoWord]) {
        guard let nameWord = attributes.first else {
            report(fence.line, fence.indent + 1, "a case block needs a name: ```case NAME")
            return
        }
        var hidden = false
        for extra in attributes.dropFirst() {
            if extra.text == "hidden" && !hidden { hidden = true; continue }
            report(fence.line, extra.column, "unknown attribute '\(extra.text)' on a case block (it takes a name and 'hidden')")
        }
        let name = nameWord.text
        guard ValueSyntax.isIdentifier(name) else {
            report(fence.line, nameWord.column, "case name '\(name)' must be lowercase letters, digits and '-'")
            return
        }
        if let previous = current!.cases.first(where: { $0.name == name }) {
            report(fence.line, nameWord.column, "case '\(name)' is defined twice in exercise '\(current!.id)' (first at line \(previous.location.line))")
            return
        }
        var exerciseCase = ExerciseCase(name: name, location: location(fence.line, nameWord.column), hidden: hidden)
        var seen: [String: Int] = [:]
        var sequence: (Int, Int)?
        var k = 0
        let content = fence.content
        while k < content.count {
            let index = fence.line + 1 + k
            let line = content[k]
            k += 1
            guard let (key, value, column) = keyValue(line, index: index) else { continue }
            if key != "env", key != "inject", let previous = seen[key] {
                report(index, 1, "'\(key)' is given twice in case '\(name)' (first at line \(previous + 1))")
                continue
            }
            seen[key] = index
            // A `|` block: the indented lines that follow.
            var blockValue: String?
            if value == "|" || value == "|-" {
                var blockLines: [String] = []
                var firstIndent: Int?
                var bad = false
                while k < content.count {
                    let next = content[k]
                    if next.isBlank { blockLines.append(""); k += 1; continue }
                    let indent = next.leadingSpaceCount
                    if next.dropFirst(indent).first == "\t" {
                        report(fence.line + 1 + k, indent + 1, "a tab in the indentation of a | block: indent with spaces")
                        bad = true; k += 1; continue
                    }
                    if indent == 0 { break }
                    if let firstIndent, indent < firstIndent {
                        report(fence.line + 1 + k, indent + 1, "this line of the | block is indented less than its first line (\(firstIndent) spaces)")
                        bad = true; k += 1; continue
                    }
                    if firstIndent == nil { firstIndent = indent }
                    blockLines.append(String(next.dropFirst(firstIndent!)))
                    k += 1
                }
                while let last = blockLines.last, last.isEmpty { blockLines.removeLast() }
                if bad { continue }
                if blockLines.isEmpty {
                    report(index, column, "'\(key): \(value)' is followed by no indented lines: indent the text under it, or write a one-line value")
                    continue
                }
                blockValue = blockLines.joined(separator: "\n") + (value == "|" ? "\n" : "")
            }
            do throws(ValueError) {
                switch key {
                case "args":
                    if blockValue != nil { throw ValueError(offset: 0, message: "'args' takes one line, not a | block") }
                    exerciseCase.arguments = try ValueSyntax.words(value).map(\.word)
                case "env":
                    if blockValue != nil { throw ValueError(offset: 0, message: "'env' takes NAME=VALUE on one line, not a | block") }
                    for (word, offset) in try ValueSyntax.words(value) {
                        guard let eq = word.firstIndex(of: "="), ValueSyntax.isEnvironmentName(String(word[..<eq])) else {
                            throw ValueError(offset: offset, message: "expected NAME=VALUE, found '\(word)'")
                        }
                        let variable = String(word[..<eq])
                        if exerciseCase.environment[variable] != nil {
                            throw ValueError(offset: offset, message: "environment variable '\(variable)' is set twice in case '\(name)'")
                        }
                        exerciseCase.environment[variable] = String(word[word.index(after: eq)...])
                    }
                case "inject":  // beyond strace: fault injection (InjectKey.swift)
                    exerciseCase.inject = (exerciseCase.inject ?? []) + [try Self.injectRule(value, block: blockValue)]
                case "stdin":
                    exerciseCase.stdin = try Self.value(blockValue, value)
                case "stdin-seq":
                    if blockValue != nil { throw ValueError(offset: 0, message: "'stdin-seq' takes FIRST LAST on one line, not a | block") }
                    let bounds = value.split(separator: " ", omittingEmptySubsequences: true).map { Int($0) }
                    guard bounds.count == 2, let first = bounds[0], let last = bounds[1], first <= last else {
                        throw ValueError(offset: 0, message: "'stdin-seq' takes two whole numbers FIRST LAST with FIRST ≤ LAST, found '\(value)'")
                    }
                    let (span, overflow) = last.subtractingReportingOverflow(first)
                    guard !overflow, span < Self.maximumSequenceLines else {
                        throw ValueError(offset: 0, message: "'stdin-seq' may generate at most \(Self.maximumSequenceLines) lines")
                    }
                    sequence = (first, last)
                case _ where key.hasPrefix("file ") || key.hasPrefix("file\t"):
                    let fileName = String(key.dropFirst(5)).trimmingSpaces
                    guard Self.isPlainFileName(fileName) else {
                        report(index, line.leadingSpaceCount + 6, "file name '\(fileName)' must be a plain name in the working directory (no '/', not '.' or '..')")
                        continue
                    }
                    if exerciseCase.files[fileName] != nil {
                        report(index, 1, "file '\(fileName)' is given twice in case '\(name)'")
                        continue
                    }
                    exerciseCase.files[fileName] = try Self.value(blockValue, value)
                case "points":  // per-case credit (Grading/CaseCredit.swift)
                    guard blockValue == nil, let n = Int(value), n >= 0 else {
                        throw ValueError(offset: 0, message: "'points' must be a whole number ≥ 0, found '\(value)'")
                    }
                    exerciseCase.points = n
                default:
                    report(index, line.leadingSpaceCount + 1, "unknown key '\(key)' in a case block (known: args, env, stdin, stdin-seq, file NAME, points)")
                }
            } catch {
                report(index, column + error.offset, error.message)
            }
        }
        if let (first, last) = sequence {
            // After the `stdin` text, whatever the order of the two keys.
            var bytes = Array((exerciseCase.stdin ?? "").utf8)
            bytes.reserveCapacity(bytes.count + (last - first + 1) * 8)
            for number in first...last {
                bytes.append(contentsOf: String(number).utf8)
                bytes.append(0x0A)
            }
            exerciseCase.stdin = String(decoding: bytes, as: UTF8.self)
        }
        current!.cases.append(exerciseCase)
    }

    /// `stdin-seq` generates big inputs without writing them out; this keeps them sane.
    static let maximumSequenceLines = 1_000_000

    static func value(_ block: String?, _ line: String) throws(ValueError) -> String {
        if let block { return block }
        return try lineValue(line)
    }

    /// A one-line value: `"quoted"` exactly (with escapes), otherwise the text plus a newline.
    static func lineValue(_ value: String) throws(ValueError) -> String {
        if value.hasPrefix("\"") { return try ValueSyntax.quoted(value) }
        return value.isEmpty ? "" : value + "\n"
    }

    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }

    private mutating func handleExpect(_ fence: Fence, attributes: [InfoWord]) {
        var cases: [String] = []
        var languages: [Language] = []
        var hidden = false
        var bad = false
        for attribute in attributes {
            let text = attribute.text
            if text == "hidden" {
                hidden = true
            } else if text.hasPrefix("case=") {
                var column = attribute.column + 5
                for part in text.dropFirst(5).split(separator: ",", omittingEmptySubsequences: false) {
                    let name = String(part)
                    if !ValueSyntax.isIdentifier(name) {
                        report(fence.line, column, "case name '\(name)' must be lowercase letters, digits and '-'")
                        bad = true
                    } else {
                        cases.append(name)
                        current!.expectationCaseRefs.append((name, location(fence.line, column)))
                    }
                    column += part.count + 1
                }
            } else if text.hasPrefix("lang=") {
                var column = attribute.column + 5
                for part in text.dropFirst(5).split(separator: ",", omittingEmptySubsequences: false) {
                    if let language = Language(rawValue: String(part)) {
                        languages.append(language)
                        current!.expectationLanguageRefs.append((language, location(fence.line, column)))
                    } else {
                        report(fence.line, column, "unknown language '\(part)' (known: c, swift)")
                        bad = true
                    }
                    column += part.count + 1
                }
            } else {
                report(fence.line, attribute.column, "unknown attribute '\(text)' on an expect block (known: case=NAME[,NAME], lang=c|swift, hidden)")
                bad = true
            }
        }
        if fence.content.allSatisfy(\.isBlank) {
            report(fence.line, fence.indent + 1, "this expect block is empty: write at least one expectation, or remove it")
            return
        }
        if bad { return }
        current!.expectations.append(ExpectationSource(
            text: fence.content.joined(separator: "\n"), location: location(fence.line + 1),
            cases: cases, languages: languages, hidden: hidden))
    }
}
