// Inputs found by scripts/fuzz-parsers.sh (Tests/GradingTests/ParserFuzzTests.swift), kept as
// regression tests. They run on Swift Testing's worker threads (512 KiB stacks), where the
// fuzzer found them.

import Testing
@testable import Expectations

/// Seed 1, input 52357 (and one in the first 50 000): thousands of nested `(` (or unary `-`)
/// recursed in `parseFactor` until the stack overflowed (SIGSEGV, the whole tool died).
@Test(arguments: [
    "brk(NULL) = $b\nbrk(" + String(repeating: "(", count: 5000) + "$b" + String(repeating: ")", count: 5000) + ") = _\n",
    "brk(NULL) = $b\nbrk(" + String(repeating: "(", count: 5000) + "\n",
    "brk(NULL) = $b\nbrk(" + String(repeating: "-", count: 100_000) + "$b) = _\n",
    "brk(NULL) = $b\nbrk($b" + String(repeating: " + 1", count: 50_000) + ") = _\n",
    "brk(NULL) = $b\nbrk($b" + String(repeating: "*2", count: 50_000) + ") = _\n",
])
func deeplyNestedExpressionsAreRefusedNotCrashed(_ text: String) {
    #expect(throws: ExpectationDiagnostic.self) { try ExpectationScript.parse(text, file: "fuzz.md", line: 10) }
    do {
        _ = try ExpectationScript.parse(text, file: "fuzz.md", line: 10)
    } catch let diagnostic as ExpectationDiagnostic {
        #expect(diagnostic.line == 11, "\(diagnostic)")
        #expect(diagnostic.column >= 1 && diagnostic.column <= text.split(separator: "\n")[1].unicodeScalars.count + 1)
    } catch {
        Issue.record("not an ExpectationDiagnostic: \(error)")
    }
}

@Test func reasonablyNestedExpressionsStillParse() throws {
    let nested = String(repeating: "(", count: 20) + "$b + 4096" + String(repeating: ")", count: 20)
    _ = try ExpectationScript.parse("brk(NULL) = $b\nbrk(\(nested)) = _\nbrk(-(-($b)) + 2 * 4096 - 1) = _\n", file: "fuzz.md", line: 1)
}

/// Seed 1, input 26455: a `/…/` with thousands of `[` overflowed the stack inside Swift's own
/// regex parser (SIGSEGV). Deep or huge regexes are refused before they are compiled.
@Test(arguments: [
    "stdout matches /^got (0" + String(repeating: "[", count: 2000) + "/\n",
    "stdout matches /" + String(repeating: "(", count: 3000) + "a" + String(repeating: ")", count: 3000) + "/\n",
    "stdout matches /" + String(repeating: "a", count: 10_000) + "/\n",
])
func deepRegexesAreRefusedNotCrashed(_ text: String) {
    #expect(throws: ExpectationDiagnostic.self) { try ExpectationScript.parse(text, file: "fuzz.md", line: 3) }
}

@Test func ordinaryRegexesStillParse() throws {
    _ = try ExpectationScript.parse("stdout matches /^got (0x[0-9a-f]+)$/ × 5 each $x: heap\n", file: "fuzz.md", line: 3)
}
