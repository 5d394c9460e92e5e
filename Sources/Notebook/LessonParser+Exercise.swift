// An exercise: its `## Exercise:` heading, its ```exercise``` block (keys: ExerciseKey in
// LessonKeys.swift), and the checks made once it ends.

import Vocabulary

extension LessonFileParser {
    // MARK: Exercises

    mutating func startExercise(text: String) {
        let line = lines[i]
        let rest = text.dropFirst("exercise:".count)
        let afterPrefix = rest.drop(while: { $0 == " " || $0 == "\t" })
        let id = String(afterPrefix.prefix(while: { $0 != " " && $0 != "\t" && $0 != "—" && $0 != "–" && $0 != ":" }))
        var titleText = afterPrefix.dropFirst(id.count).drop(while: { $0 == " " || $0 == "\t" })
        for separator in ["—", "–", "--", "-", ":"] where titleText.hasPrefix(separator) {
            titleText = titleText.dropFirst(separator.count)
            break
        }
        let title = String(titleText).trimmingSpaces
        // The id's column: search after the colon of "Exercise:" (the id may also occur in "Exercise").
        let colon = line.firstIndex(of: ":")!
        let afterColon = line[line.index(after: colon)...]
        let idStart = id.isEmpty ? colon : (afterColon.range(of: id)?.lowerBound ?? colon)
        let idColumn = line.distance(from: line.startIndex, to: idStart) + 1
        let first = diagnostics.count
        var exerciseID = id
        if id.isEmpty {
            report(i, idColumn, "the exercise heading has no id: write '## Exercise: some-id — Title'")
            exerciseID = "?"
        } else if !ValueSyntax.isIdentifier(id) {
            report(i, idColumn, "exercise id '\(id)' must be lowercase letters, digits and '-'")
        } else if let previous = exerciseLines[id] {
            report(i, idColumn, "exercise id '\(id)' is used twice in this lesson (first at line \(previous + 1))")
        } else {
            exerciseLines[id] = i
        }
        if !id.isEmpty, title.isEmpty {
            report(i, 1, "the exercise heading has no title: write '## Exercise: \(id) — Title'")
        }
        current = ExerciseBuilder(id: exerciseID, title: title, location: location(i, idColumn), firstDiagnostic: first,
                                  blockIndex: blocks.count)
        blocks.append(.exercise(exerciseID))
        target = .none
    }

    mutating func finishExercise() {
        flushHint()
        guard let ex = current else { return }
        current = nil
        target = .none
        let heading = ex.location.line - 1
        let languages = ex.languages ?? [.c, .swift]
        for language in languages where ex.starters[language] == nil {
            report(heading, 1, "exercise '\(ex.id)' has no ```\(language.rawValue) starter``` block (its languages are \(languages.map(\.rawValue).joined(separator: ", ")))")
        }
        for (language, line) in ex.starterLines.sorted(by: { $0.value < $1.value }) where !languages.contains(language) {
            report(line, 1, "a \(language.rawValue) starter, but exercise '\(ex.id)' declares 'languages: \(languages.map(\.rawValue).joined(separator: ", "))'")
        }
        if ex.statementRuns.isEmpty {
            report(heading, 1, "exercise '\(ex.id)' has no statement: write what to do in prose under its heading")
        }
        if ex.expectations.isEmpty {
            report(heading, 1, "exercise '\(ex.id)' has no ```expect``` block, so nothing would be checked")
        }
        var cases = ex.cases
        if cases.isEmpty { cases = [ExerciseCase(name: "default", location: ex.location)] }
        let caseNames = Set(cases.map(\.name))
        for ref in ex.expectationCaseRefs where !caseNames.contains(ref.name) {
            diagnostics.append(LessonDiagnostic(location: ref.location,
                message: "expect block names case '\(ref.name)', which exercise '\(ex.id)' does not have (cases: \(cases.map(\.name).joined(separator: ", ")))"))
        }
        for ref in ex.expectationLanguageRefs where !languages.contains(ref.language) {
            diagnostics.append(LessonDiagnostic(location: ref.location,
                message: "expect block is for lang=\(ref.language.rawValue), which exercise '\(ex.id)' does not declare"))
        }
        // Per-case points: declared ones may not exceed the exercise's; when every case declares
        // its points and the exercise does not, the exercise is worth their sum.
        var points = ex.points
        let declared = cases.compactMap(\.points).reduce(0, +)
        if cases.contains(where: { $0.points != nil }) {
            if ex.allOrNothing {
                report(heading, 1, "exercise '\(ex.id)' gives its cases points but says 'credit: all-or-nothing'; drop one of them")
            } else if cases.allSatisfy({ $0.points != nil }) && !ex.pointsDeclared {
                points = declared
            } else if cases.allSatisfy({ $0.points != nil }) ? declared != points : declared > points {
                report(heading, 1, "the cases of exercise '\(ex.id)' are worth \(declared) points \(cases.allSatisfy { $0.points != nil } ? "in all" : "already"), but the exercise is worth \(points)")
            }
        }
        guard diagnostics.count == ex.firstDiagnostic else {
            // Reported above; a broken exercise is not offered to learners.
            blocks.remove(at: ex.blockIndex)
            return
        }
        var statement = LocalizedText(ex.statementRuns.map(\.english).joined(separator: "\n\n"))
        let translated = Set(ex.statementRuns.flatMap { $0.translations.keys })
        for language in translated.sorted() {
            statement.translations[language] = ex.statementRuns.map { $0.translations[language] ?? $0.english }
                .joined(separator: "\n\n")
        }
        exercises.append(Exercise(
            id: ex.id, lessonID: lessonID ?? "", title: LocalizedText(ex.title, translations: ex.titleTranslations),
            statement: statement, languages: languages, starters: ex.starters, cases: cases,
            expectations: ex.expectations, hints: ex.hints, points: points, limits: ex.limits, location: ex.location))
        exercises[exercises.count - 1].allOrNothing = ex.allOrNothing
    }

