// A fault of the tool or its set-up (not of the learner's code): one line that says what to do.

public struct ToolchainError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
