// A case's `inject:` rules reach the tracer: a program that checks malloc survives the second
// allocation failing, one that does not crashes (Tests/Fixtures/beyond).

import Foundation
import Notebook
import Testing
@testable import Grading
import TestSupport

@Suite("Exercise cases with inject:") struct BeyondInjectTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/beyond").path

    static func exercise() throws -> Exercise {
        let (pack, diagnostics) = LessonPack.load(directory: fixtures + "/lessons")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let exercise = try #require(pack.exercise("inject/second-fails"))
        #expect(exercise.cases.first?.inject == ["mmap:error=ENOMEM:when=2+", "brk:error=ENOMEM:when=3+"])
        return exercise
    }

    @Test func aCheckingProgramPasses() throws {
        let result = try Checker(options: CheckOptions(retryInternalErrors: false)).check(file: Self.fixtures + "/twice.c", exercise: try Self.exercise())
        #expect(result.status == .passed, "\(result.feedback) \(result.notes)")
    }

    @Test func anUncheckedProgramCrashes() throws {
        let result = try Checker(options: CheckOptions(retryInternalErrors: false)).check(file: Self.fixtures + "/unchecked.c", exercise: try Self.exercise())
        #expect(result.status == .crashed, "\(result.feedback) \(result.notes)")
    }

    /// A rule the tracer refuses is the lesson's fault: found before anything is compiled, with
    /// the case's line, by check (as a broken lesson, never a learner's internal error) and lint.
    @Test func aBadRuleIsReportedWithItsLine() throws {
        var exercise = try Self.exercise()
        exercise.cases[0].inject = ["mmap:error=ENOTREAL"]
        let thrown = #expect(throws: CheckError.self) {
            try Checker(options: CheckOptions(retryInternalErrors: false)).check(file: Self.fixtures + "/twice.c", exercise: exercise)
        }
        let text = thrown.map { "\($0)" } ?? ""
        #expect(text.contains("01-inject.md:") && text.contains("unknown errno 'ENOTREAL'") && text.contains("fix the inject: line"), "\(text)")
        #expect(Checker.lessonProblems(of: exercise) == [text])
        let students = TestScratch.directory("lessons-inject-class")
        try FileManager.default.createDirectory(atPath: students + "/ann", withIntermediateDirectories: true)
        #expect(throws: CheckError.self) {
            try Grader.grade(directory: students, exercises: [exercise], tool: "t", options: GradeOptions(cache: nil))
        }
    }

    @Test func lintFindsABadRule() throws {
        let pack = try Self.temporaryPack(rule: "mmap:error=ENOTREAL")
        let summary = LessonLinter.lint(directory: pack)
        #expect(summary.problems.map(\.description).contains { $0.contains("01-bad.md:") && $0.contains("unknown errno 'ENOTREAL'") },
                "\(summary.problems.map(\.description))")
    }

    static func temporaryPack(rule: String) throws -> String {
        let directory = TestScratch.directory("lessons-inject")
        let lesson = """
            ---
            id: bad
            title: Bad rule
            order: 1
            ---

            ## Exercise: rule — A rule the tracer refuses

            Exit.

            ```exercise
            languages: c
            ```

            ```c starter
            int main(void) { return 0; }
            ```

            ```case one
            inject: \(rule)
            ```

            ```expect
            exited with 0
            ```
            """
        try lesson.write(toFile: directory + "/01-bad.md", atomically: true, encoding: .utf8)
        return directory
    }
}

@Suite("Expectations naming library calls") struct BeyondLibraryCallCheckTests {
    static func exercise() throws -> Exercise {
        let (pack, diagnostics) = LessonPack.load(directory: BeyondInjectTests.fixtures + "/lessons")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(pack.exercise("calls/pair"))
    }

    @Test func mallocThenFreeOfTheSamePointerPasses() throws {
        let result = try Checker(options: CheckOptions(retryInternalErrors: false)).check(file: BeyondInjectTests.fixtures + "/twice.c", exercise: try Self.exercise())
        #expect(result.status == .passed, "\(result.feedback) \(result.notes)")
    }

    @Test func aLeakFailsOnTheFreeLine() throws {
        let result = try Checker(options: CheckOptions(retryInternalErrors: false)).check(file: BeyondInjectTests.fixtures + "/leak.c", exercise: try Self.exercise())
        #expect(result.status == .failed, "\(result.feedback) \(result.notes)")
        #expect(result.feedback.contains("free($p)"), "\(result.feedback)")
    }
}
