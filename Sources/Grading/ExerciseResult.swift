// The verdict on one learner file against one exercise: what `check` prints, what `grade`
// stores per student and exercise, and what every report format is rendered from.

import Sandbox
import Syscalls
import Vocabulary

/// A traced run carried beside a result for callers that want it; never encoded, and no
/// part of a result's equality (two checks of one file are the same verdict).
package struct AttachedRun: Sendable, Hashable {
    package var value: ProgramRun?
    package init(_ value: ProgramRun? = nil) { self.value = value }
    package static func == (lhs: AttachedRun, rhs: AttachedRun) -> Bool { true }
    package func hash(into hasher: inout Hasher) {}
}

/// One case of an exercise (one run of the learner's program) and how it went.
package struct CaseResult: Codable, Sendable, Hashable {
    package var name: String
    package var status: Status
    /// Plain words for the instructor: every failed expectation, hidden ones included.
    package var explanation: String
    /// The same for the learner: a hidden expectation only says that a hidden check failed.
    package var feedback: String
    /// The failed expectations, as the matcher reported them.
    package var failures: [CaseFailure]
    /// The relevant part of the trace after `main`, strace-rendered, capped.
    package var trace: [String]
    package var stdout: String
    package var stderr: String
    /// Notes from the sandbox (limits hit, truncation) worth showing.
    package var notes: [String]
    /// A hidden case: learners see only that it passed or failed (`learnerView`).
    package var hidden: Bool
    /// Points this case earned and is worth (per-case credit, CaseCredit.swift).
    package var score: Int
    package var maxScore: Int
    /// The picture of the address space after `main` (instructor formats: html, json), capped.
    package var memory: [String] = []
    /// The attached traced run (only with `CheckOptions.keepRuns`).
    var attached = AttachedRun()
    /// The case's traced run, kept when `CheckOptions.keepRuns` asked for it; not in reports.
    package var run: ProgramRun? {
        get { attached.value }
        set { attached.value = newValue }
    }

    enum CodingKeys: String, CodingKey {
        case name, status, explanation, feedback, failures, trace, stdout, stderr, notes, hidden, score, maxScore = "max_score", memory
    }

    package init(name: String, status: Status, explanation: String = "", feedback: String = "",
                failures: [CaseFailure] = [], trace: [String] = [], stdout: String = "", stderr: String = "",
                notes: [String] = [], hidden: Bool = false, score: Int = 0, maxScore: Int = 0) {
        self.hidden = hidden
        self.score = score
        self.maxScore = maxScore
        self.name = name
        self.status = status
        self.explanation = explanation
        self.feedback = feedback
        self.failures = failures
        self.trace = trace
        self.stdout = stdout
        self.stderr = stderr
        self.notes = notes
    }

    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        status = try c.decode(Status.self, forKey: .status)
        explanation = try c.decode(String.self, forKey: .explanation)
        feedback = try c.decode(String.self, forKey: .feedback)
        failures = try c.decode([CaseFailure].self, forKey: .failures)
        trace = try c.decode([String].self, forKey: .trace)
        stdout = try c.decode(String.self, forKey: .stdout)
        stderr = try c.decode(String.self, forKey: .stderr)
        notes = try c.decode([String].self, forKey: .notes)
        // Absent in reports written before per-case credit and hidden cases.
        hidden = try c.decodeIfPresent(Bool.self, forKey: .hidden) ?? false
        score = try c.decodeIfPresent(Int.self, forKey: .score) ?? 0
        maxScore = try c.decodeIfPresent(Int.self, forKey: .maxScore) ?? 0
        memory = try c.decodeIfPresent([String].self, forKey: .memory) ?? []
    }

    /// What a learner may see of this case: hidden failures reduced to "a hidden check failed";
    /// a hidden case to its label (`hidden case 2`) and whether it passed, nothing else: no
    /// name, no input, no trace, no output (its input shows in the trace, its output is the answer).
    func learnerView(hiddenLabel: String?, words: Words) -> CaseResult {
        var copy = self
        if hidden {
            let passed = status == .passed
            copy = CaseResult(name: hiddenLabel ?? words.hiddenCase(1), status: passed ? .passed : .failed,
                              explanation: passed ? "" : words.hiddenCaseFailed, feedback: passed ? "" : words.hiddenCaseFailed,
                              hidden: true, score: score, maxScore: maxScore)
            return copy
        }
        copy.explanation = feedback
        copy.failures = failures.map { $0.hidden ? CaseFailure.redacted(line: $0.line) : $0 }
        copy.memory = []
        return copy
    }

    package var learnerView: CaseResult { learnerView(hiddenLabel: nil, words: Words("en")) }
}

