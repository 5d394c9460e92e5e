// Long text wrapped to a terminal's width: lesson prose (statements, hints) and the prose of
// feedback. A line is only ever broken at a space, never inside a word or inside a `code span`
// (a span wider than the whole width is the one thing split, at its own spaces); each line keeps
// its indentation. Widths are terminal cells (`ReportRenderer.cellWidth`: Hangul takes two), so
// Korean text wraps where it really reaches the edge.

package enum TextWrap {
    /// Lesson prose as a lesson file holds it (Markdown). A paragraph or list item whose lines
    /// all fit is left exactly as its author wrote it; one with a line wider than `width` is
    /// re-flowed to `width` (a list item's lines hang under its text). Fenced and indented code,
    /// tables and headings are never touched: code is better overflowing than broken.
    package static func prose(_ text: String, width: Int) -> String {
        var out: [String] = []
        var block: [Substring] = []
        var fence: Substring?
        var inCode = false

        func flush() {
            defer { block = [] }
            guard let first = block.first else { return }
            if block.allSatisfy({ ReportRenderer.cellWidth(String($0)) <= width }) {
                out += block.map(String.init)
                return
            }
            let (indent, marker) = lead(first)
            let hanging = indent + String(repeating: " ", count: marker.count)
            let body = block.enumerated().map { index, line -> Substring in
                index == 0 ? line.dropFirst(indent.count + marker.count) : line.drop(while: { $0 == " " || $0 == "\t" })
            }
            out += fill(words(Substring(body.joined(separator: " "))), width: width, first: indent + marker, rest: hanging)
        }

        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop(while: { $0 == " " })
            if let open = fence {
                out.append(String(line))
                if trimmed.hasPrefix(open) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                flush()
                fence = trimmed.prefix(3)
                out.append(String(line))
                continue
            }
            if trimmed.isEmpty {
                flush()
                inCode = false
                out.append(String(line))
                continue
            }
            // Indented code starts a block of its own and lasts until a blank line.
            if inCode || (block.isEmpty && (line.hasPrefix("    ") || line.hasPrefix("\t"))) {
                inCode = true
                out.append(String(line))
                continue
            }
            if trimmed.hasPrefix("#") || trimmed.hasPrefix("|") {
                flush()
                out.append(String(line))
                continue
            }
            if !lead(line).marker.isEmpty { flush() }
            block.append(line)
            // A hard line break (two trailing spaces, or a backslash) ends the block here.
            if line.hasSuffix("  ") || line.hasSuffix("\\") { flush() }
        }
        flush()
        return out.joined(separator: "\n")
    }

    /// Each line wider than `width` broken at spaces; the lines it continues on are indented
    /// like it, plus two spaces. Lines that fit are left as they are.
    package static func lines(_ text: String, width: Int) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line -> [String] in
            guard ReportRenderer.cellWidth(String(line)) > width else { return [String(line)] }
            let indent = String(line.prefix(while: { $0 == " " }))
            return fill(words(line.dropFirst(indent.count)), width: width, first: indent, rest: indent + "  ")
        }.joined(separator: "\n")
    }

    /// A line's indentation and its list marker (`- `, `* `, `+ `, `1. `, `2) `), if it has one.
    static func lead(_ line: Substring) -> (indent: String, marker: String) {
        let indent = String(line.prefix(while: { $0 == " " }))
        let rest = line.dropFirst(indent.count)
        if let first = rest.first, "-*+".contains(first), rest.dropFirst().first == " " {
            return (indent, String(first) + " ")
        }
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        if !digits.isEmpty, digits.count <= 9, let after = rest.dropFirst(digits.count).first, after == "." || after == ")",
           rest.dropFirst(digits.count + 1).first == " " {
            return (indent, digits + String(after) + " ")
        }
        return (indent, "")
    }

    /// The words of `text`: runs between spaces, where a code span (`` `a b` ``, opened and
    /// closed by the same number of backticks) is one word with what touches it (`` `free`, ``).
    /// A backtick that is never closed is an ordinary character, as in Markdown.
    static func words(_ text: Substring) -> [String] {
        let characters = Array(text)
        var words: [String] = []
        var current = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "\t" {
                if !current.isEmpty { words.append(current); current = "" }
                index += 1
                continue
            }
            if character == "`" {
                let run = characters[index...].prefix(while: { $0 == "`" }).count
                if let close = closingRun(of: run, in: characters, from: index + run) {
                    current += String(characters[index..<close + run])
                    index = close + run
                    continue
                }
                current += String(repeating: "`", count: run)
                index += run
                continue
            }
            current.append(character)
            index += 1
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// Where a run of exactly `count` backticks starts at or after `start`, if one does.
    private static func closingRun(of count: Int, in characters: [Character], from start: Int) -> Int? {
        var index = start
        while index < characters.count {
            guard characters[index] == "`" else { index += 1; continue }
            let run = characters[index...].prefix(while: { $0 == "`" }).count
            if run == count { return index }
            index += run
        }
        return nil
    }

    /// `words` laid into lines of at most `width` cells: the first line starts with `first`, the
    /// others with `rest`. A word wider than a line gets a line of its own (a code span that wide
    /// is split at its spaces first).
    static func fill(_ words: [String], width: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var current = first
        var empty = true
        for word in words.flatMap({ word -> [String] in
            guard word.contains(" "), ReportRenderer.cellWidth(word) > width - ReportRenderer.cellWidth(rest) else { return [word] }
            return word.split(separator: " ").map(String.init)
        }) {
            if empty {
                current += word
                empty = false
            } else if ReportRenderer.cellWidth(current) + 1 + ReportRenderer.cellWidth(word) <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = rest + word
            }
        }
        lines.append(empty ? String(first.reversed().drop(while: { $0 == " " }).reversed()) : current)
        return lines
    }
}
