// Two gradings from empty caches write the same report apart from timings, for the statuses
// whose stopping point depends on timing (output-limit, timeout) and for a forking program
// (pids and the run's uid named). Fixtures/determinism/limits is one student's folder.

import Foundation
import Testing
@testable import Grading

@Suite(.serialized) struct DeterminismTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/determinism").path

    /// One grading with fresh result and compile caches.
    func gradeFresh(_ work: String, run: Int) throws -> String {
        let output = "\(work)/report-\(run).json"
        let graded = try runLessons(["grade", "--lessons", GradedFixture.lessons, DeterminismTests.folder,
                                     "--exercises", "fixture-memory/echo,fixture-memory/big-chunk,fixture-memory/two-pages",
                                     "--cache-dir", "\(work)/results-\(run)", "--format", "json", "--output", output],
                                    environment: ["LESSONS_CACHE": "\(work)/cache-\(run)"])
        #expect(graded.status == 0, "\(graded.stderr)")
        return try String(contentsOfFile: output, encoding: .utf8)
    }

    @Test func limitsAndForksRepeatApartFromTimings() throws {
        let work = try temporaryDirectory("determinism")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let first = try gradeFresh(work, run: 1)
        let second = try gradeFresh(work, run: 2)
        let timings: (String) -> String = {
            $0.replacingOccurrences(of: #""seconds" : [0-9.e+-]+"#, with: #""seconds" : 0"#, options: .regularExpression)
        }
        #expect(timings(first) == timings(second), "\(firstDifference(timings(first), timings(second)))")

        let report = try ReportRenderer.decode(Data(first.utf8))
        let results = try #require(report.students.first).exercises
        #expect(results.map(\.status) == [.outputLimit, .timeout, .failed])
        // Limits: how the run began, then where it was stopped; no count of lines or bytes.
        let spam = results[0].cases[0]
        #expect(spam.trace.last == "… (stopped by the output limit)")
        #expect(spam.trace.contains { $0.hasPrefix("write(1, \"spam spam") && $0.hasSuffix(" = 4096") })
        #expect(!spam.trace.contains { $0.contains("earlier lines") || $0.hasSuffix("= ?") })
        #expect(spam.stdout.hasSuffix("… (more cut)"))
        #expect(spam.failures.isEmpty && spam.explanation.contains("output limit"))
        let loop = results[1].cases[0]
        #expect(loop.trace.last == "… (stopped by the time limit)")
        #expect(loop.trace.dropLast().allSatisfy { $0 == "getppid() = <pid 2>" }, "\(loop.trace)")
        // Forks: pids by order of appearance, the run's uid by name.
        let fork = results[2].cases[0].trace.joined(separator: "\n")
        #expect(fork.contains("[<pid 1>] clone("), "\(fork)")
        #expect(fork.contains(") = <pid 2>"))
        #expect(fork.contains("[<pid 2>] getppid() = <pid 1>"))
        #expect(fork.contains("[<pid 1>] kill(<pid 2>, 0) = 0"))
        #expect(fork.contains("wait4(<pid 2>, NULL, 0, NULL) = <pid 2>"))
        #expect(fork.contains("si_pid=<pid 2>"))
        if geteuid() == 0 { #expect(fork.contains("si_uid=<run uid>")) }
        #expect(fork.range(of: #"\b[0-9]{4,}\b"#, options: .regularExpression) == nil, "no pid or uid left: \(fork)")
    }
}
