// Prose, headings and hints, and the `<details lang="LANG">` translations that follow them.

extension LessonFileParser {
    // MARK: Prose and translations

    mutating func flushProse() {
        // `<!-- … -->` lines are notes for authors and lint (ProseFacts.swift), not text to show.
        var run = prose.filter { !Self.isCommentLine($0) }
        prose = []
        while let first = run.first, first.isBlank { run.removeFirst() }
        while let last = run.last, last.isBlank { run.removeLast() }
        guard !run.isEmpty else { return }
        let text = LocalizedText(run.joined(separator: "\n"))
        if current != nil {
            current!.statementRuns.append(text)
            target = .statement(current!.statementRuns.count - 1)
        } else {
            blocks.append(.prose(text))
            target = .lessonProse(blocks.count - 1)
        }
    }

    mutating func handleDetails() {
        let openLine = i
        let language = Self.detailsLanguage(lines[i]) ?? ""
        flushProse()
        flushHint()
        // The opening line may carry the summary and even the whole translation.
        var opening = lines[i].trimmingSpaces
        opening = String(opening[opening.index(after: opening.firstIndex(of: ">")!)...])
        var content: [String] = []
        var closed = false
        func stripSummary(_ s: String) -> String {
            let t = s.trimmingSpaces
            if t.hasPrefix("<summary"), let end = t.range(of: "</summary>") { return String(t[end.upperBound...]) }
            return s
        }
        opening = stripSummary(opening)
        if opening.trimmingSpaces.hasSuffix("</details>") {
            content.append(String(opening.trimmingSpaces.dropLast("</details>".count)))
            closed = true
            i += 1
        } else {
            if !opening.isBlank { content.append(opening) }
            i += 1
            var sawText = !content.isEmpty
            while i < lines.count {
                if let fence = readFence(at: i) {
                    content.append(contentsOf: lines[i..<(i + fence.lineCount)])
                    i += fence.lineCount
                    sawText = true
                    continue
                }
                var line = lines[i]
                i += 1
                if !sawText, !line.isBlank {
                    line = stripSummary(line)
                    sawText = true
                    if line.isBlank { continue }
                }
                let t = line.trimmingSpaces
                if t.hasSuffix("</details>") {
                    content.append(String(t.dropLast("</details>".count)))
                    closed = true
                    break
                }
                content.append(line)
            }
        }
        guard closed else {
            report(openLine, 1, "<details lang=\"\(language)\"> is never closed: add a line </details> after the translation")
            return
        }
        while let first = content.first, first.isBlank { content.removeFirst() }
        while let last = content.last, last.isBlank { content.removeLast() }
        // A translation inside a list item (a hint) is indented like the item: not part of the text.
        let indent = content.filter { !$0.isBlank }.map(\.leadingSpaceCount).min() ?? 0
        content = content.map { $0.isBlank ? "" : String($0.dropFirst(indent)) }
        let text = content.joined(separator: "\n")
        guard Self.isLanguageCode(language) else {
            report(openLine, 1, "translation language '\(language)' is not a language code such as ko")
            return
        }
        guard !text.isEmpty else {
            report(openLine, 1, "this '\(language)' translation is empty")
            return
        }
        func attach(_ localized: inout LocalizedText) -> Bool {
            if localized.translations[language] != nil { return false }
            localized.translations[language] = text
            return true
        }
        var attached = true
        switch target {
        case .none:
            report(openLine, 1, "this '\(language)' translation follows no English text: put <details lang=\"\(language)\"> right after the paragraph, heading, statement or hint it translates")
            return
        case .lessonProse(let index):
            if case .prose(var localized) = blocks[index] {
                attached = attach(&localized)
                blocks[index] = .prose(localized)
            }
        case .statement(let index):
            attached = attach(&current!.statementRuns[index])
        case .hint(let index):
            attached = attach(&current!.hints[index])
        }
        if !attached {
            report(openLine, 1, "a second '\(language)' translation of the same text: merge it into the first one")
        }
    }

    // MARK: Headings

    mutating func handleHeading(level: Int, text: String) {
        let isExerciseHeading = text.lowercased().hasPrefix("exercise:")
        if level == 2, isExerciseHeading {
            flushProse()
            flushHint()
            finishExercise()
            startExercise(text: text)
            return
        }
        if isExerciseHeading {
            report(i, 1, "an exercise heading is level 2: write '## \(text)'")
        }
        if level == 3, text.lowercased() == "hints" {
            flushProse()
            flushHint()
            if current == nil {
                report(i, 1, "'### Hints' outside an exercise: hints belong under a '## Exercise: id — title' heading")
            } else {
                current!.inHints = true
                target = .none
            }
            return
        }
        flushProse()
        flushHint()
        if level <= 2 {
            finishExercise()
        } else if current?.inHints == true {
            current!.inHints = false
        }
        // A heading is its own prose run, so that a translation right after it translates it alone.
        prose = [lines[i]]
        flushProse()
    }

    // MARK: Hints

    mutating func flushHint() {
        guard current != nil, var text = current!.hintText else { return }
        current!.hintText = nil
        text.removeAll { Self.isCommentLine($0) }
        while let last = text.last, last.isBlank { text.removeLast() }
        current!.hints.append(LocalizedText(text.joined(separator: "\n")))
        target = .hint(current!.hints.count - 1)
    }

    mutating func handleHintLine(_ line: String) {
        if let (marker, text) = Self.listItem(line) {
            flushHint()
            current!.hintText = [text]
            current!.hintIndent = marker
            current!.hintLine = i
            return
        }
        if line.isBlank {
            current!.hintText?.append("")
            return
        }
        guard current!.hintText != nil else {
            report(i, 1, "expected a numbered hint ('1. …') under '### Hints'")
            return
        }
        let strip = min(line.leadingSpaceCount, current!.hintIndent)
        current!.hintText!.append(String(line.dropFirst(strip)))
    }

    /// `(content indent, text)` of a numbered list item (`1. text` or `1) text`).
    static func listItem(_ line: String) -> (Int, String)? {
        let indent = line.leadingSpaceCount
        guard indent <= 3 else { return nil }
        let rest = line.dropFirst(indent)
        let digits = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard (1...3).contains(digits.count) else { return nil }
        let afterDigits = rest.dropFirst(digits.count)
        guard let punct = afterDigits.first, punct == "." || punct == ")" else { return nil }
        let after = afterDigits.dropFirst()
        guard after.isEmpty || after.first == " " else { return nil }
        let spaces = after.prefix(while: { $0 == " " }).count
        return (indent + digits.count + 1 + spaces, String(after).trimmingSpaces)
    }
}
