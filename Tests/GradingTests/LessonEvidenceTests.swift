// Trace blocks, claims and facts in prose, for real: a small lesson pack in a temporary
// folder, recorded with `LessonRecorder` (real compiles, sandboxed traced runs), then held to
// its text by `EvidenceLint` and `LessonVerifier`. Every expectation here holds on any Linux
// machine: the pack is recorded on the machine that checks it, and its claims speak of what
// the program prints, not of one C library's allocator.

import Foundation
import Notebook
import Testing
@testable import Grading
import TestSupport

@Suite("Lessons that prove what they say", .serialized)
struct LessonEvidenceTests {
    static let lesson = """
        ---
        id: evidence
        title: Evidence
        order: 1
        ---

        # Evidence

        The program prints three lines of 14 bytes.

        ```c cell=lines tty
        #include <stdio.h>
        #include <unistd.h>

        int main(void) {
            for (int i = 0; i < 3; i++) printf("line %d, tty %d\\n", i, isatty(1));
            return 0;
        }
        ```

        ```trace
        ```

        ```claim
        fact: Its standard output is a terminal, and it prints three lines.
        stdout == "line 0, tty 1\\nline 1, tty 1\\nline 2, tty 1\\n"
        exited with 0
        ```

        ```c cell=plain
        #include <stdio.h>
        #include <unistd.h>

        int main(void) {
            printf("tty %d\\n", isatty(1));
            return 0;
        }
        ```

        ```claim
        stdout == "tty 0\\n"
        ```

        It ran 40 times, which nothing checks.

        POSIX dropped brk in 2001.
        <!-- not checked: history -->
        """

    /// A fresh pack folder holding `text` as its only lesson; removed by the caller.
    static func pack(_ text: String = lesson) throws -> (folder: String, file: String) {
        let folder = TestScratch.directory("lessons-evidence")
        let file = folder + "/01-evidence.md"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return (folder, file)
    }

    static func load(_ folder: String) throws -> Lesson {
        let (pack, diagnostics) = LessonPack.load(directory: folder)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(pack.lessons.first)
    }

