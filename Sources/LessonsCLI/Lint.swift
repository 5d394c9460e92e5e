// PLACEHOLDER: the `lint` command, until its work lands.
import ArgumentParser

extension Lessons {
    public struct Lint: ParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "lint")
        public init() {}
        public func run() throws {
            throw LessonsFailure.internalError("'lint' is not built yet")
        }
    }
}
