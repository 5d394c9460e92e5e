// Parses one lesson file (Markdown, docs/lesson-format.md) into the `Lesson` model.
//
// Grammar (line-oriented; fences are skipped over whole, so nothing inside a fence is structure):
//
//   lesson       := front-matter body
//   front-matter := '---' NL { key ':' value NL | '#' comment NL | blank NL } '---' NL
//                   key := FrontMatterKey (LessonKeys.swift)
//   body         := { prose | heading | cell | translation | exercise }
//   translation  := '<details lang="LANG">' [ '<summary>' … '</summary>' ] markdown '</details>'
//                   (translates the prose run, heading, statement or hint just before it)
//   cell         := fence('c' | 'swift', 'cell=NAME' [ 'tty' ] { 'env=NAME=VALUE' }) [ predict ] [ trace ] { claim }
//   trace        := fence('trace' [ 'all' ])          (CellEvidence.swift)
//   claim        := fence('claim') of [ 'fact:' text ] expectation lines
//   exercise     := '## Exercise: ' ID ' — ' TITLE NL
//                   { prose | translation | exercise-block | starter | case | expect | hints }
//                   (runs to the next level-1 or level-2 heading)
//   exercise-block := fence('exercise') of 'key: value' lines, key := ExerciseKey
//   starter      := fence('c' | 'swift', 'starter')
//   case         := fence('case', NAME [ 'hidden' ]) of 'key: value' lines, key := CaseKey; values
//                   are one line, a "quoted string" or a '|' / '|-' block of indented lines
//   expect       := fence('expect', [ 'case=' NAME {',' NAME} ] [ 'lang=' LANG ] [ 'hidden' ])
//   hints        := '### Hints' NL { NUMBER '.' text { continuation } [ translation ] }
//
// Every problem becomes a `LessonDiagnostic` (`file:line:column: message`); the parser never
// stops at the first one. An exercise with a problem is left out of the lesson; a lesson
// whose front matter is broken is left out of the pack.
//
// This file holds the entry and the main loop; each part of the grammar has its own file:
// LessonParser+FrontMatter, +Prose (prose, headings, hints, translations), +Fences (fences
// and cells), +Exercise, +Case, +Expect.

import Vocabulary

package enum LessonParser {
    /// Parses `text`, the contents of the lesson file `file` (used in diagnostics and `Lesson.file`).
    package static func parse(_ text: String, file: String) -> (lesson: Lesson?, diagnostics: [LessonDiagnostic]) {
        let parsed = parseDetailed(text, file: file)
        return (parsed.lesson, parsed.diagnostics)
    }

    /// At most this many diagnostics per file, then one line saying how many more: a file that
    /// is not a lesson at all (a fuzzer's, a binary renamed .md) once gave 28 000.
    package static let diagnosticsPerFile = 100

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

struct Fence {
    var line: Int            // 0-based index of the opening line
    var indent: Int
    var marker: Character    // ` or ~
    var length: Int
    var info: [InfoWord]
    var content: [String]
    var closed: Bool
    var lineCount: Int       // lines consumed, including both fence lines
}

struct InfoWord {
    var text: String
    var column: Int
}

enum TranslationTarget {
    case none
    case lessonProse(Int)
    case statement(Int)
    case hint(Int)
}

struct ExerciseBuilder {
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
    var lines: [String]
    var i = 0
    var diagnostics: [LessonDiagnostic] = []

    var lessonID: String?
    var title: String?
    var titleTranslations: [String: String] = [:]
    var order: Int?
    var prerequisites: [String] = []
    var prerequisiteLocations: [String: SourceLocation] = [:]
    var idLocation: SourceLocation
    var recorded: RecordingPlatform?
    var libc: String?

    var blocks: [LessonBlock] = []
    var exercises: [Exercise] = []
    var cellLines: [String: Int] = [:]
    var exerciseLines: [String: Int] = [:]

    var current: ExerciseBuilder?
    var prose: [String] = []
    var target: TranslationTarget = .none

    init(file: String, text: String) {
        self.file = file
        let split = LessonText(text)
        self.lines = split.lines
        self.idLocation = SourceLocation(file: file, line: 1)
        for (line, column) in split.loneCarriageReturns {
            report(line, column, "a carriage return (CR) that does not end a line: line ends here are LF or CR LF; save the file with one of them")
        }
    }

    /// The lines of `text` as the parser reads them (LessonText).
    static func lines(of text: String) -> [String] { LessonText(text).lines }

    // MARK: Diagnostics

    mutating func report(_ line: Int, _ column: Int, _ message: String) {
        diagnostics.append(LessonDiagnostic(file: file, line: line + 1, column: column, message))
    }

    func location(_ line: Int, _ column: Int = 1) -> SourceLocation {
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
}
