// Input errors said plainly: a directory, an unknown --exercise, an empty file, bad JSON, paths as given.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading
import TestSupport

@Suite struct InputErrorTests {
    // Input errors are the user's, said plainly.
    @Test func aDirectoryAnUnknownExerciseAndAnEmptyFile() throws {
        let folder = scratchFolder()
        try FileManager.default.createDirectory(atPath: folder + "/x/basics/say-hello.c", withIntermediateDirectories: true)
        let env = ["LESSONS_PATH": QAFixture.learnerLessons]
        let directory = LessonsBinary.run(["check", "x/basics/say-hello.c"], in: folder, environment: env)
        #expect(directory.status == 2)
        #expect(directory.stderr == "lessons: x/basics/say-hello.c: is a directory; give your .c or .swift file\n", "\(directory.stderr)")

        try FileManager.default.createDirectory(atPath: folder + "/y/basics", withIntermediateDirectories: true)
        try #require(FileManager.default.createFile(atPath: folder + "/y/basics/say-hello.c", contents: Data()))
        let unknown = LessonsBinary.run(["check", "y/basics/say-hello.c", "--exercise", "nope"], in: folder, environment: env)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--exercise nope: no such exercise; 'lessons list' shows them"), "\(unknown.stderr)")

        let empty = LessonsBinary.run(["check", "y/basics/say-hello.c"], in: folder, environment: env)
        #expect(empty.status == 1)
        #expect(empty.stdout.contains("y/basics/say-hello.c: the file is empty"), "\(empty.stdout)")
        #expect(!empty.stdout.contains("undefined reference"))
    }

    // A FIFO or a device named as the program is said to be one, not read (a FIFO would wait
    // for a writer, or read as an empty file).
    @Test func aFifoOrADeviceIsNotAProgram() throws {
        let folder = scratchFolder()
        try FileManager.default.createDirectory(atPath: folder + "/basics", withIntermediateDirectories: true)
        try #require(mkfifo(folder + "/basics/say-hello.c", 0o600) == 0)
        let env = ["LESSONS_PATH": QAFixture.learnerLessons]
        let fifo = LessonsBinary.run(["check", "basics/say-hello.c"], in: folder, environment: env)
        #expect(fifo.status == 2)
        #expect(fifo.stderr == "lessons: basics/say-hello.c: a FIFO, not a regular file; give your .c or .swift file\n", "\(fifo.stderr)")
        let device = LessonsBinary.run(["check", "/dev/null", "--exercise", "basics/say-hello"], in: folder, environment: env)
        #expect(device.status == 2)
        #expect(device.stderr == "lessons: /dev/null: a character device, not a regular file; give your .c or .swift file\n", "\(device.stderr)")
    }

    // A class file the grader may not read is said so, not said to have changed while the
    // class was graded (which a link or a FIFO found in its place at the read does mean).
    @Test func anUnreadableClassFileIsNotSaidToHaveChanged() {
        let unreadable = SubmissionNote(.unreadable, file: "brk/grow.c", other: "Permission denied")
        #expect(ClassProgress.refusedAtRead(unreadable) == "brk/grow.c cannot be read (Permission denied)")
        let swapped = SubmissionNote(.notRegular, file: "brk/grow.c", other: "fifo")
        #expect(ClassProgress.refusedAtRead(swapped) == "brk/grow.c ignored: a FIFO, not a regular file (it changed while the class was being graded)")
    }

