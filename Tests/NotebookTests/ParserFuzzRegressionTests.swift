// Inputs found by scripts/fuzz-parsers.sh (Tests/GradingTests/ParserFuzzTests.swift), kept as
// regression tests.

import Foundation
import Testing
@testable import Notebook

/// CPU seconds `body` takes on this thread (wall time means little on a loaded machine).
private func cpuSeconds(_ body: () -> Void) -> Double {
    var before = timespec(), after = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &before)
    body()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &after)
    return Double(after.tv_sec - before.tv_sec) + Double(after.tv_nsec - before.tv_nsec) / 1e9
}

/// Seed 1, input 786: one line of 46 313 carriage returns took LessonParser 26 s (3 s of CPU
/// in a debug build): `trimmingSpaces` dropped the trailing `\r`s one `dropLast()` at a time,
/// and `dropLast()` on a Substring counts the whole string. What it parses to is checked here;
/// that the time grows linearly is scripts/bench-parsers.sh's (a ratio of two sizes in one run).
@Test func longRunOfTrailingCarriageReturnsParses() {
    let diagnostics = LessonParser.parse(trailingCarriageReturns(200_000), file: "fuzz.md").diagnostics
    #expect(!diagnostics.isEmpty)  // not a lesson: no front matter
    for diagnostic in diagnostics { #expect(diagnostic.location.line >= 1 && diagnostic.location.line <= 3) }
    #expect(trailingSpaces(100_000).trimmingSpaces == "x")
}

private func trailingCarriageReturns(_ count: Int) -> String {
    "stdout matches /^x$/\nstdout == \"sysconf=4096 getp" + String(repeating: "\r", count: count) + "\n"
}

private func trailingSpaces(_ count: Int) -> String { "x" + String(repeating: " \t\r", count: count) }

/// Run by scripts/bench-parsers.sh (LESSONS_BENCH_PARSERS=1): CPU time of the parser and of
/// trimmingSpaces on inputs of n and 10 n, and their ratio (about 10 when linear, 100 when
/// quadratic). Without the variable it does nothing.
@Test func parserScalingBenchmark() {
    guard ProcessInfo.processInfo.environment["LESSONS_BENCH_PARSERS"] == "1" else { return }
    func ratio(_ name: String, _ work: (Int) -> Void) -> Double {
        work(1_000)  // warm-up
        let small = (0..<3).map { _ in cpuSeconds { work(20_000) } }.min()!
        let large = (0..<3).map { _ in cpuSeconds { work(200_000) } }.min()!
        let ratio = large / max(small, 1e-6)
        print(String(format: "bench-parsers: %@ 20000 → %.4f s CPU, 200000 → %.4f s CPU, ratio %.1f", name, small, large, ratio))
        return ratio
    }
    let parse = ratio("LessonParser.parse, trailing CRs") { _ = LessonParser.parse(trailingCarriageReturns($0), file: "fuzz.md") }
    let trim = ratio("trimmingSpaces") { _ = trailingSpaces($0 / 2).trimmingSpaces }
    #expect(parse < 30 && trim < 30, "parse ×\(parse), trim ×\(trim): more than linear")
}

@Test func trimmingSpacesKeepsItsMeaning() {
    #expect("  \t a b \t\r ".trimmingSpaces == "a b")
    #expect("".trimmingSpaces == "")
    #expect(" \t\r ".trimmingSpaces == "")
    #expect("\r x".trimmingSpaces == "\r x")      // a leading CR is not trimmed
    #expect("x\r\n".trimmingSpaces == "x\r\n")    // CRLF is one character, not a CR
    #expect("한국어  ".trimmingSpaces == "한국어")
}
