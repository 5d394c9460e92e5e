// The verdict vocabulary: one set of statuses everywhere (the sandbox's verdict on a run, check,
// grade, reports, exit codes).

/// How one exercise (or one case of it) ended. The raw values are a stable interface.
public enum Status: String, Codable, Sendable, CaseIterable, Comparable {
    case passed
    case failed
    case compileError = "compile-error"
    case timeout
    case memoryLimit = "memory-limit"
    case outputLimit = "output-limit"
    /// An unexpected signal.
    case crashed
    case missing
    /// The tool's fault, never the student's.
    case internalError = "internal-error"

    /// Precedence when several apply to one run: the highest wins.
    /// internal-error > timeout > memory-limit > output-limit > crashed > failed > passed.
    public var precedence: Int {
        switch self {
        case .passed: return 0
        case .failed: return 1
        case .crashed: return 2
        case .outputLimit: return 3
        case .memoryLimit: return 4
        case .timeout: return 5
        case .compileError: return 6
        case .missing: return 7
        case .internalError: return 8
        }
    }

    public static func < (lhs: Status, rhs: Status) -> Bool { lhs.precedence < rhs.precedence }
}
