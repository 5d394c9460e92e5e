// A case's `inject:` rules (docs/lesson-format.md) → the tracer's fault injections.

import Notebook
import Tracing

extension Checker {
    struct InjectRuleError: Error, CustomStringConvertible {
        var description: String
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
