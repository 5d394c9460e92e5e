// `lessons lint Lessons` (a relative folder) finds its Solutions/; none found is said.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading
import TestSupport

@Suite struct LintFolderTests {
    // A relative LESSONS_DIR finds the Solutions/ beside it.
    @Test func aRelativeLessonFolderFindsItsSolutions() {
        let folder = scratchFolder("lint")
        QAFixture.copy(QAFixture.learnerLessons, to: folder + "/Lessons")
        QAFixture.copy(QAFixture.learnerSolutions, to: folder + "/Solutions")
        #expect(LessonLinter.solutionsDirectory(for: folder + "/Lessons") == folder + "/Solutions")
        let result = LessonsBinary.run(["lint", "Lessons", "--jobs", "2"], in: folder)
        #expect(result.stderr.contains("2 solutions checked"), "\(result.stderr)")
        #expect(result.status == 0)
    }

    @Test func noSolutionsFolderIsSaid() {
        let folder = scratchFolder("lint")
        QAFixture.copy(QAFixture.learnerLessons, to: folder + "/pack/Lessons")
        let summary = LessonLinter.lint(directory: folder + "/pack/Lessons", jobs: 2)
        #expect(summary.solutionsDirectory == nil)
        let result = LessonsBinary.run(["lint", "pack/Lessons", "--jobs", "2"], in: folder)
        #expect(result.stderr.contains("lint: no Solutions/ folder inside or beside pack/Lessons; solutions not checked"), "\(result.stderr)")
    }
}
