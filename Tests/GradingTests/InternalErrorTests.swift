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
    }
}
