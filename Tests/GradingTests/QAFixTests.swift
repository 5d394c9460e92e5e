// Regression tests for the QA findings F4–F13 (/work/wt/QA-FINDINGS.md): report files,
// the grade/check/lint command lines, and the wording of input errors. The command-line ones
// drive the built `lessons` executable through pipes.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading

/// The built `lessons` executable beside the test bundle, run with pipes.
enum LessonsBinary {
    static let path: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = (exe as NSString).deletingLastPathComponent
        while !directory.isEmpty && directory != "/" {
            let candidate = (directory as NSString).appendingPathComponent("lessons")
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return "lessons"
    }()

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String], in directory: String, environment: [String: String] = [:]) -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["LANG"] = "C.UTF-8"
        env.removeValue(forKey: "LC_ALL")
        env.removeValue(forKey: "LESSONS_PATH")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe(), error = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = error
        try! process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = output.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = error.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        // A hang is a failure with a message, not a hang of the suite.
        if group.wait(timeout: .now() + 300) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = group.wait(timeout: .now() + 10)
            Issue.record("lessons \(arguments.joined(separator: " ")) did not finish within 300 s; killed it")
            return Result(status: -1, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
        }
        let exitDeadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < exitDeadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("lessons \(arguments.joined(separator: " ")) closed its output but did not exit within 30 s; killed it")
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

func scratchFolder(_ name: String = "qa") -> String {
    let path = NSTemporaryDirectory() + "lessons-gradefix-\(name)-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return (path as NSString).resolvingSymlinksInPath
}

/// A one-student report for `grade merge` / output tests.
func tinyReport() -> GradeReport {
    let result = ExerciseResult(exercise: "l/e", status: .passed, score: 5, maxScore: 5)
    return GradeReport(tool: "lessons-test", exercises: [GradeReport.ExerciseInfo(id: "l/e", maxScore: 5)],
                       students: [GradeReport.Student(id: "kim", score: 0, maxScore: 0, exercises: [result], notes: [])], shard: nil)
}

@Suite struct ReportFileTests {
    // F4: a symbolic link (like /dev/stdout) is written through, never replaced by a file.
    @Test func aSymbolicLinkTargetIsWrittenThroughNotReplaced() throws {
        let folder = scratchFolder()
        let real = folder + "/real.txt"
        try "old".write(toFile: real, atomically: false, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: folder + "/link", withDestinationPath: real)
        try ReportFile.write("new report\n", to: folder + "/link")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/link")) == real)
        #expect(try String(contentsOfFile: real, encoding: .utf8) == "new report\n")
    }

    // F4: a fifo is written to (a reader gets the report), not replaced.
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

    // F4: /dev/full is a device: writing to it fails with ENOSPC and it stays a device.
    @Test func aFullDeviceIsAnErrorNotReplaced() {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        #expect(throws: ReportFile.WriteError.self) { try ReportFile.write("x\n", to: "/dev/full") }
        var info = stat()
        #expect(lstat("/dev/full", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    // F4: a missing parent folder is the user's error, and nothing is created.
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
