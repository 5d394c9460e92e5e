// Where learner commands write: standard output and error, with colour only on a terminal
// (and never when NO_COLOR is set), long output cut with a note on how to see all, and long
// text wrapped to the terminal's width (TextWidth).

import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

struct Console {
    var color: Bool
    var unicode: Bool
    /// Lines of one block of output before it is cut (nil: never cut).
    var maxLines: Int?
    /// How wide prose is wrapped.
    var width: TextWidth = .unlimited

    static func forTerminal(plain: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment) -> Console {
        let tty = isatty(1) == 1
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let dumb = environment["TERM"] == "dumb"
        return Console(color: tty && !noColor && !dumb && !plain, unicode: !plain && (tty || environment["LESSONS_UNICODE"] == "1"),
                       maxLines: tty ? 80 : nil, width: tty ? .terminal(environment: environment) : .unlimited)
    }

    /// Lesson prose (a statement, a hint) wrapped to the width.
    func prose(_ text: String) -> String {
        width.columns.map { TextWrap.prose(text, width: $0) } ?? text
    }

    func out(_ text: String) {
        FileHandleOutput.standardOutput.write(text.hasSuffix("\n") || text.isEmpty ? text : text + "\n")
    }

    func err(_ text: String) {
        FileHandleOutput.standardError.write(text.hasSuffix("\n") ? text : text + "\n")
    }

    enum Tone: String { case good = "32", bad = "31", note = "2", bold = "1", accent = "36" }

    func paint(_ text: String, _ tone: Tone) -> String {
        color ? "\u{1B}[\(tone.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// `text`, cut to `maxLines` lines with a note saying how to see all of it.
    func cut(_ text: String, seeAll: String) -> String {
        guard let maxLines else { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > maxLines + 5 else { return text }
        let shown = lines.prefix(maxLines).joined(separator: "\n")
        return shown + "\n" + paint("… \(lines.count - maxLines) more lines (\(seeAll))", .note) + "\n"
    }

    /// A check mark or its ASCII stand-in.
    func mark(_ unicodeMark: String, _ ascii: String) -> String { unicode ? unicodeMark : ascii }
}
