// Report files: written through a symbolic link, to a FIFO or /dev/stdout, replaced atomically;
// a full device or a missing folder is an error that leaves what was there.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading
import TestSupport

@Suite struct ReportFileTests {
    // A symbolic link (like /dev/stdout) is written through, never replaced by a file.
    @Test func aSymbolicLinkTargetIsWrittenThroughNotReplaced() throws {
        let folder = scratchFolder()
        let real = folder + "/real.txt"
        try "old".write(toFile: real, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: real)
        try ReportFile.write("new report\n", to: folder + "/link")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link")) == real)
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "new report\n")
    }

    // A fifo is written to (a reader gets the report), not replaced.
    @Test func aFifoIsWrittenTo() throws {
        let folder = scratchFolder()
        let fifo = folder + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        nonisolated(unsafe) var received = Data()
        let reader = Thread { received = FileHandle(forReadingAtPath: fifo)?.readDataToEndOfFile() ?? Data() }
        reader.start()
        try ReportFile.write("through the fifo\n", to: fifo)
        while reader.isExecuting || !reader.isFinished { usleep(1000) }
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
        #expect(String(decoding: received, as: UTF8.self) == "through the fifo\n")
    }

    // /dev/full is a device: writing to it fails with ENOSPC and it stays a device.
    @Test func aFullDeviceIsAnErrorNotReplaced() {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        #expect(throws: ReportFile.WriteError.self) { try ReportFile.write("x\n", to: "/dev/full") }
        var info = stat()
        #expect(lstat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    // A missing parent folder is the user's error, and nothing is created.
    @Test func aMissingFolderIsAUsageErrorAndIsNotCreated() throws {
        let folder = scratchFolder()
        do {
            try ReportFile.write("x", to: folder + "/nope/deeper/r.txt")
            Issue.record("wrote into a missing folder")
        } catch let error as ReportFile.WriteError {
            #expect(error.isUsage)
            #expect(error.description == "\(folder)/nope/deeper/r.txt: no such folder \(folder)/nope/deeper; create it first")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/nope"))
    }

    @Test func aRegularFileIsReplacedAtomically() throws {
        let folder = scratchFolder()
        try "old".write(toFile: folder + "/r.txt", atomically: false, encoding: .utf8)
        try ReportFile.write("new", to: folder + "/r.txt")
        #expect(try String(contentsOfFile: folder + "/r.txt", encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["r.txt"])
    }

    // F4 through the command: `grade merge … --output /dev/stdout` prints the report.
    @Test func gradeMergeWritesToDevStdout() throws {
        let folder = scratchFolder()
        try ReportRenderer.json(tinyReport()).write(toFile: folder + "/a.json", atomically: false, encoding: .utf8)
        let result = LessonsBinary.run(["grade", "merge", "a.json", "--format", "csv", "--output", "/dev/stdout"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("kim,l/e,passed,5,5"))
        let missing = LessonsBinary.run(["grade", "merge", "a.json", "--output", "gone/r.json"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("gone/r.json: no such folder gone; create it first"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/gone"))
    }
}

/// The fixture packs, copied where a test may change them.
enum QAFixture {
    static var tests: String { URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().path }
    static var classLessons: String { tests + "/Fixtures/class/Lessons" }
    static var classSolutions: String { tests + "/Fixtures/class/Solutions" }
    static var learnerLessons: String { tests + "/Fixtures/learner/Lessons" }
    static var learnerSolutions: String { tests + "/Fixtures/learner/Solutions" }

    static func copy(_ from: String, to: String) {
        try! FileManager.default.createDirectory(atPath: (to as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! FileManager.default.copyItem(atPath: from, toPath: to)
    }
}
