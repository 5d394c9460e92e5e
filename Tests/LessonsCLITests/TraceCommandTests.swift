// `lessons trace` as a learner types it: help before the program, traces that cannot be written.

import Foundation
import Testing
@testable import LessonsCLI

@Suite struct TraceCommand {
    @Test(arguments: ["--help", "-h"])
    func helpBeforeTheProgramIsTheTraceHelp(_ flag: String) {
        let result = Binary.run(["trace", flag], in: temporaryDirectory())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Trace a program's system calls"))
        #expect(!result.stderr.contains("cannot find"))
    }

    @Test func aTraceFileThatCannotBeWrittenIsAnErrorNotASilentLoss() throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        let result = Binary.run(["trace", "-o", "/dev/full", "--", "/bin/sh", "-c", "exit 5"], in: temporaryDirectory())
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr == "lessons: cannot write the trace to /dev/full: No space left on device; free some space or use -o on another disk\n")
    }

    @Test func standardErrorThatCannotBeWrittenIsExit3() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Binary.path)
        process.arguments = ["trace", "--", "/bin/sh", "-c", "exit 5"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = full
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 3)
    }
}
