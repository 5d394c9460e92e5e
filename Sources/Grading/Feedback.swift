// Words for people: what a verdict means, for a learner (hidden checks redacted) and for the
// `check` command's text output. Verdicts come from `Checker`; this file only phrases them.

import Foundation
import Sandbox
import Syscalls
import Vocabulary

/// The fixed phrases of feedback, in English and Korean (`--lang ko`). Explanations of failed
/// expectations come from the Expectations module; instructor text is always English.
struct Words: Sendable {
    var language: String
    init(_ language: String) { self.language = language == "ko" ? "ko" : "en" }
    var korean: Bool { language == "ko" }

    var hiddenCheckFailed: String { korean ? "숨겨진 검사 하나를 통과하지 못했습니다" : "a hidden check failed" }
    func points(_ score: Int, of maxScore: Int) -> String { korean ? "\(score)/\(maxScore)점" : "\(score)/\(maxScore) points" }
    // The text report's frame (`grade --lang ko`, `grade merge --lang ko`); statuses stay
    // the vocabulary every script reads, explanations stay the instructor's English.
    var student: String { korean ? "학생" : "student" }
    var score: String { korean ? "점수" : "score" }
    var passedColumn: String { korean ? "통과" : "passed" }
    var notPassedColumn: String { korean ? "통과하지 못함" : "not passed" }
    var exerciseColumn: String { korean ? "문제" : "exercise" }
    var allRow: String { korean ? "전체" : "all" }
    func classSummary(students: Int, exercises: Int, counts: [String]) -> String {
        korean ? "학생 \(students)명, 문제 \(exercises)개: \(counts.isEmpty ? "채점한 것 없음" : counts.joined(separator: ", "))"
            : "\(students) student\(students == 1 ? "" : "s"), \(exercises) exercise\(exercises == 1 ? "" : "s"): \(counts.isEmpty ? "nothing graded" : counts.joined(separator: ", "))"
    }
    func shardOf(_ index: Int, _ count: Int) -> String { korean ? "반 전체 중 샤드 \(index)/\(count)" : "shard \(index)/\(count) of the class" }
    func partialReport(_ graded: Int, of students: Int) -> String {
        korean ? "부분 보고서: 학생 \(students)명 중 \(graded)명까지 채점함(채점이 아직 진행 중이었습니다. 같은 명령을 실행하면 마저 채점합니다)"
            : "partial report: \(graded) of \(students) students graded so far (grading was still running; run the same command to finish)"
    }
    func stopped(_ stop: GradeStop) -> String {
        // Named after the signal, as a shell names a job that died of it.
        let (stopped, stoppedNow) = switch stop.signal {
        case .interrupt: korean ? ("중단됨", "중단되었습니다") : ("interrupted", "interrupted")
        case .terminate: korean ? ("종료됨", "종료되었습니다") : ("terminated", "terminated")
        }
        let again = stop.cached
            ? (korean ? "같은 명령을 다시 실행하면 마저 채점합니다(채점한 것은 결과 캐시에서 가져옵니다)"
                      : "run the same command again to finish (what is graded comes from the result cache)")
            : (korean ? "같은 명령을 다시 실행하면 처음부터 다시 채점합니다(--no-cache라 남긴 것이 없습니다)"
                      : "run the same command again to grade it all (--no-cache kept nothing)")
        let standardOutput = korean ? "표준 출력" : "standard output"
        switch (stop.stage, stop.destination) {
        case (.starting, _):
            return korean ? "채점을 시작하기 전에 \(stoppedNow). 아무것도 쓰지 않았습니다" : "\(stopped) before grading began; nothing was written"
        case (.written(let total), .partialFile(let path, _)), (.written(let total), .wholeOnly(let path?)):
            return korean ? "제출물 \(total)개를 모두 채점하고 보고서를 \(path)에 다 쓴 뒤 \(stoppedNow)"
                : "\(stopped) after grading all \(total) submissions; the whole report is in \(path)"
        case (.written(let total), .wholeOnly(nil)):
            return korean ? "제출물 \(total)개를 모두 채점하고 보고서를 \(standardOutput)에 다 쓴 뒤 \(stoppedNow)"
                : "\(stopped) after grading all \(total) submissions; the whole report went to \(standardOutput)"
        case (.grading(let done, let total), .partialFile(let path, let partial?)):
            return korean
                ? "\(stopped): 제출물 \(total)개 중 \(done)개를 채점했습니다. 부분 보고서(학생 \(partial.students)명 중 \(partial.studentsGraded)명)가 \(path)에 있습니다. \(again)"
                : "\(stopped): graded \(done) of \(total) submissions; the partial report (\(partial.studentsGraded) of \(partial.students) students) is in \(path); \(again)"
        case (.grading(let done, let total), .partialFile(let path, nil)):
            return korean
                ? "\(stopped): 제출물 \(total)개 중 \(done)개를 채점했습니다. 아직 부분 보고서를 쓰기 전이라 \(path)에는 쓰지 않았습니다. \(again)"
                : "\(stopped): graded \(done) of \(total) submissions, before the first partial report, so \(path) was not written; \(again)"
        case (.grading(let done, let total), .wholeOnly(let path)):
            return korean
                ? "\(stopped): 제출물 \(total)개 중 \(done)개를 채점했습니다. \(path ?? standardOutput)에는 전체 보고서만 쓰므로 아무것도 쓰지 않았습니다(--output FILE이면 부분 보고서가 남습니다). \(again)"
                : "\(stopped): graded \(done) of \(total) submissions; \(path ?? standardOutput) gets only the whole report, so nothing was written (--output FILE keeps a partial one); \(again)"
        }
    }
    var internalErrorsHeading: String {
        korean ? "내부 오류(도구의 잘못이며 점수에 넣지 않음, 다시 채점하면 재시도):" : "internal errors (the tool's fault, not scored; grade again to retry):"
    }
    var detailsHeading: String { korean ? "자세히:" : "details:" }
    var similarHeading: String { korean ? "비슷한 제출물(강사만 봄):" : "similar submissions (for the instructor only):" }
    var warningsHeading: String { korean ? "경고:" : "warnings:" }
    var identical: String { korean ? "똑같음" : "identical" }
    func lines(_ a: String, _ b: String) -> String { korean ? "\(a) ↔ \(b)번 줄" : "lines \(a) ↔ \(b)" }
    func notChecked(_ count: Int) -> String {
        korean ? "결과 \(count)개를 검사하지 못했습니다(내부 오류, 점수에 넣지 않음). 같은 명령을 다시 실행하면 다시 시도합니다"
            : "\(count) result\(count == 1 ? "" : "s") could not be checked (internal error, not scored); run the same command again to retry them"
    }
    func late(_ late: LateWork) -> String {
        let source = late.source == "git" ? (korean ? "마지막 커밋" : "last commit") : (korean ? "파일 시각" : "file time")
        return korean ? "\(late.submitted)에 제출(\(source)), \(late.days)\(late.period == "hour" ? "시간" : "일") 늦음, −\(late.deducted)점(\(late.percent)%)"
            : "handed in \(late.submitted) (\(source)), \(late.days) \(late.period)\(late.days == 1 ? "" : "s") late, −\(late.deducted) points (\(late.percent)%)"
    }
    func notOnRoster(_ ids: [String]) -> String {
        let shown = ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? " …" : "")
        return korean ? "명단(--roster)에 없는 폴더 \(ids.count)개는 Canvas 파일에서 뺐습니다: \(shown)"
            : "\(ids.count) folder\(ids.count == 1 ? "" : "s") not on the roster left out of the Canvas file (Canvas could not place them): \(shown)"
    }
    var someNotChecked: String {
        korean ? "검사기 오류로 일부 문제를 검사하지 못했습니다. 점수에 넣지 않았고 강사에게 알렸습니다."
            : "Some exercises could not be checked because of a fault in the checker; they are not counted, and your instructor has been told."
    }
    func feedbackFor(_ id: String) -> String { korean ? "\(id)의 피드백" : "Feedback for \(id)" }
    var hiddenCaseFailed: String { korean ? "숨겨진 케이스를 통과하지 못했습니다" : "a hidden case failed" }
    func hiddenCase(_ number: Int) -> String { korean ? "숨겨진 케이스 \(number)" : "hidden case \(number)" }
    /// `case NAME` for a case a learner may see; a hidden case's label alone.
    func caseLabel(_ item: CaseResult) -> String { item.hidden ? item.name : (korean ? "케이스 \(item.name)" : "case \(item.name)") }
    var internalError: String {
        korean ? "검사기 자체가 이 문제에서 실패했습니다(여러분의 잘못이 아닙니다). 한 번 다시 시도했고 강사에게 보고되었습니다."
            : "The checker itself failed on this exercise (not your fault); it was retried and reported to the instructor."
    }
    /// The same, to a learner checking their own work (`lessons check`, the REPL): nobody else
    /// hears of it, so it says what they can do.
    var internalErrorInSelfCheck: String {
        korean ? "검사기 자체가 이 문제에서 실패했습니다(여러분 프로그램의 잘못이 아닙니다). 다시 검사해 보고, 같은 식으로 실패하면 아래 원인을 알려 주세요."
            : "The checker itself failed on this exercise (not your program's fault); check again, and if it fails the same way, report the cause below."
    }
    var compileCacheFault: String {
        korean ? "컴파일 캐시에 쓸 수 없었습니다(여러분 프로그램의 잘못이 아닙니다). 그 디스크에 공간을 비우거나 LESSONS_CACHE를 쓸 수 있는 폴더로 정한 뒤 다시 검사하세요."
            : "The compile cache could not be written (not your program's fault): free some space on its disk or set LESSONS_CACHE to a writable folder, then check again."
    }
    var didNotCompile: String { korean ? "프로그램이 컴파일되지 않았습니다:" : "Your program did not compile:" }
    var compileErrorMark: String { korean ? "컴파일 오류" : "compile error" }
    var compilerWarnings: String { korean ? "컴파일러 경고:" : "compiler warnings:" }
    var cause: String { korean ? "원인" : "cause" }
    var traceAfterMain: String { korean ? "main 이후의 트레이스:" : "trace after main:" }
    func expected(_ expectation: String) -> String { korean ? "기대한 것 `\(expectation)`: " : "expected `\(expectation)`: " }
    func hintFits(_ hint: Int) -> String { korean ? " (힌트 \(hint)번이 이 내용입니다)" : " (hint \(hint) is about this)" }
    func runHint(_ id: String) -> String { korean ? "힌트를 보려면 'lessons hint \(id)'를 실행하세요" : "run 'lessons hint \(id)' for a hint" }
    func allPassed(_ count: Int) -> String {
        korean ? (count == 1 ? "케이스를 통과했습니다." : "케이스 \(count)개를 모두 통과했습니다.")
            : count == 1 ? "The case passed." : count == 2 ? "Both cases passed." : "All \(count) cases passed."
    }
    func summary(_ status: Status, passed: Int, cases: Int, score: Int, maxScore: Int) -> String {
        let counted = cases == 0 ? "" : korean ? " 케이스 \(passed)/\(cases)," : " \(passed)/\(cases) cases,"
        return korean ? "\(status.rawValue):\(counted) \(score)/\(maxScore)점" : "\(status.rawValue):\(counted) \(score)/\(maxScore) points"
    }

    func timeout(cpu: String, wall: String) -> String {
        korean ? "프로그램이 시간 제한(CPU \(cpu)초, 전체 \(wall)초)을 넘겨 중단되었습니다"
            : "your program ran past the time limit (\(cpu) s of CPU, \(wall) s in all) and was stopped"
    }
    func memoryLimit(_ mib: Int) -> String {
        korean ? "프로그램이 메모리 제한(\(mib) MiB)보다 많이 써서 중단되었습니다"
            : "your program used more than the memory limit (\(mib) MiB) and was stopped"
    }
    func outputLimit(stdout: Int, stderr: Int) -> String {
        korean ? "프로그램이 출력 제한(표준 출력 \(stdout) KiB, 표준 오류 \(stderr) KiB)보다 많이 출력해서 중단되었습니다"
            : "your program printed more than the output limit (\(stdout) KiB on stdout, \(stderr) KiB on stderr) and was stopped"
    }
    func killed(by name: String, meaning: String) -> String {
        korean ? "프로그램이 \(name) 신호로 종료되었습니다(\(meaning))" : "your program was killed by \(name) (\(meaning))"
    }
    var killedUnexpectedly: String { korean ? "프로그램이 예상하지 못한 신호로 종료되었습니다" : "your program was killed by an unexpected signal" }

    func signalMeaning(_ signal: Int32) -> String {
        (SignalDescriptions.meaning(of: signal) ?? SignalDescriptions.unexpected).text(korean: korean)
    }
}

