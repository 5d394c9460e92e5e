// The built `lessons` executable run with pipes, scratch folders and a tiny report, for the
// tests that drive the command line (grade, check, lint, merge).

import Foundation
import Testing
@testable import Grading
import TestScratch

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
    TestScratch.directory("lessons-gradefix-\(name)")
}

/// A one-student report for `grade merge` / output tests.
func tinyReport() -> GradeReport {
    let result = ExerciseResult(exercise: "l/e", status: .passed, score: 5, maxScore: 5)
    return GradeReport(tool: "lessons-test", exercises: [GradeReport.ExerciseInfo(id: "l/e", maxScore: 5)],
                       students: [GradeReport.Student(id: "kim", score: 0, maxScore: 0, exercises: [result], notes: [])], shard: nil)
}
