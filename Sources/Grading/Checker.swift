// The check engine: one learner file against one exercise, from source to verdict.
// Used by `lessons check`, `lessons grade`, `lessons lint` and the REPL's `check`:
// every verdict in the product comes from here, so they always agree.

import CLessonsPtrace
import Expectations
import Notebook
import Sandbox
import Syscalls
import Toolchain
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

/// How a check runs; the defaults are what a learner gets.
package struct CheckOptions: Sendable {
    /// CPU to pin the tracer and the learner's program to (nil: no pinning).
    package var pinCPU: Int?
    /// Language of the feedback text (`en`, `ko`).
    package var language: String
    /// Most trace lines kept per failed case.
    package var traceLines: Int
    /// Most bytes of stdout/stderr kept per case.
    package var outputBytes: Int
    /// Try an exercise again once when the tool itself failed.
    package var retryInternalErrors: Bool
    /// Keep each case's traced run in `CaseResult.run` (never encoded), for callers that draw
    /// it (the learner's memory picture) without running the case again. Off for grading:
    /// a class's worth of traces would stay in memory.
    package var keepRuns: Bool

    package init(pinCPU: Int? = nil, language: String = "en", traceLines: Int = 16, outputBytes: Int = 2048,
                retryInternalErrors: Bool = true, keepRuns: Bool = false) {
        self.pinCPU = pinCPU
        self.language = language
        self.traceLines = traceLines
        self.outputBytes = outputBytes
        self.retryInternalErrors = retryInternalErrors
        self.keepRuns = keepRuns
    }
}

/// Why a file could not be checked at all (not a verdict on the learner's program).
package enum CheckError: Error, CustomStringConvertible, Sendable {
    /// The file's extension names no language the tool knows.
    case unknownLanguage(file: String)
    /// The exercise does not accept the file's language.
    case unsupportedLanguage(file: String, exercise: String, language: Language, accepted: [Language])
    /// The lesson itself is broken (an expectation does not parse): `file:line:column: message`.
    case brokenLesson(String)
    /// The learner's file cannot be read.
    case unreadable(file: String, reason: String)

    package var description: String {
        switch self {
        case .unknownLanguage(let file):
            return "\(file): not a C or Swift file; name it with .c or .swift"
        case .unsupportedLanguage(let file, let exercise, let language, let accepted):
            let names = accepted.map(\.rawValue).joined(separator: ", ")
            return "\(file): exercise \(exercise) does not accept \(language.rawValue); write it in \(names)"
        case .brokenLesson(let diagnostic):
            return diagnostic
        case .unreadable(let file, let reason):
            return "\(file): cannot read it (\(reason))"
        }
    }
}

