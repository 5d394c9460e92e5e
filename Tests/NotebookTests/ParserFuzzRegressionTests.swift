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
/// and `dropLast()` on a Substring counts the whole string.
@Test func longRunOfTrailingCarriageReturnsParsesInLinearTime() {
    let text = "stdout matches /^x$/\nstdout == \"sysconf=4096 getp" + String(repeating: "\r", count: 200_000) + "\n"
    var diagnostics: [LessonDiagnostic] = []
    let seconds = cpuSeconds { diagnostics = LessonParser.parse(text, file: "fuzz.md").diagnostics }
    #expect(seconds < 1, "LessonParser.parse took \(seconds) s of CPU on 200 000 trailing CRs")
    #expect(!diagnostics.isEmpty)  // not a lesson: no front matter
    for diagnostic in diagnostics { #expect(diagnostic.location.line >= 1 && diagnostic.location.line <= 3) }

    let spaces = "x" + String(repeating: " \t\r", count: 100_000)
    let trimSeconds = cpuSeconds { #expect(spaces.trimmingSpaces == "x") }
    #expect(trimSeconds < 1)
}

@Test func trimmingSpacesKeepsItsMeaning() {
    #expect("  \t a b \t\r ".trimmingSpaces == "a b")
    #expect("".trimmingSpaces == "")
    #expect(" \t\r ".trimmingSpaces == "")
    #expect("\r x".trimmingSpaces == "\r x")      // a leading CR is not trimmed
    #expect("x\r\n".trimmingSpaces == "x\r\n")    // CRLF is one character, not a CR
    #expect("한국어  ".trimmingSpaces == "한국어")
}
