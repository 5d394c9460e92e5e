// `check FILE` starts compiling before it has read the lesson; a check that then fails (no such
// exercise) must stop that compile and leave nothing of it behind: no scratch folder, no cgroup.

import Foundation
import Glibc
@testable import Sandbox
import Testing
import TestSupport

@Test func aCheckThatFailsAfterItsCompileStartedLeavesNothingBehind() throws {
    let directory = TestScratch.directory("lessons-abandoned-compile")
    let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Lessons").path
    try FileManager.default.createDirectory(atPath: directory + "/brk", withIntermediateDirectories: true)
    // Unique bytes: never in the compile cache, so the compiler runs.
    try "#include <stdio.h>\nint main(void) { puts(\"\(UUID().uuidString)\"); return 0; }\n"
        .write(toFile: directory + "/brk/no-such-exercise.c", atomically: false, encoding: .utf8)
    final class Box: @unchecked Sendable { var pid: Int32 = 0 }
    let tool = Box()
    let result = LessonsBinary.run(["check", "brk/no-such-exercise.c"], in: directory,
                                   environment: ["LESSONS_PATH": lessons, "LESSONS_CACHE": directory + "/cache"],
                                   whileRunning: { tool.pid = $0 })
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stderr.contains("no exercise brk/no-such-exercise"), "\(result.stderr)")
    let pid = tool.pid
    try #require(pid > 0)

    let support = CgroupSupport.current
    let cgroups = [support.unified?.directory, support.memoryV1, support.pidsV1].compactMap { $0 }.flatMap { base in
        ScratchDirectory.entries(of: base).filter { $0.hasPrefix("lessons-\(pid)-") }.map { base + "/" + $0 }
    }
    #expect(cgroups.isEmpty, "cgroups left: \(cgroups)")
    let scratch = ScratchParent.all.flatMap { parent in
        ScratchDirectory.entries(of: parent).filter { $0.hasPrefix("lessons-run-") }.filter { entry in
            (try? String(contentsOfFile: "\(parent)/\(entry)/owner", encoding: .utf8))?.split(separator: " ").first == Substring(String(pid))
        }.map { parent + "/" + $0 }
    }
    #expect(scratch.isEmpty, "scratch folders left: \(scratch)")
}