/// One expectation that did not hold.
package struct CaseFailure: Codable, Sendable, Hashable {
    /// The expectation line as written in the lesson.
    package var expectation: String
    /// Its line in the lesson file.
    package var line: Int
    package var explanation: String
    /// The nearest observed event, strace-rendered.
    package var nearest: String?
    package var hidden: Bool
    /// Which of the exercise's hints (1-based) fits this failure, when the lesson says.
    package var hint: Int?
    /// The learner's line that led to the nearest event (never for a hidden failure).
    package var source: SourceQuote?

    package init(expectation: String, line: Int, explanation: String, nearest: String? = nil, hidden: Bool = false, hint: Int? = nil,
                source: SourceQuote? = nil) {
        self.expectation = expectation
        self.line = line
        self.explanation = explanation
        self.nearest = nearest
        self.hidden = hidden
        self.hint = hint
        self.source = hidden ? nil : source
    }

    static let hiddenMessage = "a hidden check failed"

    static func redacted(line: Int) -> CaseFailure {
        CaseFailure(expectation: "", line: 0, explanation: hiddenMessage, nearest: nil, hidden: true)
    }
}

/// The verdict on one learner file against one exercise.
package struct ExerciseResult: Codable, Sendable, Hashable {
    /// `lesson/exercise`.
    package var exercise: String
    package var status: Status
    package var score: Int
    package var maxScore: Int
    package var cases: [CaseResult]
    /// The text for learners (hidden expectations redacted).
    package var feedback: String
    /// Compiler output (errors, or warnings of a successful compile), capped.
    package var diagnostics: String
    /// Notes for the instructor (an internal error's cause, a retry, a language mismatch).
    package var notes: [String]
    /// Wall seconds spent on this exercise (compile + runs); not part of any verdict.
    package var seconds: Double
    /// For a missing exercise: the file that was there instead (misplaced, wrong language).
    package var fileNotes: [SubmissionNote] = []
    /// When it was handed in against `--deadline`, and the penalty (already taken off `score`).
    package var late: LateWork?
    /// The submission's fingerprints for finding similar submissions (instructor only).
    package var fingerprint: SubmissionFingerprint?

    package init(exercise: String, status: Status, score: Int, maxScore: Int, cases: [CaseResult] = [],
                feedback: String = "", diagnostics: String = "", notes: [String] = [], seconds: Double = 0) {
        self.exercise = exercise
        self.status = status
        self.score = score
        self.maxScore = maxScore
        self.cases = cases
        self.feedback = feedback
        self.diagnostics = diagnostics
        self.notes = notes
        self.seconds = seconds
    }

    enum CodingKeys: String, CodingKey {
        case exercise = "id", status, score, maxScore = "max_score", cases, feedback, diagnostics, notes, seconds
        case fileNotes = "files", late, fingerprint
    }

    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        exercise = try c.decode(String.self, forKey: .exercise)
        status = try c.decode(Status.self, forKey: .status)
        score = try c.decode(Int.self, forKey: .score)
        maxScore = try c.decode(Int.self, forKey: .maxScore)
        cases = try c.decode([CaseResult].self, forKey: .cases)
        feedback = try c.decode(String.self, forKey: .feedback)
        diagnostics = try c.decode(String.self, forKey: .diagnostics)
        notes = try c.decode([String].self, forKey: .notes)
        seconds = try c.decode(Double.self, forKey: .seconds)
        fileNotes = try c.decodeIfPresent([SubmissionNote].self, forKey: .fileNotes) ?? []
        late = try c.decodeIfPresent(LateWork.self, forKey: .late)
        fingerprint = try c.decodeIfPresent(SubmissionFingerprint.self, forKey: .fingerprint)
    }

    /// The result as a learner may see it (hidden expectations redacted, hidden cases reduced to
    /// passed/failed, instructor notes dropped), with the fixed phrases in `language`.
    package func learnerView(language: String) -> ExerciseResult {
        let words = Words(language)
        var copy = self
        var hiddenNumber = 0
        copy.cases = cases.map { item in
            if item.hidden { hiddenNumber += 1 }
            return item.learnerView(hiddenLabel: item.hidden ? words.hiddenCase(hiddenNumber) : nil, words: words)
        }
        // A hidden case's own status (a timeout, say) is not shown, so neither is it the exercise's.
        if cases.contains(where: \.hidden) && ![.compileError, .missing, .internalError].contains(status) {
            copy.status = copy.cases.map(\.status).max() ?? status
        }

        // An internal error's cause is the tool's own message (a full disk, a missing
        // compiler): the person at the keyboard is the one who can fix it.
        if status != .internalError { copy.notes = [] }
        copy.fingerprint = nil
        return copy
    }

    package var learnerView: ExerciseResult { learnerView(language: "en") }

    /// Whether this internal error is a compile cache that cannot be written (a full disk, a
    /// folder that is not one): the compiler's every message about it names LESSONS_CACHE.
    package var isCompileCacheFault: Bool {
        status == .internalError && notes.contains { $0.contains("LESSONS_CACHE") }
    }

    /// The result for a learner who checked their own work (`lessons check`, the REPL): an
    /// internal error's feedback says what they can do (grading's says the instructor was told).
    package func selfChecked(language: String) -> ExerciseResult {
        guard status == .internalError else { return self }
        var copy = self
        copy.feedback = isCompileCacheFault ? Words(language).compileCacheFault : Words(language).internalErrorInSelfCheck
        return copy
    }
}
