// Compiler warnings are shown by check when it did not pass.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading

@Suite struct CompilerWarningTests {
    // Warnings are shown when the check did not pass.
    @Test func warningsAreShownAboveTheCasesOfAFailedCheck() {
        var result = ExerciseResult(exercise: "l/e", status: .failed, score: 0, maxScore: 5,
                                    cases: [CaseResult(name: "default", status: .failed, explanation: "expected exit 0")])
        result.diagnostics = "e.c:2:12: warning: returning 'char *' from a function with return type 'int' makes integer from pointer without a cast"
        let text = CheckText.render(result, file: "e.c")
        #expect(text.contains("compiler warnings:\n  e.c:2:12: warning: returning 'char *'"), "\(text)")
        let warningAt = text.range(of: "compiler warnings:")!.lowerBound
        #expect(warningAt < text.range(of: "✗ default")!.lowerBound)
        var passed = result
        passed.status = .passed
        passed.cases[0].status = .passed
        #expect(!CheckText.render(passed, file: "e.c").contains("warning"))
    }

    @Test func longWarningsAreCapped() {
        var result = ExerciseResult(exercise: "l/e", status: .failed, score: 0, maxScore: 5,
                                    cases: [CaseResult(name: "default", status: .failed)])
        result.diagnostics = (1...40).map { "e.c:\($0):1: warning: w" }.joined(separator: "\n")
        let text = CheckText.render(result, file: "e.c")
        #expect(text.contains("e.c:12:1: warning"))
        #expect(!text.contains("e.c:13:1: warning"))
        #expect(text.contains("(28 more lines)"))
    }
}
