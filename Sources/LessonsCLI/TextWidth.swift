// How wide long text (statements, hints, feedback) is wrapped. On a terminal: its width
// (TIOCGWINSZ on standard output, else $COLUMNS, else 80), at most 100 columns, because
// longer lines are hard to read. Output to a pipe or a file is never wrapped: the same text on
// every machine, whatever window the command was typed in, so scripts, grep and snapshot tests
// see exactly what the tool wrote.

#if canImport(Glibc)
import Glibc
#endif

enum TextWidth: Equatable {
    /// Never wrapped (a pipe or a file).
    case unlimited
    /// A fixed number of columns (tests).
    case columns(Int)
    /// The terminal on standard output, asked afresh each time: it may be resized between two
    /// commands at the prompt.
    case terminal(environment: [String: String])

    /// The widest text is wrapped to on a terminal, however wide the terminal.
    static let readable = 100
    /// The width when the terminal does not say.
    static let fallback = 80
    /// Below this, wrapping does more harm than good.
    static let narrowest = 20

    /// Columns to wrap to, or nil: do not wrap.
    var columns: Int? {
        switch self {
        case .unlimited: return nil
        case .columns(let columns): return columns
        case .terminal(let environment): return TextWidth.terminalColumns(environment: environment)
        }
    }

    /// The width to wrap to when standard output is a terminal; nil when it is not.
    static func terminalColumns(fd: Int32 = 1, environment: [String: String]) -> Int? {
        guard isatty(fd) == 1 else { return nil }
        var size = winsize()
        var columns = ioctl(fd, UInt(TIOCGWINSZ), &size) == 0 ? Int(size.ws_col) : 0
        if columns <= 0, let value = environment["COLUMNS"].flatMap({ Int($0) }), value > 0 { columns = value }
        return clamped(columns > 0 ? columns : fallback)
    }

    static func clamped(_ columns: Int) -> Int { min(max(columns, narrowest), readable) }
}
