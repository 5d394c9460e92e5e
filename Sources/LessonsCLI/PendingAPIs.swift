// TEMPORARY: stand-ins for the agreed APIs (BRIEF.md) of modules that have not landed in main
// yet, so that the learner commands compile. Each fails loudly; none returns a result.
// Each section is deleted as soon as the real module is merged.

import Notebook
import Sandbox
import Syscalls
import Toolchain

struct PendingModule: Error, CustomStringConvertible {
    var name: String
    var description: String { "module \(name) has not landed yet; merge main and rebuild" }
}

// MARK: Notebook
struct LessonDiagnostic: Error, CustomStringConvertible {
    var location: SourceLocation
    var message: String
    var description: String { "\(location): \(message)" }
}

struct LessonPack: Sendable {
    var directory: String
    var lessons: [Lesson]
    static func load(directory: String) -> (pack: LessonPack, diagnostics: [LessonDiagnostic]) {
        (LessonPack(directory: directory, lessons: []),
         [LessonDiagnostic(location: SourceLocation(file: directory, line: 1), message: PendingModule(name: "Notebook").description)])
    }
    static func defaultDirectory() -> String? { nil }
    func exercise(_ fullID: String) -> Exercise? { nil }
}

// MARK: Toolchain
struct CompileRequest: Sendable {
    var source: String
    var language: Language
    var displayName: String
}

enum CompileResult: Sendable {
    case success(binary: String, warnings: String)
    case failure(diagnostics: String)
}

enum Compiler {
    static func compile(_ request: CompileRequest) throws -> CompileResult { throw PendingModule(name: "Toolchain") }
}

// MARK: Tracing + Sandbox
struct TraceOutcome: Sendable {
    var run: ProgramRun
    var timedOut: Bool
    var outputLimitExceeded: Bool
    var wallSeconds: Double
}

struct RunLimits: Sendable {
    init() {}
}

struct SandboxedRun: Sendable {
    var outcome: TraceOutcome
    var status: Status?
    var notes: [String]
}

enum Sandbox {
    static func run(executable: String, arguments: [String], stdin: [UInt8]?, files: [String: String],
                    environment: [String: String], limits: RunLimits, pinCPU: Int?) throws -> SandboxedRun {
        throw PendingModule(name: "Sandbox")
    }
}

// MARK: Grading
struct CheckOptions: Sendable {
    var language: String = "en"
}

struct CaseResult: Sendable {
    var name: String
    var status: Status
}

struct ExerciseResult: Sendable {
    var exercise: String
    var status: Status
    var score: Int
    var maxScore: Int
    var cases: [CaseResult]
}

struct Checker: Sendable {
    var options: CheckOptions
    init(options: CheckOptions = CheckOptions()) { self.options = options }
    func check(file: String, exercise: Exercise) throws -> ExerciseResult { throw PendingModule(name: "Grading") }
}

enum CheckText {
    static func render(_ result: ExerciseResult, file: String) -> String { "" }
}

struct CheckError: Error, CustomStringConvertible {
    var description: String
}
