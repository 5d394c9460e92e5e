// PLACEHOLDER: the `check` command, until its work lands.
import ArgumentParser

extension Lessons {
    public struct Check: ParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "check")
        public init() {}
        public func run() throws {
            throw LessonsFailure.internalError("'check' is not built yet")
        }
    }
}
