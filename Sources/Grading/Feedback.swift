// Words for people: what a verdict means, for a learner (hidden checks redacted) and for the
// `check` command's text output. Verdicts come from `Checker`; this file only phrases them.

import Foundation
import Sandbox
import Syscalls

enum Feedback {
    static let internalError =
        "The checker itself failed on this exercise (not your fault); it was retried and reported to the instructor."

    static func compileError(diagnostics: String) -> String {
        "Your program did not compile:\n" + diagnostics
    }

    /// One sentence for a status the sandbox decided (nil for passed/failed: the expectations speak).
    static func runStatus(_ status: Status, run: ProgramRun, limits: RunLimits) -> String? {
        switch status {
        case .passed, .failed, .compileError, .missing, .internalError:
            return nil
        case .timeout:
            return "your program ran past the time limit (\(format(limits.cpuSeconds)) s of CPU, \(format(limits.wallSeconds)) s in all) and was stopped"
        case .memoryLimit:
            return "your program used more than the memory limit (\(limits.memoryBytes >> 20) MiB) and was stopped"
        case .outputLimit:
            return "your program printed more than the output limit (\(limits.stdoutBytes >> 10) KiB on stdout, \(limits.stderrBytes >> 10) KiB on stderr) and was stopped"
        case .crashed:
            if case .killed(let signal, _)? = run.exit {
                return "your program was killed by \(TraceExcerpt.signalName(signal)) (\(signalMeaning(signal)))"
            }
            return "your program was killed by an unexpected signal"
        }
    }

    static func signalMeaning(_ signal: Int32) -> String {
        switch signal {
        case 11: return "it touched memory it does not own"
        case 6: return "it aborted, e.g. a failed assert or a corrupted heap"
        case 4: return "an illegal instruction; in Swift, a trap such as a force-unwrapped nil"
        case 7: return "a bus error: memory that exists but cannot be accessed like that"
        case 8: return "an arithmetic error such as division by zero"
        case 9: return "it was killed"
        default: return "an unexpected signal"
        }
    }

    /// One failed expectation as the instructor sees it.
    static func describe(_ failure: CaseFailure) -> String {
        var text = failure.explanation
        let expectation = displayed(failure.expectation)
        if !expectation.isEmpty && !text.contains(expectation) {
            text = "expected `\(expectation)`: " + text
        }
        if let hint = failure.hint { text += " (hint \(hint) is about this)" }
        return text
    }

    /// The learner's feedback for a whole exercise.
    static func exercise(_ result: ExerciseResult, hints: Bool) -> String {
        if result.status == .passed { return "All \(result.cases.count) case\(result.cases.count == 1 ? "" : "s") passed." }
        var lines: [String] = []
        for item in result.cases where item.status != .passed {
            lines.append("case \(item.name): \(item.status.rawValue)")
            for line in item.feedback.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append("  " + line)
            }
        }
        if hints { lines.append("run 'lessons hint \(result.exercise)' for a hint") }
        return lines.joined(separator: "\n")
    }

    /// An expectation line as a learner reads it: the alignment padding and the trailing
    /// `hint N` (said separately) taken out.
    static func displayed(_ expectation: String) -> String {
        var text = expectation.replacingOccurrences(of: #"\s+hint\s+[0-9]+\s*$"#, with: "", options: .regularExpression)
        text = text.replacingOccurrences(of: #"\s{2,}"#, with: " ", options: .regularExpression)
        return text.trimmingCharacters(in: .whitespaces)
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// The text `lessons check` prints for one result (learner view: hidden checks redacted).
public enum CheckText {
    public static func render(_ result: ExerciseResult, file: String) -> String {
        let view = result.learnerView
        var out = "\(view.exercise) — \(file)\n"
        switch view.status {
        case .compileError:
            out += "✗ compile error\n"
            out += indent(view.diagnostics) + "\n"
        case .internalError:
            out += "✗ internal error: \(Feedback.internalError)\n"
        case .missing:
            out += "✗ missing\n"
        default:
            for item in view.cases {
                out += item.status == .passed ? "✓ \(item.name)\n" : "✗ \(item.name) — \(item.status.rawValue)\n"
            }
            for item in view.cases where item.status != .passed {
                out += "\ncase \(item.name):\n"
                if !item.explanation.isEmpty { out += indent(item.explanation) + "\n" }
                if !item.trace.isEmpty {
                    out += "  trace after main:\n" + item.trace.map { "    " + $0 }.joined(separator: "\n") + "\n"
                }
                if !item.stderr.isEmpty && item.status != .passed {
                    out += "  stderr:\n" + indent(item.stderr, by: "    ") + "\n"
                }
            }
        }
        if view.status != .passed && view.status != .internalError {
            out += "\nrun 'lessons hint \(view.exercise)' for a hint\n"
        }
        let passedCases = view.cases.filter { $0.status == .passed }.count
        let cases = view.cases.isEmpty ? "" : " \(passedCases)/\(view.cases.count) cases,"
        out += "\(view.status.rawValue):\(cases) \(view.score)/\(view.maxScore) points\n"
        return out
    }

    static func indent(_ text: String, by prefix: String = "  ") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
    }
}
