// The bundled lesson pack, linted for real: every lesson parses, every expectation
// parses, every starter compiles and fails, every file in Solutions/ passes its exercise, in
// C and in Swift; every example cell's trace block and claims hold against a real run, and
// every number in the prose is checked or marked; and every exercise has its
// Korean statement and hints.
// Real compiles and sandboxed traced runs: a cold compile cache (LESSONS_CACHE pointing to an
// empty folder) costs a few minutes on a loaded 2-core machine; a warm one much less.

import Foundation
import Notebook
import Testing
@testable import Grading

enum BundledPack {
    /// The repository's root, from this file's path (Tests/GradingTests/…).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let lessons = root + "/Lessons"
    static let solutions = root + "/Solutions"

    /// Every regular file under Solutions/ (the number lint must check).
    static func solutionFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: solutions) else { return [] }
        var files: [String] = []
        for case let relative as String in walker {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: solutions + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue,
               !(relative as NSString).lastPathComponent.hasPrefix(".") {
                files.append(relative)
            }
        }
        return files.sorted()
    }
}

@Suite("The bundled lesson pack")
struct BundledPackLintTests {
    @Test("lint: every solution passes, every starter fails, no problem")
    func lintBundledPack() throws {
        #expect(FileManager.default.fileExists(atPath: BundledPack.lessons), "no Lessons/ at \(BundledPack.lessons)")
        let files = BundledPack.solutionFiles()
        #expect(!files.isEmpty, "no solution files under \(BundledPack.solutions)")
        #expect(LessonLinter.solutionsDirectory(for: BundledPack.lessons) == BundledPack.solutions)

        let started = Date()
        let summary = LessonLinter.lint(directory: BundledPack.lessons, options: CheckOptions(language: "en"))
        let seconds = Date().timeIntervalSince(started)
        print("lint of the bundled pack: \(summary.lessons) lessons, \(summary.exercises) exercises, "
              + "\(summary.startersChecked) starters, \(summary.solutionsChecked) solutions, "
              + "\(summary.problems.count) problems, \(String(format: "%.1f", seconds)) s")

        for problem in summary.problems { Issue.record("\(problem)") }
        #expect(summary.problems.isEmpty)
        #expect(summary.solutionsChecked == files.count, "lint checked \(summary.solutionsChecked) solutions; Solutions/ holds \(files.count): \(files)")
        #expect(summary.lessons >= 7)

        // Every starter of every language an exercise accepts was checked.
        let pack = LessonPack.load(directory: BundledPack.lessons).pack
        let starters = pack.lessons.flatMap(\.exercises).reduce(0) { total, exercise in
            total + exercise.languages.filter { exercise.starters[$0] != nil }.count
        }
        let languages = pack.lessons.flatMap(\.exercises).reduce(0) { $0 + $1.languages.count }
        #expect(starters == languages, "an exercise lacks a starter for a language it accepts")
        #expect(summary.startersChecked == starters)

        // The lessons' own text: every cell run, every trace block and claim held against the
        // run on a machine like the one the lessons were recorded on, and set aside (counted,
        // never a problem) on any other; every numeric fact in prose checked or marked.
        let cells = pack.lessons.flatMap { lesson in
            lesson.blocks.compactMap { block -> (Lesson, ExampleCell)? in
                if case .cell(let cell) = block { return (lesson, cell) } else { return nil }
            }
        }
        let evidence = summary.evidence
        print("lint of the bundled pack: \(evidence.cells) cells, \(evidence.tracesCompared) trace blocks compared, "
              + "\(evidence.claimsChecked) claims checked, \(evidence.notCompared) recorded elsewhere; \(evidence.facts.count) facts in prose: "
              + "\(evidence.factsChecked) checked, \(evidence.factsMarked.count) marked not machine-checked")
        #expect(evidence.cells == cells.count)
        #expect(cells.allSatisfy { $0.1.trace?.lines.isEmpty == false || !$0.1.claims.isEmpty }, "every cell of the bundled pack shows its trace or states claims")
        #expect(pack.lessons.allSatisfy { $0.recorded != nil })
        var compared = 0, checked = 0, elsewhere = 0
        for (lesson, cell) in cells {
            let here = PlatformProbe.current(for: cell.language)
            let count = (cell.trace == nil ? 0 : 1) + cell.claims.count
            if lesson.recorded?.tracesComparable(on: here) == true {
                compared += cell.trace == nil ? 0 : 1
                checked += cell.claims.count
            } else {
                elsewhere += count
            }
        }
        #expect(evidence.tracesCompared == compared && evidence.claimsChecked == checked && evidence.notCompared == elsewhere)
        #expect(cells.reduce(0) { $0 + $1.1.claims.count } >= 50, "the pack states its facts as claims")
        #expect(evidence.facts.allSatisfy { $0.status != .unchecked })
        #expect(evidence.factsChecked > 2 * evidence.factsMarked.count, "most facts in prose are checked, not merely marked")
    }

    @Test("check explains a failing program in Korean under language ko, in English by default")
    func koreanExplanationsEndToEnd() throws {
        let pack = LessonPack.load(directory: BundledPack.lessons).pack
        let exercise = try #require(pack.exercise("mmap-params/anon-two-pages"))
        // The reference solution, asking for one page instead of two.
        let solution = try String(contentsOfFile: BundledPack.solutions + "/mmap-params/anon-two-pages.c", encoding: .utf8)
        let onePage = solution.replacingOccurrences(of: "2 * (size_t)page", with: "(size_t)page")
        #expect(onePage != solution, "the solution no longer computes its length as 2 * (size_t)page")
        let folder = NSTemporaryDirectory() + "lessons-ko-\(getpid())/mmap-params"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: (folder as NSString).deletingLastPathComponent) }
        let file = folder + "/anon-two-pages.c"
        try onePage.write(toFile: file, atomically: true, encoding: .utf8)

        let korean = try Checker(options: CheckOptions(language: "ko")).check(file: file, exercise: exercise)
        let english = try Checker(options: CheckOptions()).check(file: file, exercise: exercise)
        #expect(korean.status == .failed && english.status == .failed)
        let ko = try #require(korean.cases.first?.failures.first)
        let en = try #require(english.cases.first?.failures.first)
        #expect(ko.line == en.line && ko.nearest == en.nearest)
        #expect(ko.explanation == "프로그램이 mmap에 4096바이트를 요청했습니다(length 인자). 이 연습은 8192바이트(4096바이트 페이지 두 개)를 원합니다")
        #expect(en.explanation == "your program asked mmap for 4096 bytes (length); this exercise wants 8192 (two pages of 4096 bytes)")
    }

    @Test("every exercise reads in Korean too: title, statement, every hint")
    func koreanTexts() {
        let (pack, diagnostics) = LessonPack.load(directory: BundledPack.lessons)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        for lesson in pack.lessons {
            #expect(lesson.title.translations["ko"]?.isEmpty == false, "\(lesson.id): no Korean title")
            for exercise in lesson.exercises {
                #expect(exercise.title.translations["ko"]?.isEmpty == false, "\(exercise.fullID): no Korean title")
                #expect(exercise.statement.translations["ko"]?.isEmpty == false, "\(exercise.fullID): no Korean statement")
                for (k, hint) in exercise.hints.enumerated() {
                    #expect(hint.translations["ko"]?.isEmpty == false, "\(exercise.fullID): hint \(k + 1) has no Korean text")
                }
            }
        }
    }
}
