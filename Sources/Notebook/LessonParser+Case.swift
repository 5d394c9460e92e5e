// A ```case NAME``` block: one run of the learner's program, its input, arguments, files,
// environment, fault injections and points (keys: CaseKey in LessonKeys.swift).

extension LessonFileParser {
    mutating func handleCase(_ fence: Fence, attributes: [InfoWord]) {
        guard let nameWord = attributes.first else {
            report(fence.line, fence.indent + 1, "a case block needs a name: ```case NAME")
            return
        }
        var hidden = false
        for extra in attributes.dropFirst() {
            if extra.text == "hidden" && !hidden { hidden = true; continue }
            report(fence.line, extra.column, "unknown attribute '\(extra.text)' on a case block (it takes a name and 'hidden')")
        }
        let name = nameWord.text
        guard ValueSyntax.isIdentifier(name) else {
            report(fence.line, nameWord.column, "case name '\(name)' must be lowercase letters, digits and '-'")
            return
        }
        if let previous = current!.cases.first(where: { $0.name == name }) {
            report(fence.line, nameWord.column, "case '\(name)' is defined twice in exercise '\(current!.id)' (first at line \(previous.location.line))")
            return
        }
        var exerciseCase = ExerciseCase(name: name, location: location(fence.line, nameWord.column), hidden: hidden)
        var seen: [String: Int] = [:]
        var sequence: (Int, Int)?
        var k = 0
        let content = fence.content
        while k < content.count {
            let index = fence.line + 1 + k
            let line = content[k]
            k += 1
            guard let (written, value, column) = keyValue(line, index: index) else { continue }
            let key = written.hasPrefix("file\t") ? "file " + written.dropFirst(5) : written
            let entry = CaseKey.entry(for: key)
            if entry?.0.repeats != true, let previous = seen[key] {
                report(index, 1, "'\(key)' is given twice in case '\(name)' (first at line \(previous + 1))")
                continue
            }
            seen[key] = index
            // A `|` block: the indented lines that follow.
            var blockValue: String?
            if value == "|" || value == "|-" {
                var blockLines: [String] = []
                var firstIndent: Int?
                var bad = false
                while k < content.count {
                    let next = content[k]
                    if next.isBlank { blockLines.append(""); k += 1; continue }
                    let indent = next.leadingSpaceCount
                    if next.dropFirst(indent).first == "\t" {
                        report(fence.line + 1 + k, indent + 1, "a tab in the indentation of a | block: indent with spaces")
                        bad = true; k += 1; continue
                    }
                    if indent == 0 { break }
                    if let firstIndent, indent < firstIndent {
                        report(fence.line + 1 + k, indent + 1, "this line of the | block is indented less than its first line (\(firstIndent) spaces)")
                        bad = true; k += 1; continue
                    }
                    if firstIndent == nil { firstIndent = indent }
                    blockLines.append(String(next.dropFirst(firstIndent!)))
                    k += 1
                }
                while let last = blockLines.last, last.isEmpty { blockLines.removeLast() }
                if bad { continue }
                if blockLines.isEmpty {
                    report(index, column, "'\(key): \(value)' is followed by no indented lines: indent the text under it, or write a one-line value")
                    continue
                }
                blockValue = blockLines.joined(separator: "\n") + (value == "|" ? "\n" : "")
            }
            guard let (entry, fileName) = entry else {
                report(index, line.leadingSpaceCount + 1, "unknown key '\(key)' in a case block (known: \(CaseKey.known))")
                continue
            }
            do throws(ValueError) {
                switch entry {
                case .args:
                    if blockValue != nil { throw ValueError(offset: 0, message: "'args' takes one line, not a | block") }
                    exerciseCase.arguments = try ValueSyntax.words(value).map(\.word)
                case .env:
                    if blockValue != nil { throw ValueError(offset: 0, message: "'env' takes NAME=VALUE on one line, not a | block") }
                    for (word, offset) in try ValueSyntax.words(value) {
                        guard let eq = word.firstIndex(of: "="), ValueSyntax.isEnvironmentName(String(word[..<eq])) else {
                            throw ValueError(offset: offset, message: "expected NAME=VALUE, found '\(word)'")
                        }
                        let variable = String(word[..<eq])
                        if exerciseCase.environment[variable] != nil {
                            throw ValueError(offset: offset, message: "environment variable '\(variable)' is set twice in case '\(name)'")
                        }
                        exerciseCase.environment[variable] = String(word[word.index(after: eq)...])
                    }
                case .inject:  // fault injection (InjectKey.swift)
                    exerciseCase.inject = (exerciseCase.inject ?? []) + [try Self.injectRule(value, block: blockValue)]
                case .stdin:
                    exerciseCase.stdin = try Self.value(blockValue, value)
                case .stdinSequence:
                    if blockValue != nil { throw ValueError(offset: 0, message: "'stdin-seq' takes FIRST LAST on one line, not a | block") }
                    let bounds = value.split(separator: " ", omittingEmptySubsequences: true).map { Int($0) }
                    guard bounds.count == 2, let first = bounds[0], let last = bounds[1], first <= last else {
                        throw ValueError(offset: 0, message: "'stdin-seq' takes two whole numbers FIRST LAST with FIRST ≤ LAST, found '\(value)'")
                    }
                    let (span, overflow) = last.subtractingReportingOverflow(first)
                    guard !overflow, span < Self.maximumSequenceLines else {
                        throw ValueError(offset: 0, message: "'stdin-seq' may generate at most \(Self.maximumSequenceLines) lines")
                    }
                    sequence = (first, last)
                case .file:
                    let fileName = fileName.trimmingSpaces
                    guard Self.isPlainFileName(fileName) else {
                        report(index, line.leadingSpaceCount + 6, "file name '\(fileName)' must be a plain name in the working directory (no '/', not '.' or '..')")
                        continue
                    }
                    if exerciseCase.files[fileName] != nil {
                        report(index, 1, "file '\(fileName)' is given twice in case '\(name)'")
                        continue
                    }
                    exerciseCase.files[fileName] = try Self.value(blockValue, value)
                case .points:  // per-case credit (Grading/CaseCredit.swift)
                    guard blockValue == nil, let n = Int(value), n >= 0 else {
                        throw ValueError(offset: 0, message: "'points' must be a whole number ≥ 0, found '\(value)'")
                    }
                    exerciseCase.points = n
                }
            } catch {
                report(index, column + error.offset, error.message)
            }
        }
        // After the `stdin` text, whatever the order of the two keys; made when the case runs.
        if let (first, last) = sequence { exerciseCase.stdinSequence = first...last }
        current!.cases.append(exerciseCase)
    }

    /// `stdin-seq` generates big inputs without writing them out; this keeps them sane.
    static let maximumSequenceLines = 1_000_000

    static func value(_ block: String?, _ line: String) throws(ValueError) -> String {
        if let block { return block }
        return try lineValue(line)
    }

    /// A one-line value: `"quoted"` exactly (with escapes), otherwise the text plus a newline.
    static func lineValue(_ value: String) throws(ValueError) -> String {
        if value.hasPrefix("\"") { return try ValueSyntax.quoted(value) }
        return value.isEmpty ? "" : value + "\n"
    }

    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
    }
}
