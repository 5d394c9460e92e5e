// Why grading workers could not do their job at all (they cannot start, they speak another
// protocol): one line for the person who runs `lessons grade`.

public struct WorkerError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
