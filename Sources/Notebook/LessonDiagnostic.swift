// A problem in a lesson file or pack, located for the author: `file:line:column: message`.

public struct LessonDiagnostic: Error, CustomStringConvertible, Sendable, Hashable, Codable {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    public init(file: String, line: Int, column: Int = 1, _ message: String) {
        self.init(location: SourceLocation(file: file, line: line, column: column), message: message)
    }

    public var description: String { "\(location): \(message)" }
}
