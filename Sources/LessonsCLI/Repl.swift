// PLACEHOLDER: the `repl` command, until its work lands.
import ArgumentParser

extension Lessons {
    public struct Repl: ParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "repl")
        public init() {}
        public func run() throws {
            throw LessonsFailure.internalError("'repl' is not built yet")
        }
    }
}
