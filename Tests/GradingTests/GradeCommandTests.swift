// `lessons grade DIR` whatever the folder is called; its help shows its options.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading
import TestSupport

@Suite struct GradeCommandTests {
    // A class folder literally named `class` is graded, not taken for a subcommand.
    @Test func aClassFolderNamedClassIsGraded() {
        let folder = scratchFolder("class")
        QAFixture.copy(QAFixture.classSolutions + "/fixture-memory/two-pages.c", to: folder + "/class/kim/fixture-memory/two-pages.c")
        let result = LessonsBinary.run(["grade", "class", "--lessons", QAFixture.classLessons, "--exercises", "fixture-memory/two-pages",
                                        "--format", "csv", "--no-cache", "--quiet", "--jobs", "1"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("kim,fixture-memory/two-pages,passed,10,10"), "\(result.stdout)")
        // The old spelling `grade class DIR` still works.
        let old = LessonsBinary.run(["grade", "class", "class", "--lessons", QAFixture.classLessons, "--exercises", "fixture-memory/two-pages",
                                     "--format", "csv", "--no-cache", "--quiet", "--jobs", "1"], in: folder)
        #expect(old.stdout == result.stdout, "\(old.stderr)")
    }

    @Test func gradeHelpShowsTheClassOptions() {
        let result = LessonsBinary.run(["grade", "--help"], in: scratchFolder())
        #expect(result.stdout.contains("--jobs"), "\(result.stdout)")
        #expect(result.stdout.contains("--shard"))
        #expect(result.stdout.contains("lessons grade merge REPORT"))
    }
}