    // A file given where a folder goes is said to be a file, not to be missing.
    @Test func aFileWhereAFolderGoesIsSaidToBeAFile() throws {
        let folder = scratchFolder()
        try "not a class\n".write(toFile: folder + "/grades.txt", atomically: false, encoding: .utf8)
        let grade = LessonsBinary.run(["grade", "grades.txt"], in: folder, environment: ["LESSONS_PATH": QAFixture.learnerLessons])
        #expect(grade.status == 2)
        #expect(grade.stderr == "lessons: grades.txt: a file, not a folder; pass the folder that holds one folder per student\n", "\(grade.stderr)")
        let lint = LessonsBinary.run(["lint", "grades.txt"], in: folder)
        #expect(lint.status == 2)
        #expect(lint.stderr == "lessons: grades.txt: a file, not a folder; pass the folder of your lesson files\n", "\(lint.stderr)")
        let list = LessonsBinary.run(["list", "--lessons", "grades.txt"], in: folder)
        #expect(list.status == 2)
        #expect(list.stderr == "lessons: grades.txt: a file, not a folder; pass --lessons DIR\n", "\(list.stderr)")
        // An empty --exercises is said to be empty, not the pack.
        try FileManager.default.createDirectory(atPath: folder + "/class/kim", withIntermediateDirectories: true)
        let none = LessonsBinary.run(["grade", "class", "--exercises", " , "], in: folder, environment: ["LESSONS_PATH": QAFixture.learnerLessons])
        #expect(none.status == 2)
        #expect(none.stderr == "lessons: --exercises names no exercise; give LESSON/EXERCISE ids separated by commas, as 'lessons list' shows them\n", "\(none.stderr)")
        let missing = LessonsBinary.run(["grade", "nothere"], in: folder, environment: ["LESSONS_PATH": QAFixture.learnerLessons])
        #expect(missing.stderr == "lessons: nothere: no such folder; pass the folder that holds one folder per student\n", "\(missing.stderr)")
    }

    // A report that cannot be written (a full disk: /dev/full) does not lose the grading: the
    // report goes to standard output instead, and the exit status says the tool failed.
    @Test func aReportThatCannotBeWrittenGoesToStandardOutput() throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        let folder = scratchFolder()
        QAFixture.copy(QAFixture.learnerSolutions + "/basics", to: folder + "/class/kim/basics")
        let result = LessonsBinary.run(["grade", "class", "--exercises", "basics/say-hello", "--format", "csv", "--output", "/dev/full"],
                                       in: folder, environment: ["LESSONS_PATH": QAFixture.learnerLessons])
        #expect(result.status == 3)
        #expect(result.stdout.contains("kim,basics/say-hello,passed,5,5"), "\(result.stdout)")
        #expect(result.stderr.hasPrefix("lessons: /dev/full: cannot write the report (No space left on device)"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("; the report follows on standard output instead\n"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    // Compiler messages name the file by the path the user gave.
    @Test func compileErrorsNameThePathAsGiven() throws {
        let folder = scratchFolder()
        try FileManager.default.createDirectory(atPath: folder + "/broken/basics", withIntermediateDirectories: true)
        try "int main(void) { return x; }\n".write(toFile: folder + "/broken/basics/say-hello.c", atomically: false, encoding: .utf8)
        let result = LessonsBinary.run(["check", "broken/basics/say-hello.c"], in: folder, environment: ["LESSONS_PATH": QAFixture.learnerLessons])
        #expect(result.status == 1)
        #expect(result.stdout.contains("broken/basics/say-hello.c:1:"), "\(result.stdout)")
    }

    // A report that is not JSON is named with its line, not a Swift DecodingError dump.
    @Test func mergeOfBadJSONSaysWhereInOneLine() throws {
        let folder = scratchFolder()
        try "{\n  \"schema\": 1,\n  oops\n}\n".write(toFile: folder + "/bad.json", atomically: false, encoding: .utf8)
        let result = LessonsBinary.run(["grade", "merge", "bad.json"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("lessons: bad.json: not valid JSON (line 3)"), "\(result.stderr)")
        #expect(!result.stderr.contains("DecodingError"))
        try "{\"schema\": 1}".write(toFile: folder + "/partial.json", atomically: false, encoding: .utf8)
        let partial = LessonsBinary.run(["grade", "merge", "partial.json"], in: folder)
        #expect(partial.status == 2)
        #expect(partial.stderr.contains("partial.json: not a lessons grade JSON report ("), "\(partial.stderr)")
        #expect(!partial.stderr.contains("DecodingError"))
    }

    @Test func oneCasePassedReadsWell() {
        #expect(Words("en").allPassed(1) == "The case passed.")
        #expect(Words("en").allPassed(2) == "Both cases passed.")
        #expect(Words("en").allPassed(3) == "All 3 cases passed.")
    }
}
