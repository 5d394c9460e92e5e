// Similar submissions, for the instructor only: per exercise, pairs of students whose programs
// share most of their normalised token stream, found as MOSS, Dolos and JPlag find them —
// winnowed fingerprints of k-token windows (Schleimer, Wilkerson, Aiken 2003).
//
// Normalised: comments, whitespace and preprocessor lines are dropped, every identifier the
// program names itself becomes one token `I` and every literal `N`, `S` or `C`, so renaming
// variables or changing constants hides nothing; keywords, operators and the C library's
// names (malloc, mmap, printf…) are kept, since no copy can rename those. Windows found in
// the exercise's starter code, and windows most of a large class shares, are left out.
// Byte-identical submissions are always reported.

import Foundation
import Notebook
import Toolchain
import Vocabulary

package enum Similarity {
    /// Tokens per window, and windows per winnowing window: any match of at least
    /// `k + w - 1` tokens is found.
    static let k = 9
    static let w = 4
    /// Pairs at or above this score are reported.
    package static let threshold = 0.7
    /// A fingerprint in more than this many submissions of an exercise (and in more than a
    /// fifth of them) is common code, not a copy.
    static let commonCount = 10

    struct Token { var text: String; var line: Int }

    static let cKeywords: Set<String> = ["auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
                                         "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
                                         "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
                                         "typedef", "union", "unsigned", "void", "volatile", "while", "_Bool", "bool",
                                         "size_t", "ssize_t", "off_t", "pid_t", "NULL", "true", "false"]
    static let swiftKeywords: Set<String> = ["let", "var", "func", "if", "else", "guard", "for", "in", "while", "repeat",
                                             "return", "switch", "case", "default", "break", "continue", "import", "struct",
                                             "class", "enum", "nil", "true", "false", "defer", "inout", "as", "is", "try",
                                             "throw", "throws", "where", "Int", "Int32", "UInt", "Int64", "UInt8", "String",
                                             "Bool", "Double", "Unsafe", "UnsafeMutablePointer", "UnsafeMutableRawPointer",
                                             "UnsafeRawPointer", "UnsafePointer"]
    /// Names of the system's API, kept as they are.
    static let library: Set<String> = ["malloc", "calloc", "realloc", "free", "mmap", "munmap", "mremap", "brk", "sbrk",
                                       "mallopt", "printf", "fprintf", "puts", "fputs", "putchar", "scanf", "fscanf",
                                       "sscanf", "fgets", "getline", "readLine", "print", "sysconf", "getpagesize",
                                       "fork", "wait", "waitpid", "exit", "_exit", "open", "close", "fstat", "read",
                                       "write", "memcpy", "memset", "strcpy", "strlen", "perror", "stdin", "stdout",
                                       "stderr", "allocate", "deallocate", "initialize", "load", "storeBytes",
                                       "PROT_READ", "PROT_WRITE", "PROT_NONE", "MAP_PRIVATE", "MAP_SHARED",
                                       "MAP_ANONYMOUS", "MAP_FAILED", "M_MMAP_THRESHOLD", "_SC_PAGESIZE", "O_RDONLY"]

    /// The normalised tokens of a C or Swift source.
    static func tokens(_ source: String, language: Language) -> [Token] {
        let keywords = language == .c ? cKeywords : swiftKeywords
        let scalars = Array(source.unicodeScalars)
        var out: [Token] = []
        var i = scalars.first == "\u{FEFF}" ? 1 : 0  // a byte order mark (a Windows editor's) is not code
        var line = 1
        var lineStart = true
        func peek(_ offset: Int) -> Unicode.Scalar? { i + offset < scalars.count ? scalars[i + offset] : nil }
        while i < scalars.count {
            let c = scalars[i]
            if c == "\n" { line += 1; lineStart = true; i += 1; continue }
            if c.properties.isWhitespace { i += 1; continue }
            if language == .c && lineStart && c == "#" {
                // A preprocessor line (with its continuations, `\` before LF or CR LF): boilerplate,
                // not the program.
                func continued(_ end: Int) -> Bool {
                    end >= 1 && (scalars[end - 1] == "\\" || end >= 2 && scalars[end - 1] == "\r" && scalars[end - 2] == "\\")
                }
                while i < scalars.count && !(scalars[i] == "\n" && !continued(i)) {
                    if scalars[i] == "\n" { line += 1 }
                    i += 1
                }
                continue
            }
            lineStart = false
            if c == "/" && peek(1) == "/" {
                while i < scalars.count && scalars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/" && peek(1) == "*" {
                i += 2
                while i < scalars.count && !(scalars[i] == "*" && peek(1) == "/") {
                    if scalars[i] == "\n" { line += 1 }
                    i += 1
                }
                i += 2
                continue
            }
            if c == "\"" || c == "'" {
                let quote = c
                let start = line
                i += 1
                while i < scalars.count && scalars[i] != quote && scalars[i] != "\n" {
                    if scalars[i] == "\\" { i += 1 }
                    i += 1
                }
                i += 1
                out.append(Token(text: quote == "\"" ? "S" : "C", line: start))
                continue
            }
            if c.properties.isAlphabetic || c == "_" {
                var word = ""
                while i < scalars.count, scalars[i].properties.isAlphabetic || scalars[i] == "_" || ("0"..."9").contains(scalars[i]) {
                    word.unicodeScalars.append(scalars[i])
                    i += 1
                }
                out.append(Token(text: keywords.contains(word) || library.contains(word) ? word : "I", line: line))
                continue
            }
            if ("0"..."9").contains(c) {
                while i < scalars.count, scalars[i].properties.isAlphabetic || ("0"..."9").contains(scalars[i]) || scalars[i] == "." || scalars[i] == "_" {
                    i += 1
                }
                out.append(Token(text: "N", line: line))
                continue
            }
            // Operators: the longest of the two- and three-character ones, else one character.
            let three = String(String.UnicodeScalarView(scalars[i..<min(i + 3, scalars.count)]))
            if ["<<=", ">>=", "...", "..<"].contains(three) { out.append(Token(text: three, line: line)); i += 3; continue }
            let two = String(three.prefix(2))
            if ["->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^="].contains(two) {
                out.append(Token(text: two, line: line)); i += 2; continue
            }
            out.append(Token(text: String(c), line: line))
            i += 1
        }
        return out
    }

    /// Hash of every k-token window, with its first and last line.
    static func windows(_ tokens: [Token]) -> [(hash: Int, first: Int, last: Int)] {
        guard tokens.count >= k else { return [] }
        return (0...(tokens.count - k)).map { start in
            var hash: UInt64 = 0xcbf29ce484222325
            for token in tokens[start..<(start + k)] {
                for byte in token.text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
                hash = (hash ^ 0xff) &* 0x100000001b3
            }
            // 48 bits: exact in JSON numbers (and in JavaScript, pandas).
            return (Int(hash & 0xffff_ffff_ffff), tokens[start].line, tokens[start + k - 1].line)
        }
    }

    /// The fingerprint of one submission: winnowed windows, those of the starter left out.
    package static func fingerprint(source: [UInt8], language: Language, starter: String?) -> SubmissionFingerprint {
        let text = String(decoding: source, as: UTF8.self)
        let all = windows(tokens(text, language: language))
        let starterHashes = Set(starter.map { windows(tokens($0, language: language)).map(\.hash) } ?? [])
        var selected: [[Int]] = []
        var lastIndex = -1
        if !all.isEmpty {
            for start in 0...max(0, all.count - w) {
                let end = min(start + w, all.count)
                // The rightmost minimum of the window (winnowing), each chosen once.
                var best = start
                for index in start..<end where all[index].hash <= all[best].hash { best = index }
                if best != lastIndex {
                    lastIndex = best
                    let mark = all[best]
                    if !starterHashes.contains(mark.hash) { selected.append([mark.hash, mark.first, mark.last]) }
                }
            }
        }
        return SubmissionFingerprint(sha256: SHA256.hexDigest(source), marks: selected)
    }

    /// Every similar pair of the report, exercise by exercise, students in id order.
    package static func pairs(_ students: [GradeReport.Student], exercises: [String]) -> [SimilarPair] {
        var found: [SimilarPair] = []
        for exercise in exercises {
            let handedIn: [(id: String, print: SubmissionFingerprint)] = students.compactMap { student in
                guard let result = student.exercises.first(where: { $0.exercise == exercise }), let print = result.fingerprint else { return nil }
                return (student.id, print)
            }
            var owners: [Int: Int] = [:]
            for entry in handedIn { for hash in Set(entry.print.hashes) { owners[hash, default: 0] += 1 } }
            let commonLimit = max(commonCount, handedIn.count / 5)
            let sets = handedIn.map { entry in Set(entry.print.hashes.filter { owners[$0, default: 0] <= commonLimit }) }
            for i in handedIn.indices {
                for j in handedIn.indices where j > i {
                    let identical = handedIn[i].print.sha256 == handedIn[j].print.sha256
                    let shared = sets[i].intersection(sets[j])
                    let total = sets[i].count + sets[j].count
                    let score = total == 0 ? (identical ? 1 : 0) : Double(2 * shared.count) / Double(total)
                    guard identical || score >= threshold else { continue }
                    found.append(SimilarPair(exercise: exercise, a: handedIn[i].id, b: handedIn[j].id,
                                             score: identical ? 1 : (score * 100).rounded() / 100, identical: identical,
                                             matches: matches(handedIn[i].print, handedIn[j].print, shared: shared)))
                }
            }
        }
        return found
    }

    /// The line ranges the shared fingerprints cover in each file, joined where they touch.
    static func matches(_ a: SubmissionFingerprint, _ b: SubmissionFingerprint, shared: Set<Int>) -> [SimilarPair.Match] {
        var inB: [Int: [Int]] = [:]
        for mark in b.marks where shared.contains(mark[0]) { inB[mark[0]] = inB[mark[0]] ?? [mark[1], mark[2]] }
        var pairs: [(a: [Int], b: [Int])] = []
        for mark in a.marks where shared.contains(mark[0]) {
            if let lines = inB[mark[0]] { pairs.append(([mark[1], mark[2]], lines)) }
        }
        pairs.sort { ($0.a[0], $0.b[0]) < ($1.a[0], $1.b[0]) }
        var out: [SimilarPair.Match] = []
        for pair in pairs {
            if var last = out.last, pair.a[0] <= last.a[1] + 1, pair.b[0] <= last.b[1] + 1, pair.b[1] >= last.b[0] - 1 {
                last.a = [min(last.a[0], pair.a[0]), max(last.a[1], pair.a[1])]
                last.b = [min(last.b[0], pair.b[0]), max(last.b[1], pair.b[1])]
                out[out.count - 1] = last
            } else {
                out.append(SimilarPair.Match(a: pair.a, b: pair.b))
            }
        }
        return out
    }

}
