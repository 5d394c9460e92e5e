// The verdict on one learner file against one exercise: what `check` prints, what `grade`
// stores per student and exercise, and what every report format is rendered from.

import Sandbox

/// One case of an exercise (one run of the learner's program) and how it went.
public struct CaseResult: Codable, Sendable, Hashable {
    public var name: String
    public var status: Status
    /// Plain words for the instructor: every failed expectation, hidden ones included.
    public var explanation: String
    /// The same for the learner: a hidden expectation only says that a hidden check failed.
    public var feedback: String
    /// The failed expectations, as the matcher reported them.
    public var failures: [CaseFailure]
    /// The relevant part of the trace after `main`, strace-rendered, capped.
    public var trace: [String]
    public var stdout: String
    public var stderr: String
    /// Notes from the sandbox (limits hit, truncation) worth showing.
    public var notes: [String]

    public init(name: String, status: Status, explanation: String = "", feedback: String = "",
                failures: [CaseFailure] = [], trace: [String] = [], stdout: String = "", stderr: String = "",
                notes: [String] = []) {
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

    /// What a learner may see of this case: hidden failures reduced to "a hidden check failed".
    public var learnerView: CaseResult {
        var copy = self
        copy.explanation = feedback
        copy.failures = failures.map { $0.hidden ? CaseFailure.redacted(line: $0.line) : $0 }
        return copy
    }
}

/// One expectation that did not hold.
public struct CaseFailure: Codable, Sendable, Hashable {
    /// The expectation line as written in the lesson.
    public var expectation: String
    /// Its line in the lesson file.
    public var line: Int
    public var explanation: String
    /// The nearest observed event, strace-rendered.
    public var nearest: String?
    public var hidden: Bool
    /// Which of the exercise's hints (1-based) fits this failure, when the lesson says.
    public var hint: Int?
    /// The learner's line that led to the nearest event (never for a hidden failure).
    public var source: SourceQuote?

    public init(expectation: String, line: Int, explanation: String, nearest: String? = nil, hidden: Bool = false, hint: Int? = nil,
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
public struct ExerciseResult: Codable, Sendable, Hashable {
    /// `lesson/exercise`.
    public var exercise: String
    public var status: Status
    public var score: Int
    public var maxScore: Int
    public var cases: [CaseResult]
    /// The text for learners (hidden expectations redacted).
    public var feedback: String
    /// Compiler output (errors, or warnings of a successful compile), capped.
    public var diagnostics: String
    /// Notes for the instructor (an internal error's cause, a retry, a language mismatch).
    public var notes: [String]
    /// Wall seconds spent on this exercise (compile + runs); not part of any verdict.
    public var seconds: Double

    public init(exercise: String, status: Status, score: Int, maxScore: Int, cases: [CaseResult] = [],
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
    }

    /// The result as a learner may see it (hidden expectations redacted, instructor notes dropped).
    public var learnerView: ExerciseResult {
        var copy = self
        copy.cases = cases.map(\.learnerView)
        // An internal error's cause is the tool's own message (a full disk, a missing
        // compiler): the person at the keyboard is the one who can fix it.
        if status != .internalError { copy.notes = [] }
        return copy
    }
}
