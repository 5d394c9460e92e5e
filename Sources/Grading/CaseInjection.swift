// What the tracer does beyond strace for one case: its `inject:` rules
// (docs/lesson-format.md) → fault injections; expectations that name a library function
// (`malloc(…) = $p`) → library-call events.

import Expectations
import Notebook
import Sandbox
import Tracing

extension Checker {
    struct InjectRuleError: Error, CustomStringConvertible {
        var description: String
    }

    /// The sandbox's trace options for one case: the defaults plus what goes beyond strace.
    static func traceOptions(_ exerciseCase: ExerciseCase, blocks: [(ExpectationSource, ExpectationScript)]) throws -> SandboxTraceOptions {
        var options = SandboxTraceOptions()
        options.extras = try traceExtras(exerciseCase, blocks: blocks)
        return options
    }

    static func traceExtras(_ exerciseCase: ExerciseCase, blocks: [(ExpectationSource, ExpectationScript)]) throws -> TraceExtraOptions {
        var extras = TraceExtraOptions()
        extras.faultInjections = try faultInjections(exerciseCase)
        extras.libraryCalls = blocks.contains { LibraryCallNames.mentioned(in: $0.0.text) }
        extras.sourceLines = true  // feedback quotes the learner's line (SourceQuote.swift)
        return extras
    }

    /// The parsed rules of `exerciseCase`; a rule the tracer rejects is a lesson error naming
    /// the file and line of the case.
    static func faultInjections(_ exerciseCase: ExerciseCase) throws -> [FaultInjection] {
        try (exerciseCase.inject ?? []).map { (rule: String) throws -> FaultInjection in
            do { return try FaultInjection.parse(rule) } catch {
                throw InjectRuleError(description: "\(exerciseCase.location.file):\(exerciseCase.location.line): case \(exerciseCase.name): \(error): fix the inject: line")
            }
        }
    }
}