enum Feedback {
    static let english = Words("en")
    static var internalError: String { english.internalError }

    static func compileError(diagnostics: String, words: Words) -> String {
        words.didNotCompile + "\n" + diagnostics
    }

    /// One sentence for a status the sandbox decided (nil for passed/failed: the expectations speak).
    static func runStatus(_ status: Status, run: ProgramRun, limits: RunLimits, words: Words) -> String? {
        switch status {
        case .passed, .failed, .compileError, .missing, .internalError:
            return nil
        case .timeout:
            return words.timeout(cpu: format(limits.cpuSeconds), wall: format(limits.wallSeconds))
        case .memoryLimit:
            return words.memoryLimit(limits.memoryBytes >> 20)
        case .outputLimit:
            return words.outputLimit(stdout: limits.stdoutBytes >> 10, stderr: limits.stderrBytes >> 10)
        case .crashed:
            if case .killed(let signal, _)? = run.exit {
                return words.killed(by: SignalTable.name(of: signal), meaning: words.signalMeaning(signal))
            }
            return words.killedUnexpectedly
        }
    }

    /// One failed expectation, in `words`' language around the matcher's explanation.
    static func describe(_ failure: CaseFailure, words: Words = english) -> String {
        var text = failure.explanation
        let expectation = displayed(failure.expectation)
        if !expectation.isEmpty && !text.contains(expectation) {
            text = words.expected(expectation) + text
        }
        if let hint = failure.hint { text += words.hintFits(hint) }
        if !failure.hidden, let source = failure.source { text += "\n  " + source.rendered(words: words) }  // SourceQuote.swift
        return text
    }