/// Checks learner files against exercises.
package struct Checker: Sendable {
    package var options: CheckOptions

    package init(options: CheckOptions = CheckOptions()) {
        self.options = options
    }

    /// The expectation blocks of `exercise` parsed for `language`, or the lesson's own error.
    static func parsedExpectations(of exercise: Exercise, caseName: String, language: Language) throws -> [(ExpectationSource, ExpectationScript)] {
        try exercise.expectations(forCase: caseName, language: language).map { source in
            do {
                var script = try ExpectationScript.parse(source.text, file: source.location.file, line: source.location.line)
                script.hidden = source.hidden
                return (source, script)
            } catch let diagnostic as ExpectationDiagnostic {
                throw CheckError.brokenLesson(diagnostic.description)
            } catch {
                throw CheckError.brokenLesson("\(source.location): \(error)")
            }
        }
    }

    /// Checks `file` against `exercise`. Throws `CheckError` when the file cannot be checked at
    /// all; every verdict, internal errors included, is a result. `displayName` is how compiler
    /// messages name the file (default `LESSON/EXERCISE.c`); give the path the user typed.
    package func check(file: String, exercise: Exercise, displayName: String? = nil) throws -> ExerciseResult {
        guard let language = Language(fileName: file) else { throw CheckError.unknownLanguage(file: file) }
        guard exercise.languages.contains(language) else {
            throw CheckError.unsupportedLanguage(file: file, exercise: exercise.fullID, language: language, accepted: exercise.languages)
        }
        guard access(file, R_OK) == 0 else {
            throw CheckError.unreadable(file: file, reason: String(cString: strerror(errno)))
        }
        // A broken lesson is found before any work, whatever the learner wrote.
        var scripts: [String: [(ExpectationSource, ExpectationScript)]] = [:]
        for exerciseCase in CaseRunner.cases(of: exercise) {
            scripts[exerciseCase.name] = try Checker.parsedExpectations(of: exercise, caseName: exerciseCase.name, language: language)
            try Checker.checkedInjections(of: exerciseCase)
        }

        return ReproducibleLayout.fixed { checkWithFixedLayout(file: file, exercise: exercise, displayName: displayName, language: language, scripts: scripts) }
    }

    private func checkWithFixedLayout(file: String, exercise: Exercise, displayName: String?, language: Language,
                                      scripts: [String: [(ExpectationSource, ExpectationScript)]]) -> ExerciseResult {
        let start = monotonicSeconds()
        let shown = displayName ?? "\(exercise.lessonID)/\(exercise.id).\(language.fileExtension)"
        var size = stat()
        if stat(file, &size) == 0 && size.st_size == 0 {
            // The linker's "undefined reference to main" helps no one here.
            var empty = ExerciseResult(exercise: exercise.fullID, status: .compileError, score: 0, maxScore: exercise.points)
            empty.diagnostics = "\(shown): the file is empty; write your program in it"
            empty.feedback = Feedback.compileError(diagnostics: empty.diagnostics, words: words)
            return empty
        }
        var result = attempt(file: file, displayName: shown, language: language, exercise: exercise, scripts: scripts)
        if result.status == .internalError && options.retryInternalErrors {
            let first = result.notes
            result = attempt(file: file, displayName: shown, language: language, exercise: exercise, scripts: scripts)
            if result.status != .internalError {
                // A transient fault of the tool that a retry cured leaves no trace: the result is
                // the one a run without the fault gives, so reports stay identical run to run.
            } else if result.notes == first {
                result.notes.append("retried once; failed the same way")
            } else {
                result.notes = first.map { "first attempt: \($0)" } + result.notes + ["retried once; failed again"]
            }
        }
        result.seconds = monotonicSeconds() - start
        return result
    }

    /// The `inject:` rules of `exerciseCase`, refused as a broken lesson (not as a fault of
    /// the tool in every learner's check) when the tracer does not accept one.
    static func checkedInjections(of exerciseCase: ExerciseCase) throws {
        do { _ = try CaseRunner.faultInjections(exerciseCase) } catch {
            throw CheckError.brokenLesson("\(error)")
        }
    }

    /// The expectation blocks and `inject:` rules of `exercise` that do not parse, as
    /// `file:line:column: message` (every case and language; each once).
    package static func lessonProblems(of exercise: Exercise) -> [String] {
        var found: [String] = []
        for exerciseCase in CaseRunner.cases(of: exercise) {
            do { try checkedInjections(of: exerciseCase) } catch { found.append("\(error)") }
        }
        for language in exercise.languages {
            for exerciseCase in CaseRunner.cases(of: exercise) {
                do {
                    _ = try parsedExpectations(of: exercise, caseName: exerciseCase.name, language: language)
                } catch {
                    let text = (error as? CheckError)?.description ?? "\(error)"
                    if !found.contains(text) { found.append(text) }
                }
            }
        }
        return found
    }

    private var words: Words { Words(options.language) }

    private func attempt(file: String, displayName: String, language: Language, exercise: Exercise,
                         scripts: [String: [(ExpectationSource, ExpectationScript)]]) -> ExerciseResult {
        var result = ExerciseResult(exercise: exercise.fullID, status: .internalError, score: 0, maxScore: exercise.points)

        let binary: String
        do {
            switch try Compiler.compile(CompileRequest(source: file, language: language, displayName: displayName)) {
            case .success(let path, let warnings):
                binary = path
                result.diagnostics = cap(warnings, bytes: 8192)
            case .failure(let diagnostics):
                result.status = .compileError
                result.diagnostics = cap(diagnostics, bytes: 8192)
                result.feedback = Feedback.compileError(diagnostics: result.diagnostics, words: words)
                return result
            }
        } catch {
            result.notes.append("compiling: \(LessonLinter.oneLine(String(describing: error)))")
            result.feedback = words.internalError
            return result
        }

        let limits = CaseRunner.limits(for: exercise)
        let casePoints = CaseCredit.points(of: exercise)

        for (caseIndex, exerciseCase) in CaseRunner.cases(of: exercise).enumerated() {
            let blocks = scripts[exerciseCase.name] ?? []
            let run = { (sourceLines: Bool) throws -> SandboxedRun in
                try CaseRunner.run(binary: binary, language: language, case: exerciseCase, of: exercise,
                                   presentation: .init(pinCPU: options.pinCPU, sourceLines: sourceLines))
            }
            // What the compiler saw: the base name of the display name (the path the user gave).
            let compiledName = Compiler.displayBaseName(displayName, language: language)
            // The first run is judged and pictured, then let go before a second run: one run's
            // trace in hand at a time, whatever its size (a flood fills the tracer's budget, and
            // the second run fills it again).
            var judged: CaseResult
            var memory: [String] = []
            var kept: ProgramRun?
            var large = false
            do {
                let sandboxed = try run(false)
                judged = judge(case: exerciseCase, run: sandboxed, blocks: blocks, limits: limits)
                memory = CaseMemory.picture(of: sandboxed.outcome.run, status: judged.status,
                                            names: PidNames(sandboxed.outcome.run, runUID: sandboxed.runUID))
                if options.keepRuns { kept = sandboxed.outcome.run }
                large = sandboxed.outcome.run.cut != nil || sandboxed.outcome.run.events.count > 50_000
            } catch {
                result.status = .internalError
                result.notes.append("running case \(exerciseCase.name): \(LessonLinter.oneLine(String(describing: error)))")
                result.feedback = words.internalError
                result.cases = []
                return result
            }
            if large { Self.returnFreedMemory() }
            // A failed case runs once more with source lines, so feedback can quote the
            // learner's line (SourceQuote.swift); passing runs never pay for them. Its status
            // is the first run's (rejudge keeps it only then), so the picture above holds.
            if let quoted = SourceQuote.rejudge(judged, rerun: { try run(true) }, judge: {
                judge(case: exerciseCase, run: $0, blocks: blocks, limits: limits,
                      quoting: { SourceQuote.make($0, learnerFile: file, compiledName: compiledName) })
            }) {
                judged = quoted
                if large { Self.returnFreedMemory() }
            }
            judged.run = kept
            judged.hidden = CaseCredit.isHidden(exerciseCase, in: exercise)
            judged.maxScore = casePoints[caseIndex]
            judged.score = judged.status == .passed ? judged.maxScore : 0
            judged.memory = memory
            result.cases.append(judged)
        }

        result.status = result.cases.map(\.status).max() ?? .passed
        result.score = CaseCredit.score(result.cases, status: result.status, exercise: exercise)
        result.feedback = Feedback.exercise(result, hints: !exercise.hints.isEmpty, words: words)
        return result
    }

    /// Gives the pages of a large trace, now freed, back to the system. glibc keeps freed
    /// memory in its arenas (the trace was built on the tracer's own thread, in an arena of its
    /// own), so a worker that judged a flood stayed at that size through the run after it and
    /// every case after that; with this a second flood reuses the pages instead of adding to them.
    static func returnFreedMemory() {
        _ = lessons_release_free_memory()
    }

    /// The verdict on one run: the sandbox's own status wins (a run that hit a limit or died
    /// is not judged on its syscalls), else what the expectations say.
    private func judge(case exerciseCase: ExerciseCase, run sandboxed: SandboxedRun,
                       blocks: [(ExpectationSource, ExpectationScript)], limits: RunLimits,
                       quoting: (EventSource?) -> SourceQuote? = { _ in nil }) -> CaseResult {
        let run = sandboxed.outcome.run
        let names = PidNames(run, runUID: sandboxed.runUID)  // `<pid 1>`: reports repeat run to run
        var result = CaseResult(name: exerciseCase.name, status: .passed, notes: sandboxed.notes)
        // Where a run stopped by a time or output limit was cut depends on the machine's speed:
        // such a run's report shows how it began, never how far it got (RunCut.swift).
        let cut = sandboxed.status.map(RunCut.isCutByTiming) ?? false
        result.stdout = cap(String(decoding: run.stdout, as: UTF8.self), bytes: options.outputBytes, counted: !cut)
        result.stderr = cap(String(decoding: run.stderr, as: UTF8.self), bytes: options.outputBytes, counted: !cut)
        // The tracer's budget (a flood of calls). Not for a run cut by timing: whether it got that
        // far depends on the machine's speed too (a loop of calls until the CPU limit reached the
        // budget on a quiet machine and not on a busy one, and two gradings differed).
        if let traceCut = run.cut, !cut { result.notes.append(traceCut.note()) }

        let match = Matcher.match(blocks.map(\.1), against: run, language: options.language)
        // Which lesson lines belong to hidden blocks: a failure there is hidden even if the
        // matcher did not say so.
        let hiddenLines = blocks.filter { $0.0.hidden }.map { block -> ClosedRange<Int> in
            let count = block.0.text.split(separator: "\n", omittingEmptySubsequences: false).count
            return block.0.location.line...(block.0.location.line + max(count, 1))
        }
        result.failures = match.failures.map { failure in
            let hidden = failure.hidden || hiddenLines.contains { $0.contains(failure.line) }
            return CaseFailure(expectation: failure.expectation, line: failure.line, explanation: names.apply(toText: failure.explanation),
                               nearest: RunCut.shownNearest(failure, in: run, names: names), hidden: hidden, hint: failure.hint,
                               source: hidden ? nil : quoting(failure.nearestSource))  // SourceQuote.swift
        }

        var status: Status = match.passed ? .passed : .failed
        var stoppedBySandbox = false
        if let runStatus = sandboxed.status {
            // A signal the expectations asked for is not a crash; everything else the sandbox
            // reports (limits, unexpected signals) overrides the match.
            let signalExpected = runStatus == .crashed && match.passed && Checker.expectsSignal(run.exit, in: blocks.map(\.1))
            if !signalExpected {
                status = runStatus
                stoppedBySandbox = true
            }
        }
        result.status = status
        // The matcher's view of a run cut short at a machine-dependent point varies from run to
        // run (how many writes got through): the verdict is the limit, and that is all it keeps.
        if stoppedBySandbox && cut { result.failures = [] }

        var instructor: [String] = []
        var learner: [String] = []
        if stoppedBySandbox, let statusLine = Feedback.runStatus(status, run: run, limits: limits, words: Feedback.english) {
            // The run was stopped or died: that is the verdict. What the expectations say about
            // a run cut short is kept in `failures` for the instructor, not put in the way.
            instructor.append(statusLine)
            learner.append(Feedback.runStatus(status, run: run, limits: limits, words: words) ?? statusLine)
        } else if status != .passed {
            for failure in result.failures {
                instructor.append(Feedback.describe(failure))
                learner.append(failure.hidden ? words.hiddenCheckFailed : Feedback.describe(failure, words: words))
            }
        }
        result.explanation = instructor.joined(separator: "\n")
        result.feedback = learner.joined(separator: "\n")
        if status != .passed {
            // Around the event that differs; for a run cut short, how it ended.
            let shown = zip(result.failures, match.failures).first { !$0.0.hidden }?.1
            let nearest = stoppedBySandbox ? nil : shown?.nearestEvent
            if stoppedBySandbox && cut {
                result.trace = RunCut.beginning(of: run, names: names, limit: options.traceLines, status: status)
            } else {
                result.trace = TraceExcerpt.lines(of: run, around: nearest, limit: options.traceLines, preferEnd: stoppedBySandbox, names: names)
            }
        }
        return result
    }

    /// Whether the expectations ask for the signal that ended the run (`killed by SIGSEGV …`
    /// or `signal SIGSEGV`): then the signal is the exercise, not a crash.
    static func expectsSignal(_ exit: ProcessExit?, in scripts: [ExpectationScript]) -> Bool {
        guard case .killed(let signal, _)? = exit else { return false }
        return scripts.contains { script in
            script.expectations.contains { expectation in
                switch expectation.statement {
                case .outcome(.killed(let wanted, _, _, _)):
                    return wanted == signal
                case .event(.signal(let pattern), let count):
                    return count != .none && (pattern.signal == nil || pattern.signal == signal)
                default:
                    return false
                }
            }
        }
    }

    /// The first `bytes` of `text`; `counted: false` leaves out how many more there were (for
    /// a run cut at a machine-dependent point, that number varies).
    private func cap(_ text: String, bytes: Int, counted: Bool = true) -> String {
        let utf8 = Array(text.utf8)
        guard utf8.count > bytes else { return text }
        return String(decoding: utf8.prefix(bytes), as: UTF8.self) + (counted ? "\n… (\(utf8.count - bytes) more bytes cut)" : "\n… (more cut)")
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
