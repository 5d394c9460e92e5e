// `lessons check` in a learner workspace checks the current exercise and records a pass.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading
import TestSupport

@Suite struct WorkspaceCheckTests {
    // In a workspace, `check` with no FILE checks the current exercise, and a pass of
    // `check FILE` is recorded in progress (the REPL's behaviour).
    @Test func checkInAWorkspaceChecksTheCurrentExerciseAndRecordsAPass() throws {
        let folder = scratchFolder("ws")
        let env = ["LESSONS_PATH": QAFixture.learnerLessons]
        let next = LessonsBinary.run(["next"], in: folder, environment: env)
        #expect(next.status == 0, "\(next.stderr)")
        let current = LessonsBinary.run(["check"], in: folder, environment: env)
        #expect(current.status == 1, "\(current.stderr)")
        #expect(current.stdout.contains("basics/say-hello — basics/say-hello.c"), "\(current.stdout)")
        try FileManager.default.removeItem(atPath: folder + "/basics/say-hello.c")
        QAFixture.copy(QAFixture.learnerSolutions + "/basics/say-hello.c", to: folder + "/basics/say-hello.c")
        let passed = LessonsBinary.run(["check", "basics/say-hello.c"], in: folder, environment: env)
        #expect(passed.status == 0, "\(passed.stdout)\(passed.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/.lessons/progress.json"))
        let progress = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let solved = progress?["solved"] as? [String: Any] ?? [:]
        #expect(solved["basics/say-hello"] != nil, "\(String(decoding: data, as: UTF8.self))")
    }

    @Test func checkWithoutAFileOutsideAWorkspaceSaysWhatToDo() {
        let result = LessonsBinary.run(["check"], in: scratchFolder(), environment: ["LESSONS_PATH": QAFixture.learnerLessons])
        #expect(result.status == 2)
        #expect(result.stderr.contains("name a file to check, or a homework folder with --all DIR"))
    }
}
