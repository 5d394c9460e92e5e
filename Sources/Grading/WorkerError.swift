// Why grading workers could not do their job at all (they cannot start, they speak another
// protocol): one line for the person who runs `lessons grade`.

package struct WorkerError: Error, CustomStringConvertible, Sendable, Equatable {
    package var description: String
    package init(_ description: String) { self.description = description }
}