    @Test("record fills the trace block and the front matter; lint then finds the text true, all but the unchecked sentence")
    func recordThenLint() throws {
        let (folder, file) = try Self.pack()
        defer { try? FileManager.default.removeItem(atPath: folder) }

        let unrecorded = EvidenceLint.check([try Self.load(folder)], jobs: 2)
        #expect(unrecorded.problems.contains { $0.message.hasPrefix("this lesson has trace or claim blocks but no 'recorded:' line") })
        #expect(unrecorded.problems.contains { $0.message.hasPrefix("the trace block of cell 'lines' is empty") })
        // Before the lesson says where it was recorded, an unchecked fact is a warning, not a
        // problem (14 too: the empty trace block checks nothing yet).
        #expect(unrecorded.warnings.map { $0.message.prefix(24) } == ["this sentence states 14,", "this sentence states 40,"])
        #expect(!unrecorded.problems.contains { $0.message.hasPrefix("this sentence states") })

        let recorded = try LessonRecorder.record([try Self.load(folder)], jobs: 2)
        #expect(recorded.count == 1 && recorded[0].tracesRecorded == 1 && recorded[0].problems.isEmpty, "\(recorded)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let lesson = try Self.load(folder)
        #expect(lesson.recorded == PlatformProbe.current(for: .c))
        #expect(text.contains("recorded: \(PlatformProbe.current(for: .c))\n---\n"))
        let trace = try #require(lesson.blocks.lazy.compactMap { block -> RecordedTrace? in
            if case .cell(let cell) = block { return cell.trace } else { return nil }
        }.first)
        #expect(trace.lines.contains { $0.contains("S_IFCHR") }, "a tty cell's standard output is a terminal: \(trace.lines)")
        #expect(trace.lines.last == "+++ exited with 0 +++")
        // Everything else in the file is as it was.
        let recordedLine = "recorded: \(PlatformProbe.current(for: .c))\n"
        #expect(text.replacingOccurrences(of: recordedLine, with: "").replacingOccurrences(of: trace.lines.joined(separator: "\n") + "\n", with: "") == Self.lesson)

        let linted = EvidenceLint.check([lesson], jobs: 2)
        #expect(linted.cells == 2 && linted.tracesCompared == 1 && linted.claimsChecked == 2)
        #expect(linted.problems.map(\.message) == [
            "this sentence states 40, which no claim, trace or code of its section checks: add a claim after the cell it is about, or mark the paragraph <!-- not checked: REASON -->: \"It ran 40 times, which nothing checks.\"",
        ])
        #expect(linted.problems.first?.location.line == (text.components(separatedBy: "\n").firstIndex(of: "It ran 40 times, which nothing checks.") ?? -1) + 1)
        #expect(linted.facts.count == 3 && linted.factsChecked == 1 && linted.factsMarked.count == 1)
    }

    @Test("a trace block or a claim that the run contradicts is a located problem")
    func contradictions() throws {
        let (folder, file) = try Self.pack()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try LessonRecorder.record([try Self.load(folder)], jobs: 2)
        var text = try String(contentsOfFile: file, encoding: .utf8)
        // The first write of the recorded trace, said to be one byte longer; the claim, wrong.
        let lines = text.components(separatedBy: "\n")
        let write = try #require(lines.firstIndex { $0.hasPrefix("write(1, \"line 0") })
        var changed = lines
        changed[write] = lines[write].replacingOccurrences(of: ", 14)", with: ", 15)").replacingOccurrences(of: "= 14", with: "= 15")
        #expect(changed[write] != lines[write], "\(lines[write])")
        text = changed.joined(separator: "\n").replacingOccurrences(of: "stdout == \"tty 0\\n\"", with: "stdout == \"tty 1\\n\"")
        try text.write(toFile: file, atomically: true, encoding: .utf8)

        let linted = EvidenceLint.check([try Self.load(folder)], jobs: 2)
        let traceProblem = try #require(linted.problems.first { $0.message.contains("differs from a real run") })
        #expect(traceProblem.location.line == trace(in: text))
        #expect(traceProblem.message.contains("the block says `write(1, \"line 0, tty 1\\n\", 15) = 15`"))
        let claimProblem = try #require(linted.problems.first { $0.message.hasPrefix("claim about cell 'plain' does not hold") })
        #expect(claimProblem.location.line == (text.components(separatedBy: "\n").firstIndex(of: "stdout == \"tty 1\\n\"") ?? -1) + 1)
        #expect(claimProblem.message.contains("the example printed"), "a claim's failure speaks of the lesson's example: \(claimProblem.message)")
    }

    /// The 1-based line of the first content line of the first trace block.
    func trace(in text: String) -> Int {
        (text.components(separatedBy: "\n").firstIndex(of: "```trace") ?? -2) + 2
    }

    @Test("verify: each fact with ✓ or ✗; a lesson recorded elsewhere says so, and lint does not hold it against this machine")
    func verifyAndElsewhere() throws {
        let (folder, file) = try Self.pack()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try LessonRecorder.record([try Self.load(folder)], jobs: 2)
        let here = LessonVerifier.render(LessonVerifier.verify([try Self.load(folder)], jobs: 2, language: "en"), language: "en")
        #expect(here.contains("✓ lines: the trace is the lesson's (addresses, random bytes and process ids aside)"))
        #expect(here.contains("✓ lines: Its standard output is a terminal, and it prints three lines."))
        #expect(here.contains("✓ plain: stdout == \"tty 0\\n\""))
        #expect(here.hasSuffix("3 of 3 facts of the lessons hold on this machine.\n"))
        #expect(!here.contains("recorded on"), "no notice on the machine it was recorded on")

        // The same lesson, said to be recorded on another C library, with a trace that differs.
        var text = try String(contentsOfFile: file, encoding: .utf8)
        let platform = PlatformProbe.current(for: .c)
        text = text.replacingOccurrences(of: "recorded: \(platform)", with: "recorded: musl 1.2.3, \(platform.kernel), \(platform.architecture)\nlibc: musl")
            .replacingOccurrences(of: "+++ exited with 0 +++\n```", with: "write(1, \"extra\\n\", 6) = 6\n+++ exited with 0 +++\n```")
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let lesson = try Self.load(folder)
        let linted = EvidenceLint.check([lesson], jobs: 2)
        #expect(!linted.problems.contains { $0.message.contains("differs") || $0.message.hasPrefix("claim") }, "\(linted.problems)")
        #expect(linted.notCompared == 3 && linted.tracesCompared == 0)
        #expect(linted.notes == ["evidence: recorded on musl 1.2.3, \(platform.kernel), \(platform.architecture); c programs here run on \(platform): its c traces and claims were not compared ('lessons verify evidence' says which hold here)"])

        let elsewhere = LessonVerifier.render(LessonVerifier.verify([lesson], jobs: 2, language: "en"), language: "en", unicode: false)
        #expect(elsewhere.contains("This lesson was recorded on musl 1.2.3, \(platform.kernel), \(platform.architecture); this machine differs in the C library (musl 1.2.3 there, \(platform.libc) here). What it teaches is musl's behaviour; C programs here run on \(platform.libc), so their traces and numbers are expected to differ from the lesson's. 'lessons verify evidence' shows which of its facts hold here."))
        #expect(elsewhere.contains("X lines: the trace differs from the lesson's\n      lesson: write(1, \"extra\\n\", 6) = 6\n      here:   +++ exited with 0 +++\n"))
        #expect(elsewhere.hasSuffix("2 of 3 facts of the lessons hold on this machine.\n"))

        let korean = LessonVerifier.render(LessonVerifier.verify([lesson], jobs: 2, language: "ko"), language: "ko")
        #expect(korean.contains("이 레슨은 musl 1.2.3, \(platform.kernel), \(platform.architecture)에서 기록되었고"))
        #expect(korean.hasSuffix("레슨의 사실 3개 중 2개가 이 기계에서 성립합니다.\n"))
    }
}