    /// The learner's feedback for a whole exercise.
    static func exercise(_ result: ExerciseResult, hints: Bool, words: Words) -> String {
        let result = result.learnerView(language: words.language)
        if result.status == .passed { return words.allPassed(result.cases.count) }
        var lines: [String] = []
        for item in result.cases where item.status != .passed {
            lines.append("\(words.caseLabel(item)): \(item.status.rawValue)")
            for line in item.feedback.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append("  " + line)
            }
        }
        if hints { lines.append(words.runHint(result.exercise)) }
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
package enum CheckText {
    /// With a `width` (a terminal's), the prose (explanations, feedback, causes) is wrapped to it;
    /// compiler diagnostics, trace lines and the program's stderr never are.
    package static func render(_ result: ExerciseResult, file: String, language: String = "en", width: Int? = nil) -> String {
        let words = Words(language)
        func prose(_ text: String) -> String { width.map { TextWrap.lines(text, width: $0) } ?? text }
        let view = result.learnerView(language: language)
        var out = "\(view.exercise) — \(file)\n"
        switch view.status {
        case .compileError:
            out += "✗ \(words.compileErrorMark)\n"
            out += indent(view.diagnostics) + "\n"
        case .internalError:
            out += "✗ internal error: \(result.selfChecked(language: language).feedback)\n"
            for note in view.notes { out += prose("  \(words.cause): \(note)") + "\n" }
        case .missing:
            out += "✗ missing\n"
            if !view.feedback.isEmpty { out += prose(indent(view.feedback)) + "\n" }
        default:
            if view.status != .passed && !view.diagnostics.isEmpty {
                // A warning often says why a program misbehaves (a returned pointer, an
                // uninitialised variable): shown, capped, when the check did not pass.
                out += words.compilerWarnings + "\n" + indent(firstLines(view.diagnostics, warningLines)) + "\n"
            }
            for item in view.cases {
                out += item.status == .passed ? "✓ \(item.name)\n" : "✗ \(item.name) — \(item.status.rawValue)\n"
            }
            for item in view.cases where item.status != .passed {
                out += "\n\(words.caseLabel(item)):\n"
                if !item.explanation.isEmpty { out += prose(indent(item.explanation)) + "\n" }
                if !item.trace.isEmpty {
                    out += "  \(words.traceAfterMain)\n" + item.trace.map { "    " + $0 }.joined(separator: "\n") + "\n"
                }
                if !item.stderr.isEmpty && item.status != .passed {
                    out += "  stderr:\n" + indent(item.stderr, by: "    ") + "\n"
                }
            }
        }
        if view.status != .passed && view.status != .internalError {
            out += "\n" + prose(words.runHint(view.exercise)) + "\n"
        }
        let passedCases = view.cases.filter { $0.status == .passed }.count
        out += words.summary(view.status, passed: passedCases, cases: view.cases.count, score: view.score, maxScore: view.maxScore) + "\n"
        return out
    }

    /// Most lines of compiler warnings shown by `check`.
    static let warningLines = 12

    static func firstLines(_ text: String, _ count: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let kept = lines.prefix(count).joined(separator: "\n")
        return lines.count > count ? kept + "\n… (\(lines.count - count) more lines)" : kept
    }

    static func indent(_ text: String, by prefix: String = "  ") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n")
    }
}
