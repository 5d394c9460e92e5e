// PLACEHOLDER: the `trace` command, until its work lands.
import ArgumentParser

extension Lessons {
    public struct Trace: ParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "trace")
        public init() {}
        public func run() throws {
            throw LessonsFailure.internalError("'trace' is not built yet")
        }
    }
}
