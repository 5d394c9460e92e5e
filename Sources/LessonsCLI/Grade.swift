// PLACEHOLDER: the `grade` command, until its work lands.
import ArgumentParser

extension Lessons {
    public struct Grade: ParsableCommand {
        public static let configuration = CommandConfiguration(commandName: "grade")
        public init() {}
        public func run() throws {
            throw LessonsFailure.internalError("'grade' is not built yet")
        }
    }
}
