// An internal error shows its one-line cause to the person who can fix it.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading
import TestSupport

@Suite struct InternalErrorTests {
    // An internal error says its cause (here: a compile cache that cannot be made).
    @Test func anInternalErrorShowsItsCause() throws {
        let folder = scratchFolder()
        try #require(FileManager.default.createFile(atPath: folder + "/not-a-folder", contents: Data("x".utf8)))
        QAFixture.copy(QAFixture.learnerSolutions + "/basics/say-hello.c", to: folder + "/s/basics/say-hello.c")
        let env = ["LESSONS_PATH": QAFixture.learnerLessons, "LESSONS_CACHE": folder + "/not-a-folder/cache"]
        let text = LessonsBinary.run(["check", "s/basics/say-hello.c"], in: folder, environment: env)
        #expect(text.status == 3, "\(text.stdout)\(text.stderr)")
        #expect(text.stdout.contains("cause: compiling: "), "\(text.stdout)")
        #expect(text.stdout.contains("not-a-folder"), "\(text.stdout)")
        #expect(text.stderr.contains("not-a-folder"), "\(text.stderr)")
        let json = LessonsBinary.run(["check", "s/basics/say-hello.c", "--format", "json"], in: folder, environment: env)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let notes = object?["notes"] as? [String] ?? []
        #expect(notes.contains { $0.contains("not-a-folder") }, "\(json.stdout)")
    }

    // A learner checking their own work is told what to do about a compile cache that cannot be
    // written (here a folder under a file; a full disk says the same), not that an instructor heard.
    @Test func aCompileCacheFaultInACheckSaysWhatTheLearnerCanDo() throws {
        let folder = scratchFolder()
        try #require(FileManager.default.createFile(atPath: folder + "/not-a-folder", contents: Data("x".utf8)))
        QAFixture.copy(QAFixture.learnerSolutions + "/basics/say-hello.c", to: folder + "/s/basics/say-hello.c")
        let env = ["LESSONS_PATH": QAFixture.learnerLessons, "LESSONS_CACHE": folder + "/not-a-folder/cache"]
        let advice = "✗ internal error: The compile cache could not be written (not your program's fault): free some space on its disk or set LESSONS_CACHE to a writable folder, then check again.\n"
        let text = LessonsBinary.run(["check", "s/basics/say-hello.c"], in: folder, environment: env)
        #expect(text.status == 3)
        #expect(text.stdout.contains(advice), "\(text.stdout)")
        #expect(!text.stdout.contains("instructor"), "\(text.stdout)")
        let line = try #require(text.stderr.split(separator: "\n").first.map(String.init))
        #expect(text.stderr.split(separator: "\n").count == 1 && line.hasPrefix("lessons: the checker itself failed (not your program's fault): compiling: cannot create the compile cache directory ")
                && line.hasSuffix("set LESSONS_CACHE to a writable directory; then check again"), "\(text.stderr)")
        // The REPL's check says the same (its status as a script: 1, not passed).
        let repl = LessonsBinary.run([], in: folder, stdin: "check s/basics/say-hello.c\n", environment: env)
        #expect(repl.status == 1 && repl.stdout.contains(advice) && !repl.stdout.contains("instructor"), "\(repl.stdout)\(repl.stderr)")
        let json = LessonsBinary.run(["check", "s/basics/say-hello.c", "--format", "json"], in: folder, environment: env)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((object?["feedback"] as? String)?.hasPrefix("The compile cache could not be written") == true, "\(json.stdout)")

        // Any other fault of the checker: try again, and report it if it fails the same way.
        let other = ExerciseResult(exercise: "l/e", status: .internalError, score: 0, maxScore: 5, notes: ["running case 1: the tracer lost the program"])
        #expect(CheckText.render(other, file: "e.c").contains("✗ internal error: The checker itself failed on this exercise (not your program's fault); check again, and if it fails the same way, report the cause below.\n"))
    }

    // The internal error's cause is shown to the learner, in text and in the learner view.
    @Test func anInternalErrorKeepsItsCauseInTheLearnerView() {
        let result = ExerciseResult(exercise: "l/e", status: .internalError, score: 0, maxScore: 5,
                                    notes: ["compiling: the compiler could not write in the compile cache /c (No space left on device)"])
        #expect(result.learnerView.notes == result.notes)
        #expect(CheckText.render(result, file: "e.c").contains("cause: compiling: the compiler could not write in the compile cache /c"))
        var failed = result
        failed.status = .failed
        #expect(failed.learnerView.notes.isEmpty)
    }

    // Grade keeps the cause in the report's internal_errors.
    @Test func gradeKeepsTheCauseInInternalErrors() throws {
        let folder = scratchFolder()
        try #require(FileManager.default.createFile(atPath: folder + "/not-a-folder", contents: Data("x".utf8)))
        QAFixture.copy(QAFixture.learnerSolutions + "/basics/say-hello.c", to: folder + "/hw/basics/say-hello.c")
        let env = ["LESSONS_PATH": QAFixture.learnerLessons, "LESSONS_CACHE": folder + "/not-a-folder/cache"]
        let result = LessonsBinary.run(["grade", "hw", "--single", "kim", "--exercises", "basics/say-hello", "--format", "json",
                                        "--no-cache", "--quiet"], in: folder, environment: env)
        // The report is written, and the run fails: a result could not be checked.
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("1 result could not be checked"))
        let report = try ReportRenderer.decode(Data(result.stdout.utf8))
        #expect(report.internalErrors.count == 1)
        #expect(report.internalErrors.first?.notes.contains { $0.contains("not-a-folder") } == true, "\(result.stdout)")
        // What the student may see says the instructor was told: the report is the instructor's.
        let feedback = report.students.first?.exercises.first?.feedback ?? ""
        #expect(feedback.contains("reported to the instructor"), "\(feedback)")
    }
}
