// Running one case of a compiled program: the only place that decides what the program is
// given. `check`, `grade`, `run`, notebook and lesson cells and `predict` all come through
// here, so a learner's `run` of a case is exactly the run its check judges:
//
// - environment: the sandbox's own (`PATH`, `HOME`, `TMPDIR`, `LANG=C.UTF-8`,
//   `SWIFT_BACKTRACE=enable=no`, docs/sandbox.md) plus the case's `env:` lines, which win;
// - standard input: the case's `stdin:` bytes (`stdin: ""` is an empty pipe), else
//   `/dev/null`;
// - arguments and files: the case's `args:` and `file NAME:`;
// - tracing: the case's `inject:` rules, and library calls when an expectation of the case
//   names a library function (`malloc(…) = $p`);
// - limits: the defaults with the exercise block's `cpu:`, `wall:`, `memory:`, … (the defaults
//   alone for a cell).

import Expectations
import Notebook
import Sandbox
import Syscalls
import Toolchain
import Tracing
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

package enum CaseRunner {
    /// How the run is watched or shown, never what the program is given.
    package struct Presentation: Sendable {
        /// CPU to pin the tracer and the program to (nil: no pinning).
        package var pinCPU: Int?
        /// Record the source line of each event (a failed case's second run, for quoting).
        package var sourceLines = false
        /// The program's standard output is a pseudo-terminal, not a pipe (`run --tty`, a
        /// cell marked `tty`); checks never ask for it.
        package var terminalStdout = false

        package init(pinCPU: Int? = nil, sourceLines: Bool = false, terminalStdout: Bool = false) {
            self.pinCPU = pinCPU
            self.sourceLines = sourceLines
            self.terminalStdout = terminalStdout
        }
    }

    /// A case's `inject:` line the tracer rejects: a fault of the lesson, named by its case's line.
    package struct InjectRuleError: Error, CustomStringConvertible {
        package var location: SourceLocation
        package var message: String
        package var description: String { "\(location.file):\(location.line): \(message)" }
    }

    /// The sandbox's limits for `exercise`'s program: the defaults with the exercise's
    /// overrides (`limits:` in the lesson file); the defaults alone without an exercise.
    package static func limits(for exercise: Exercise?) -> RunLimits {
        var limits = RunLimits()
        guard let overrides = exercise?.limits else { return limits }
        if let value = overrides.cpuSeconds { limits.cpuSeconds = value }
        if let value = overrides.wallSeconds { limits.wallSeconds = value }
        if let value = overrides.memoryBytes { limits.memoryBytes = value }
        if let value = overrides.processes { limits.processes = value }
        if let value = overrides.stdoutBytes { limits.stdoutBytes = value }
        if let value = overrides.allowExec { limits.allowExec = value }
        return limits
    }

    /// The cases an exercise runs (a lesson without cases has one, `default`, with no input).
    package static func cases(of exercise: Exercise) -> [ExerciseCase] {
        exercise.cases.isEmpty ? [ExerciseCase(name: "default", location: exercise.location)] : exercise.cases
    }

    /// Standard input for `exerciseCase`: its bytes, or nil for `/dev/null` (a program that
    /// reads gets end of file at once, and `fstat(0)` shows the same device every time).
    package static func standardInput(of exerciseCase: ExerciseCase) -> [UInt8]? {
        exerciseCase.standardInput
    }

    /// How `exerciseCase` is traced beyond strace: its `inject:` rules, and library calls when
    /// one of `expectations` names a library function.
    package static func traceOptions(_ exerciseCase: ExerciseCase, expectations: [ExpectationSource],
                                    presentation: Presentation = Presentation()) throws -> SandboxTraceOptions {
        var options = SandboxTraceOptions()
        options.extras.faultInjections = try faultInjections(exerciseCase)
        options.extras.libraryCalls = expectations.contains { LibraryCallNames.mentioned(in: $0.text) }
        options.extras.sourceLines = presentation.sourceLines
        options.terminalStdout = presentation.terminalStdout
        return options
    }

    /// The parsed `inject:` rules of `exerciseCase`.
    package static func faultInjections(_ exerciseCase: ExerciseCase) throws -> [FaultInjection] {
        try (exerciseCase.inject ?? []).map { (rule: String) throws -> FaultInjection in
            do { return try FaultInjection.parse(rule) } catch {
                throw InjectRuleError(location: exerciseCase.location, message: "case \(exerciseCase.name): \(error): fix the inject: line")
            }
        }
    }

    /// Runs `binary` (compiled from a `language` file) for `exerciseCase` of `exercise` (nil:
    /// a cell or a file outside any exercise, run with the default limits).
    /// Throws for the tool's own faults and for a broken `inject:` line; every verdict on the
    /// program is in the result.
    package static func run(binary: String, language: Language, case exerciseCase: ExerciseCase, of exercise: Exercise?,
                           presentation: Presentation = Presentation()) throws -> SandboxedRun {
        let expectations = exercise?.expectations(forCase: exerciseCase.name, language: language) ?? []
        let trace = try traceOptions(exerciseCase, expectations: expectations, presentation: presentation)
        let limits = limits(for: exercise)
        // ETXTBSY: while one thread wrote its copy of a program, another forked, and until that
        // child execs it holds the write descriptor too; the copy runs once that has passed.
        for attempt in 1... {
            do {
                return try Sandbox.run(executable: binary, arguments: exerciseCase.arguments, stdin: standardInput(of: exerciseCase),
                                       files: exerciseCase.files, environment: exerciseCase.environment,
                                       limits: limits, pinCPU: presentation.pinCPU, trace: trace, onEvent: nil)
            } catch let error as TraceError where error.errorNumber == ETXTBSY && attempt < 5 {
                usleep(20_000 * UInt32(attempt))
            }
        }
        fatalError("unreachable: the last attempt returns or throws")
    }
}