    mutating func handleExerciseBlock(_ fence: Fence, attributes: [InfoWord]) {
        for attribute in attributes {
            report(fence.line, attribute.column, "unknown attribute '\(attribute.text)' on an exercise block (it takes none)")
        }
        if let previous = current!.exerciseBlockLine {
            report(fence.line, fence.indent + 1, "a second ```exercise``` block in exercise '\(current!.id)' (the first is at line \(previous + 1)): merge them")
            return
        }
        current!.exerciseBlockLine = fence.line
        var seen: [String: Int] = [:]
        for (offset, line) in fence.content.enumerated() {
            let index = fence.line + 1 + offset
            guard let entry = keyValue(line, index: index) else { continue }
            let (key, value, column) = entry
            if let previous = seen[key] {
                report(index, 1, "'\(key)' is given twice (first at line \(previous + 1))")
                continue
            }
            seen[key] = index
            guard let (entry, name) = ExerciseKey.entry(for: key) else {
                report(index, 1, "unknown key '\(key)' in an exercise block (known: \(ExerciseKey.known))")
                continue
            }
            do throws(ValueError) {
                switch entry {
                case .points:
                    guard let n = Int(value), n >= 0 else { throw ValueError(offset: 0, message: "'points' must be a whole number ≥ 0, found '\(value)'") }
                    current!.points = n
                    current!.pointsDeclared = true
                case .credit:  // per-case credit (Grading/CaseCredit.swift)
                    switch value {
                    case "per-case": current!.allOrNothing = false
                    case "all-or-nothing": current!.allOrNothing = true
                    default: throw ValueError(offset: 0, message: "'credit' is 'per-case' or 'all-or-nothing', found '\(value)'")
                    }
                case .titleTranslation:
                    current!.titleTranslations[name] = value
                case .languages:
                    var list: [Language] = []
                    var offsetInValue = 0
                    for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                        let name = String(part).trimmingSpaces
                        let at = offsetInValue + String(part).leadingSpaceCount
                        offsetInValue += part.count + 1
                        guard let language = Language(rawValue: name) else {
                            throw ValueError(offset: at, message: "unknown language '\(name)' (known: \(Language.known))")
                        }
                        if list.contains(language) { throw ValueError(offset: at, message: "language '\(name)' is listed twice") }
                        list.append(language)
                    }
                    current!.languages = list
                case .cpu: current!.limits.cpuSeconds = try ValueSyntax.duration(value)
                case .wall: current!.limits.wallSeconds = try ValueSyntax.duration(value)
                case .memory: current!.limits.memoryBytes = try ValueSyntax.size(value)
                case .stdout: current!.limits.stdoutBytes = try ValueSyntax.size(value)
                case .processes:
                    guard let n = Int(value), n >= 1 else { throw ValueError(offset: 0, message: "'processes' must be a whole number ≥ 1, found '\(value)'") }
                    current!.limits.processes = n
                case .exec:
                    switch value {
                    case "allow": current!.limits.allowExec = true
                    case "deny": current!.limits.allowExec = false
                    default: throw ValueError(offset: 0, message: "'exec' is 'allow' or 'deny', found '\(value)'")
                    }
                }
            } catch {
                report(index, column + error.offset, error.message)
            }
        }
    }

    /// `key: value` of a line in an `exercise` or `case` block (nil for blank and `#` lines;
    /// reports lines without a colon). The column is where the value starts.
    mutating func keyValue(_ line: String, index: Int) -> (String, String, Int)? {
        if line.isBlank || line.trimmingSpaces.hasPrefix("#") { return nil }
        guard let colon = line.firstIndex(of: ":") else {
            report(index, line.leadingSpaceCount + 1, "expected 'key: value', found '\(line.trimmingSpaces)'")
            return nil
        }
        let key = String(line[..<colon]).trimmingSpaces
        let raw = String(line[line.index(after: colon)...])
        let column = line.distance(from: line.startIndex, to: colon) + 2 + raw.leadingSpaceCount
        return (key, raw.trimmingSpaces, column)
    }
}
