// Failures a learner meets on a sick machine (a full disk, a file where a folder should be, a
// mistyped flag): one line naming the file and what to do, never Foundation's debug text
// (`Error Domain=NSPOSIXErrorDomain Code=28 …`), never a crash.

import Foundation
import Testing
@testable import LessonsCLI
import TestSupport

@Test func systemErrorsAreSaidInStrerrorsWords() {
    #expect(ErrorText.reason(POSIXError(.ENOSPC)) == "No space left on device")
    #expect(ErrorText.reason(NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))) == "No space left on device")
    let wrapped = NSError(domain: NSCocoaErrorDomain, code: 640, userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EISDIR))])
    #expect(ErrorText.reason(wrapped) == "Is a directory")
    #expect(ErrorText.reason(CocoaError(.fileWriteOutOfSpace)) == "No space left on device")
    #expect(ErrorText.advice(POSIXError(.ENOSPC)) == "free some space on that disk and try again")
    #expect(ErrorText.isSystemError(POSIXError(.ENOSPC)))
    #expect(!ErrorText.isSystemError(LessonsFailure.usage("x")))
}

@Test func aWorkspaceWhoseSettingsCannotBeWrittenIsOneLine() throws {
    let directory = temporaryDirectory()
    // settings.json is a folder: the atomic rename over it fails (EISDIR), as a full disk would fail the write.
    try FileManager.default.createDirectory(atPath: directory + "/.lessons/settings.json/x", withIntermediateDirectories: true)
    do {
        _ = try Workspace.create(at: directory, language: .c)
        Issue.record("a workspace was created over a folder named settings.json")
    } catch let failure as LessonsFailure {
        #expect(failure.exitCode == 2)
        #expect(failure.message == "cannot write \(directory)/.lessons/settings.json: Is a directory; check that you can write to that directory")
    }
}

@Test func nextWhereTheWorkspaceCannotBeMadeSaysWhichFileAndWhatToDo() throws {
    let directory = temporaryDirectory()
    // A folder with something in it: `next` starts the workspace in ./lessons-work, here a file.
    write("not a folder\n", to: directory + "/lessons-work")
    let result = LessonsBinary.run(["next"], in: directory, environment: ["LESSONS_PATH": Fixture.lessons])
    #expect(result.status == 2)
    #expect(result.stderr == "lessons: cannot create \(directory)/lessons-work/.lessons: Not a directory; choose a directory you can write to\n")
    #expect(!result.stderr.contains("Error Domain"))
}

@Test func progressThatCannotBeSavedIsAOneLineWarning() throws {
    let directory = temporaryDirectory()
    #expect(LessonsBinary.run(["next"], in: directory, environment: ["LESSONS_PATH": Fixture.lessons]).status == 0)
    let progress = directory + "/.lessons/progress.json"
    try FileManager.default.removeItem(atPath: progress)
    try FileManager.default.createDirectory(atPath: progress + "/x", withIntermediateDirectories: true)
    let result = LessonsBinary.run(["hint"], in: directory, environment: ["LESSONS_PATH": Fixture.lessons])
    #expect(result.status == 0)
    #expect(result.stderr.contains("warning: could not save progress to \(progress): Is a directory; check that you can write to that directory (your files are untouched)"))
    #expect(!result.stderr.contains("Error Domain"))
}

@Test func anUnknownTextLanguageIsAUsageError() throws {
    #expect(throws: (any Error).self) { try Lessons.List.parse(["--lang", "xx"]) }
    #expect((try? Lessons.List.parse(["--lang", "ko"])) != nil)
    #expect((try? Lessons.List.parse(["--lang", "en_US"])) != nil)
    let result = LessonsBinary.run(["list", "--lang", "xx"], in: temporaryDirectory())
    #expect(result.status == 2)
    #expect(result.stderr.contains("--lang takes en or ko"))
}

@Test func resetsWithinOneSecondKeepEveryBackup() throws {
    let workspace = try Workspace.create(at: temporaryDirectory(), language: .c)
    let ex = exercise("say-hello")
    let path = try workspace.prepareFile(for: ex).path
    var backups: [String] = []
    for version in 1...3 {
        write("mine \(version)\n", to: path)
        backups.append(try #require(try workspace.resetFile(for: ex).backup))
    }
    #expect(Set(backups).count == 3)
    #expect(backups.map { read($0) } == ["mine 1\n", "mine 2\n", "mine 3\n"])
}

@Test func anUnknownCommandIsEchoedShortAndPrintable() {
    #expect(LessonShell.shown("bogus") == "bogus")
    #expect(LessonShell.shown("a\u{1b}[2Jb") == "a\\x1b[2Jb")
    #expect(LessonShell.shown(String(repeating: "x", count: 1000)) == String(repeating: "x", count: 40) + "…")
    let result = LessonsBinary.run([], in: temporaryDirectory(), stdin: String(repeating: "y", count: 100_000) + "\u{1b}[2J\nhelp\n")
    #expect(result.status == 0)
    #expect(result.stderr == "lessons: unknown command '" + String(repeating: "y", count: 40) + "…'; 'help' lists the commands\n")
    #expect(result.stdout.contains("Commands"))
}

@Test func initOnAFileSaysNotADirectory() {
    let directory = temporaryDirectory()
    write("int main(void) { return 0; }\n", to: directory + "/five.c")
    let result = LessonsBinary.run(["init", "five.c"], in: directory)
    #expect(result.status == 2)
    #expect(result.stderr == "lessons: cannot create \(directory)/five.c/.lessons: Not a directory; choose a directory you can write to\n")
}

/// The repository's own lesson pack.
let bundledLessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Lessons").path

@Test func aLessonsExampleCellRunsByItsID() throws {
    try #require(FileManager.default.fileExists(atPath: bundledLessons + "/03-brk.md"), "no bundled lesson 03-brk.md")
    let directory = temporaryDirectory()
    let result = LessonsBinary.run(["run", "brk/five-small"], in: directory, environment: ["LESSONS_PATH": bundledLessons])
    #expect(result.status == 0, "\(result.stderr)")
    let lesson = try String(contentsOfFile: bundledLessons + "/03-brk.md", encoding: .utf8).components(separatedBy: "\n")
    let firstLine = try #require(lesson.firstIndex(of: "```c cell=five-small")) + 2
    #expect(result.stdout.hasPrefix("example brk/five-small (03-brk.md:\(firstLine))\n"))
    #expect(result.stdout.contains("-- trace after main"))
    #expect(result.stdout.contains("brk("))
    // Not a workspace: nothing is created here.
    #expect(!FileManager.default.fileExists(atPath: directory + "/.lessons"))
    let unknown = LessonsBinary.run(["run", "brk/no-such-cell"], in: directory, environment: ["LESSONS_PATH": bundledLessons])
    #expect(unknown.status == 2)
    #expect(unknown.stderr.hasPrefix("lessons: no exercise 'brk/no-such-cell'"))
}
