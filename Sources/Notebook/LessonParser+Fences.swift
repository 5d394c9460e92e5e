// Fenced blocks: finding them (a fence is skipped over whole, so nothing inside one is
// structure), sending each to its parser, and the example cells (```c cell=NAME```) with
// their trace, predict and claim blocks.

import Vocabulary

extension LessonFileParser {
    // MARK: Line classification

    /// `(level, text)` of an ATX heading (`## Text`), closing `#`s removed.
    static func heading(_ line: String) -> (Int, String)? {
        let indent = line.leadingSpaceCount
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let hashes = rest.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes) else { return nil }
        let after = rest.dropFirst(hashes)
        guard after.isEmpty || after.first == " " || after.first == "\t" else { return nil }
        var text = String(after).trimmingSpaces
        if text.hasSuffix("#") {
            let stripped = String(text.reversed().drop(while: { $0 == "#" }).reversed())
            if stripped.isEmpty || stripped.hasSuffix(" ") { text = stripped.trimmingSpaces }
        }
        return (hashes, text)
    }

    /// The language of a `<details lang="ko">` opening line, or nil for any other line.
    static func detailsLanguage(_ line: String) -> String? {
        let t = line.trimmingSpaces
        guard t.hasPrefix("<details"), let range = t.range(of: "lang=") else { return nil }
        guard let close = t.firstIndex(of: ">"), range.lowerBound < close else { return nil }
        var value = t[range.upperBound..<close]
        if let q = value.first, q == "\"" || q == "'" {
            value = value.dropFirst()
            value = value.prefix(while: { $0 != q })
        } else {
            value = value.prefix(while: { $0 != " " && $0 != "/" })
        }
        return String(value)
    }

    func readFence(at index: Int) -> Fence? {
        let line = lines[index]
        let indent = line.leadingSpaceCount
        let rest = line.dropFirst(indent)
        guard let marker = rest.first, marker == "`" || marker == "~" else { return nil }
        let length = rest.prefix(while: { $0 == marker }).count
        guard length >= 3 else { return nil }
        let infoText = rest.dropFirst(length)
        if marker == "`", infoText.contains("`") { return nil }
        var info: [InfoWord] = []
        var column = indent + length + 1
        var word = ""
        var wordColumn = 0
        for c in infoText {
            if c == " " || c == "\t" {
                if !word.isEmpty { info.append(InfoWord(text: word, column: wordColumn)); word = "" }
            } else {
                if word.isEmpty { wordColumn = column }
                word.append(c)
            }
            column += 1
        }
        if !word.isEmpty { info.append(InfoWord(text: word, column: wordColumn)) }

        var j = index + 1
        while j < lines.count {
            let t = lines[j].trimmingSpaces
            if t.count >= length, t.allSatisfy({ $0 == marker }) {
                return Fence(line: index, indent: indent, marker: marker, length: length, info: info,
                             content: Array(lines[(index + 1)..<j]), closed: true, lineCount: j - index + 1)
            }
            j += 1
        }
        return Fence(line: index, indent: indent, marker: marker, length: length, info: info,
                     content: Array(lines[(index + 1)...].prefix(lines.count - index - 1)), closed: false,
                     lineCount: lines.count - index)
    }

    // MARK: Fenced blocks

    mutating func handleFence(_ fence: Fence) {
        if !fence.closed {
            let marker = String(repeating: fence.marker, count: fence.length)
            report(fence.line, fence.indent + 1, "this \(marker) block is never closed: add a line \(marker) after its last line")
            return
        }
        let kind = fence.info.first?.text.lowercased() ?? ""
        let attributes = Array(fence.info.dropFirst())
        switch kind {
        case "c", "swift":
            let language: Language = kind == "c" ? .c : .swift
            handleCode(fence, language: language, attributes: attributes)
        case "exercise", "case", "expect":
            guard current != nil else {
                report(fence.line, fence.indent + 1, "a ```\(kind)``` block belongs inside an exercise, after a '## Exercise: id — title' heading")
                return
            }
            flushProse()
            flushHint()
            target = .none
            switch kind {
            case "exercise": handleExerciseBlock(fence, attributes: attributes)
            case "case": handleCase(fence, attributes: attributes)
            default: handleExpect(fence, attributes: attributes)
            }
        case "trace", "claim":  // a cell's recorded trace and its claims (CellEvidence.swift)
            flushProse()
            let (evidence, problems) = CellEvidence.parse(kind: kind, attributes: attributes.map { ($0.text, $0.column) },
                                                          lines: fence.content, file: file, fenceLine: fence.line, lineCount: fence.lineCount)
            for problem in problems { report(fence.line + 1 + problem.line, problem.column, problem.message) }
            if let evidence, let why = blocks.attach(evidence) {
                report(fence.line, fence.indent + 1, "a ```\(kind)``` block " + why)
            }
        case "predict":  // predict-then-observe (PredictCell.swift)
            flushProse()
            let (prediction, problems) = Prediction.parse(fence.content, file: file, firstLine: fence.line + 2)
            for problem in problems { report(fence.line + 1 + problem.line, problem.column, problem.message) }
            if let prediction, !blocks.attach(prediction: prediction) {
                report(fence.line, fence.indent + 1, "a ```predict``` block comes right after the ```c cell=NAME``` or ```swift cell=NAME``` block it asks about (one per cell)")
            }
        default:
            appendProseFence(fence)
        }
    }

    mutating func appendProseFence(_ fence: Fence) {
        let fenceLines = Array(lines[fence.line..<(fence.line + fence.lineCount)])
        if current?.inHints == true {
            if current!.hintText == nil {
                report(fence.line, 1, "expected a numbered hint ('1. …') under '### Hints'")
            } else {
                let strip = current!.hintIndent
                current!.hintText!.append(contentsOf: fenceLines.map { String($0.dropFirst(min($0.leadingSpaceCount, strip))) })
            }
        } else {
            prose.append(contentsOf: fenceLines)
        }
    }

    mutating func handleCode(_ fence: Fence, language: Language, attributes: [InfoWord]) {
        var cellName: (String, Int)?
        var isStarter = false
        var tty = false
        var environment: [String: String] = [:]
        var bad = false
        for attribute in attributes {
            if attribute.text == "starter" {
                isStarter = true
            } else if attribute.text == "tty" {
                tty = true
            } else if attribute.text.hasPrefix("env=") {
                let assignment = attribute.text.dropFirst(4)
                guard let eq = assignment.firstIndex(of: "="), ValueSyntax.isEnvironmentName(String(assignment[..<eq])) else {
                    report(fence.line, attribute.column, "'env=' takes NAME=VALUE (no spaces), found '\(attribute.text)'")
                    bad = true
                    continue
                }
                environment[String(assignment[..<eq])] = String(assignment[assignment.index(after: eq)...])
            } else if attribute.text.hasPrefix("cell=") {
                cellName = (String(attribute.text.dropFirst(5)), attribute.column)
            } else {
                report(fence.line, attribute.column, "unknown attribute '\(attribute.text)' on a \(language.rawValue) block (known: starter, cell=NAME, tty, env=NAME=VALUE)")
                bad = true
            }
        }
        if bad { return }
        if isStarter, cellName != nil {
            report(fence.line, fence.indent + 1, "a block is either a starter or a cell, not both")
            return
        }
        if tty || !environment.isEmpty, cellName == nil {
            report(fence.line, fence.indent + 1, "'tty' and 'env=' belong to an example cell: write ```\(language.rawValue) cell=NAME tty")
            return
        }
        let code = fence.content.joined(separator: "\n") + "\n"
        if isStarter {
            guard current != nil else {
                report(fence.line, fence.indent + 1, "a starter belongs inside an exercise, after a '## Exercise: id — title' heading")
                return
            }
            flushProse()
            flushHint()
            target = .none
            if let previous = current!.starterLines[language] {
                report(fence.line, fence.indent + 1, "a second \(language.rawValue) starter in exercise '\(current!.id)' (the first is at line \(previous + 1))")
                return
            }
            current!.starterLines[language] = fence.line
            current!.starters[language] = code
            return
        }
        guard let (name, column) = cellName else {
            appendProseFence(fence)
            return
        }
        flushProse()
        flushHint()
        target = .none
        guard ValueSyntax.isIdentifier(name) else {
            report(fence.line, column, "cell name '\(name)' must be lowercase letters, digits and '-'")
            return
        }
        if let previous = cellLines[name] {
            report(fence.line, column, "cell name '\(name)' is used twice in this lesson (first at line \(previous + 1))")
            return
        }
        cellLines[name] = fence.line
        var cell = ExampleCell(name: name, language: language, code: code, location: location(fence.line + 1))
        cell.tty = tty
        cell.environment = environment
        blocks.append(.cell(cell))
    }
}
