// Lexical analysis of one line of the expectation language.

struct Token: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// `mmap`, `heap.start`, `PROT_READ`, `x`, `never`
        case word(String)
        case integer(Int64)
        /// `$name`
        case capture(String)
        case string([UInt8])
        case regex(String)
        /// Punctuation and operators: `(` `)` `[` `]` `,` `=` `==` `!=` `<` `<=` `>` `>=`
        /// `+` `-` `*` `|` `:` `..<` `...` `×` `?` `+++` `_`
        case symbol(String)
        case end
    }
    var kind: Kind
    /// Scalar offsets in the line: [start, end).
    var start: Int
    var end: Int
}

struct Lexer {
    let scalars: [Unicode.Scalar]
    let line: Int
    /// Column of scalars[0] in the lesson file (1-based).
    let columnOffset: Int

    init(_ text: Substring, line: Int, columnOffset: Int = 1) {
        self.scalars = Array(text.unicodeScalars)
        self.line = line
        self.columnOffset = columnOffset
    }

    func position(_ offset: Int) -> SourcePosition {
        SourcePosition(line: line, column: columnOffset + offset)
    }

    func text(_ start: Int, _ end: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: scalars[max(0, start)..<min(end, scalars.count)])
        return String(s)
    }

    /// Splits the line into tokens; stops at `#` outside strings and regexes.
    func tokenize() throws(ExpectationError) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        let n = scalars.count
        func isWordStart(_ c: Unicode.Scalar) -> Bool {
            (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_"
        }
        func isWordChar(_ c: Unicode.Scalar) -> Bool { isWordStart(c) || (c >= "0" && c <= "9") }
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        func peek(_ k: Int) -> Unicode.Scalar? { i + k < n ? scalars[i + k] : nil }

        while i < n {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\r" { i += 1; continue }
            if c == "#" { break }
            let start = i
            if c == "$" {
                i += 1
                guard i < n, isWordStart(scalars[i]) else {
                    throw ExpectationError(.captureNeedsName, at: position(start))
                }
                while i < n, isWordChar(scalars[i]) { i += 1 }
                tokens.append(Token(kind: .capture(text(start + 1, i)), start: start, end: i))
                continue
            }
            if isWordStart(c) {
                while i < n, isWordChar(scalars[i]) || (scalars[i] == "." && i + 1 < n && isWordStart(scalars[i + 1])
                                                        && !(i > 0 && scalars[i - 1] == ".")) {
                    i += 1
                }
                let word = text(start, i)
                if word == "_" {
                    tokens.append(Token(kind: .symbol("_"), start: start, end: i))
                } else if word == "NULL" {
                    tokens.append(Token(kind: .integer(0), start: start, end: i))
                } else {
                    tokens.append(Token(kind: .word(word), start: start, end: i))
                }
                continue
            }
            if isDigit(c) {
                var value: Int64 = 0
                if c == "0", let x = peek(1), x == "x" || x == "X" {
                    i += 2
                    let digitsStart = i
                    var bits: UInt64 = 0
                    while i < n, let d = hexValue(scalars[i]) {
                        // Values above Int64.max (kernel addresses) keep their bit pattern.
                        if bits > (UInt64.max - UInt64(d)) / 16 {
                            throw ExpectationError(.numberTooLarge(text(start, i + 1)), at: position(start))
                        }
                        bits = bits * 16 + UInt64(d)
                        i += 1
                    }
                    value = Int64(bitPattern: bits)
                    if i == digitsStart { throw ExpectationError(.badNumber(text(start, i)), at: position(start)) }
                } else {
                    while i < n, isDigit(scalars[i]) || scalars[i] == "_" {
                        if scalars[i] != "_" {
                            let d = Int64(scalars[i].value - 48)
                            let (m, o1) = value.multipliedReportingOverflow(by: 10)
                            let (s, o2) = m.addingReportingOverflow(d)
                            if o1 || o2 {
                                throw ExpectationError(.numberTooLarge(text(start, i + 1)), at: position(start))
                            }
                            value = s
                        }
                        i += 1
                    }
                }
                if i < n, isWordStart(scalars[i]) {
                    var j = i
                    while j < n, isWordChar(scalars[j]) { j += 1 }
                    throw ExpectationError(.badNumber(text(start, j)), at: position(start))
                }
                tokens.append(Token(kind: .integer(value), start: start, end: i))
                continue
            }
            if c == "\"" {
                i += 1
                var bytes: [UInt8] = []
                var closed = false
                while i < n {
                    let s = scalars[i]
                    if s == "\"" { closed = true; i += 1; break }
                    if s == "\\" {
                        guard i + 1 < n else { break }
                        let e = scalars[i + 1]
                        i += 2
                        switch e {
                        case "n": bytes.append(10)
                        case "t": bytes.append(9)
                        case "r": bytes.append(13)
                        case "0": bytes.append(0)
                        case "\\": bytes.append(92)
                        case "\"": bytes.append(34)
                        case "x":
                            guard i + 1 < n, let h = hexValue(scalars[i]), let l = hexValue(scalars[i + 1]) else {
                                throw ExpectationError(.badEscape("\\x"), at: position(i - 2))
                            }
                            bytes.append(UInt8(h * 16 + l))
                            i += 2
                        default:
                            throw ExpectationError(.badEscape("\\" + String(e)), at: position(i - 2))
                        }
                        continue
                    }
                    bytes.append(contentsOf: Array(String(s).utf8))
                    i += 1
                }
                if !closed { throw ExpectationError(.unterminatedString, at: position(start)) }
                tokens.append(Token(kind: .string(bytes), start: start, end: i))
                continue
            }
            if c == "/" {
                i += 1
                var source = ""
                var closed = false
                while i < n {
                    let s = scalars[i]
                    if s == "/" { closed = true; i += 1; break }
                    if s == "\\", i + 1 < n, scalars[i + 1] == "/" {
                        source.append("/")
                        i += 2
                        continue
                    }
                    if s == "\\", i + 1 < n {
                        source.unicodeScalars.append(s)
                        source.unicodeScalars.append(scalars[i + 1])
                        i += 2
                        continue
                    }
                    source.unicodeScalars.append(s)
                    i += 1
                }
                if !closed { throw ExpectationError(.unterminatedRegex, at: position(start)) }
                tokens.append(Token(kind: .regex(source), start: start, end: i))
                continue
            }
            // Punctuation, longest first.
            let rest3 = text(i, i + 3)
            let rest2 = text(i, i + 2)
            if rest3 == "..<" || rest3 == "..." || rest3 == "+++" {
                i += 3
                tokens.append(Token(kind: .symbol(rest3), start: start, end: i))
                continue
            }
            if rest2 == "==" || rest2 == "!=" || rest2 == "<=" || rest2 == ">=" {
                i += 2
                tokens.append(Token(kind: .symbol(rest2), start: start, end: i))
                continue
            }
            switch c {
            case "(", ")", "[", "]", ",", "=", "<", ">", "+", "-", "*", "|", ":", "?":
                i += 1
                tokens.append(Token(kind: .symbol(String(c)), start: start, end: i))
            case "…", "×", "≥", "≤", "≠":
                // The typographic spellings lesson authors paste; all but × mean their ASCII twins.
                let symbol = switch c { case "…": "..."; case "≥": ">="; case "≤": "<="; case "≠": "!="; default: "×" }
                i += 1
                tokens.append(Token(kind: .symbol(symbol), start: start, end: i))
            default:
                throw ExpectationError(.unexpectedCharacter(String(c)), at: position(start))
            }
        }
        tokens.append(Token(kind: .end, start: i, end: i))
        return tokens
    }
}

private func hexValue(_ c: Unicode.Scalar) -> Int? {
    switch c {
    case "0"..."9": return Int(c.value - 48)
    case "a"..."f": return Int(c.value - 97 + 10)
    case "A"..."F": return Int(c.value - 65 + 10)
    default: return nil
    }
}
