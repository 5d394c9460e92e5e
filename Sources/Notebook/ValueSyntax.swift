// The small value syntaxes inside `exercise` and `case` blocks: words with quotes,
// quoted strings with escapes, durations (`2s`, `500ms`) and sizes (`256MiB`).

/// A value that did not parse; `offset` is the 0-based character offset inside the value.
struct ValueError: Error {
    var offset: Int
    var message: String
}

enum ValueSyntax {
    /// Lesson, exercise, case and cell ids: lowercase letters, digits and `-`, starting with a letter or digit.
    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, isLowerOrDigit(first) else { return false }
        return s.unicodeScalars.allSatisfy { isLowerOrDigit($0) || $0 == "-" }
    }

    private static func isLowerOrDigit(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("0"..."9").contains(c)
    }

    static func isEnvironmentName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || isASCIILetter(first) else { return false }
        return s.unicodeScalars.allSatisfy { isASCIILetter($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func isASCIILetter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c)
    }

    /// Splits on spaces; `"…"` keeps spaces, with `\"` and `\\` escapes inside quotes.
    static func words(_ text: String) throws(ValueError) -> [(word: String, offset: Int)] {
        var result: [(String, Int)] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == " " || chars[i] == "\t" { i += 1; continue }
            let start = i
            var word = ""
            while i < chars.count, chars[i] != " ", chars[i] != "\t" {
                if chars[i] == "\"" {
                    let quoteStart = i
                    i += 1
                    var closed = false
                    while i < chars.count {
                        if chars[i] == "\\", i + 1 < chars.count, chars[i + 1] == "\"" || chars[i + 1] == "\\" {
                            word.append(chars[i + 1]); i += 2; continue
                        }
                        if chars[i] == "\"" { closed = true; i += 1; break }
                        word.append(chars[i]); i += 1
                    }
                    if !closed { throw ValueError(offset: quoteStart, message: "unterminated quote: add a closing \"") }
                } else {
                    word.append(chars[i]); i += 1
                }
            }
            result.append((word, start))
        }
        return result
    }

    /// A `"…"` string with escapes `\n`, `\t`, `\r`, `\0`, `\\`, `\"`; nothing may follow the closing quote.
    static func quoted(_ text: String) throws(ValueError) -> String {
        let chars = Array(text)
        precondition(chars.first == "\"")
        var result = ""
        var i = 1
        while i < chars.count {
            let c = chars[i]
            if c == "\"" {
                if i + 1 < chars.count {
                    throw ValueError(offset: i + 1, message: "unexpected text after the closing quote")
                }
                return result
            }
            if c == "\\" {
                guard i + 1 < chars.count else { break }
                switch chars[i + 1] {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "r": result.append("\r")
                case "0": result.append("\0")
                case "\\": result.append("\\")
                case "\"": result.append("\"")
                default:
                    throw ValueError(offset: i, message: "unknown escape '\\\(chars[i + 1])' (known: \\n \\t \\r \\0 \\\\ \\\")")
                }
                i += 2
                continue
            }
            result.append(c)
            i += 1
        }
        throw ValueError(offset: 0, message: "unterminated quote: add a closing \"")
    }

    /// `2`, `2s`, `1.5s`, `500ms` → seconds.
    static func duration(_ text: String) throws(ValueError) -> Double {
        let t = text.lowercased()
        var number = t
        var scale = 1.0
        if t.hasSuffix("ms") { number = String(t.dropLast(2)); scale = 0.001 } else if t.hasSuffix("s") { number = String(t.dropLast()) }
        guard let value = Double(number.trimmingSpaces), value > 0, value.isFinite else {
            throw ValueError(offset: 0, message: "expected a duration such as 2s or 500ms, found '\(text)'")
        }
        return value * scale
    }

    /// `4096`, `64KiB`, `256MiB`, `1GiB` (also `K`, `M`, `G`, binary) → bytes.
    static func size(_ text: String) throws(ValueError) -> Int {
        let units: [(String, Int)] = [("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30), ("b", 1)]
        let t = text.lowercased()
        var number = t
        var scale = 1
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            number = String(t.dropLast(suffix.count)); scale = factor; break
        }
        guard let value = Int(number.trimmingSpaces), value > 0 else {
            throw ValueError(offset: 0, message: "expected a size such as 4096, 64KiB or 256MiB, found '\(text)'")
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        if overflow { throw ValueError(offset: 0, message: "size '\(text)' is too large") }
        return product
    }
}

extension String {
    /// Without leading spaces/tabs and trailing spaces/tabs/CRs. Index-based: `dropLast()` on
    /// a Substring counts the whole string, so trimming with it was quadratic (a line of 46 000
    /// `\r` took 26 s; found by scripts/fuzz-parsers.sh).
    var trimmingSpaces: String {
        var start = startIndex, end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { formIndex(after: &start) }
        while end > start {
            let before = index(before: end)
            let last = self[before]
            guard last == " " || last == "\t" || last == "\r" else { break }
            end = before
        }
        return String(self[start..<end])
    }

    var leadingSpaceCount: Int { prefix(while: { $0 == " " }).count }

    var isBlank: Bool { allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" } }
}
