// The languages a learner may write an exercise in; the file extension picks one.

public enum Language: String, Codable, Sendable, CaseIterable, Hashable {
    case c
    case swift

    public var fileExtension: String { rawValue }

    /// `c, swift`: what a message about an unknown language lists.
    public static var known: String { allCases.map(\.rawValue).joined(separator: ", ") }

    /// The language of a file named `name`, from its extension (`.c`, `.swift`).
    public init?(fileName name: String) {
        if name.hasSuffix(".c") { self = .c } else if name.hasSuffix(".swift") { self = .swift } else { return nil }
    }
}
