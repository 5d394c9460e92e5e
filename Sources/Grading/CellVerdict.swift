// What a lesson says about a cell, held against a real run of it: its ```trace``` block
// (TraceComparison) and each ```claim``` block (the expectation language's matcher). Shared
// by `lint` (for authors: any difference is a problem), `record` and `verify` (for learners:
// which facts hold on this machine).

import Expectations
import Notebook
import Syscalls

package struct CellVerdict: Sendable {
    package enum TraceResult: Sendable {
        /// The cell has no trace block.
        case none
        case matches
        case differs(TraceComparison.Difference)
    }

    package enum ClaimResult: Sendable {
        case holds
        case fails([MatchFailure])
        /// The block is not valid expectation language: the lesson's fault, on any machine.
        case broken(LintProblem)
    }

    package var run: CellRun
    /// nil: the cell could not be run (see `run.outcome`).
    package var trace: TraceResult?
    /// One result per claim block (empty when the cell could not be run and has no claims).
    package var claims: [(block: ClaimBlock, result: ClaimResult)]

    package var allHold: Bool {
        guard case .success = run.outcome else { return false }
        if case .differs? = trace { return false }
        return claims.allSatisfy { if case .holds = $0.result { return true } else { return false } }
    }
}

package enum CellJudge {
    /// Holds `run`'s cell's trace block and claims against the run. Explanations in `language`.
    package static func judge(_ run: CellRun, language: String = "en") -> CellVerdict {
        let parsed = run.cell.claims.map { block in (block, parse(block)) }
        guard case .success(let sandboxed) = run.outcome else {
            let broken = parsed.compactMap { block, script -> (ClaimBlock, CellVerdict.ClaimResult)? in
                if case .failure(let problem) = script { return (block, .broken(problem)) }
                return nil
            }
            return CellVerdict(run: run, trace: nil, claims: broken)
        }
        let programRun = sandboxed.outcome.run
        var trace = CellVerdict.TraceResult.none
        if let recorded = run.cell.trace {
            let actual = CellRunner.traceLines(programRun, startup: recorded.startup)
            trace = TraceComparison.compare(recorded: recorded.lines, actual: actual).map { .differs($0) } ?? .matches
        }
        let claims = parsed.map { block, script -> (ClaimBlock, CellVerdict.ClaimResult) in
            switch script {
            case .failure(let problem): return (block, .broken(problem))
            case .success(let script):
                let result = Matcher.match([script], against: programRun, language: language)
                return (block, result.passed ? .holds : .fails(result.failures))
            }
        }
        return CellVerdict(run: run, trace: trace, claims: claims)
    }

    /// A claim block as an expectation script, or its parse error, located in the lesson file.
    static func parse(_ block: ClaimBlock) -> Result<ExpectationScript, LintProblem> {
        do {
            return .success(try ExpectationScript.parse(block.text, file: block.location.file, line: block.location.line))
        } catch let diagnostic as ExpectationDiagnostic {
            return .failure(LintProblem(location: SourceLocation(file: diagnostic.file, line: diagnostic.line, column: diagnostic.column),
                                        message: diagnostic.message))
        } catch {
            return .failure(LintProblem(location: block.location, message: "\(error)"))
        }
    }

    /// A failure of a claim, in words about a lesson rather than an exercise: the matcher
    /// speaks of "this exercise" and "your program"; a claim is the lesson's, about its example.
    package static func lessonWording(_ explanation: String, language: String) -> String {
        let pairs: [(String, String)] = language.lowercased().hasPrefix("ko")
            ? [("이 연습에서는", "레슨에 따르면"), ("이 연습은", "레슨은"), ("이 연습이", "레슨이"), ("여러분의 프로그램", "예제 프로그램")]
            : [("this exercise wants", "the lesson says"), ("this exercise expects", "the lesson says"),
               ("this exercise rules out", "the lesson rules out"), ("this exercise", "the lesson"),
               ("your program", "the example")]
        var text = explanation
        for (from, to) in pairs { text = text.replacingOccurrences(of: from, with: to) }
        return text
    }
}

extension LintProblem: Error {}
