// The front matter of a lesson file: the `key: value` lines between the two `---` lines at
// its top (keys: FrontMatterKey in LessonKeys.swift).

extension LessonFileParser {
    // MARK: Front matter

    mutating func parseFrontMatter() {
        guard let first = lines.first, first.trimmingSpaces == "---" else {
            report(0, 1, "a lesson file starts with front matter: a line '---', then 'id:', 'title:' and 'order:' lines, then '---'")
            return
        }
        var end: Int?
        for index in 1..<max(lines.count, 1) where lines[index].trimmingSpaces == "---" {
            end = index
            break
        }
        guard let end else {
            report(0, 1, "the front matter opened here is never closed: add a line '---' after its last key")
            i = lines.count
            return
        }
        var seen: [String: Int] = [:]
        for index in 1..<end {
            let line = lines[index]
            if line.isBlank || line.trimmingSpaces.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                report(index, 1, "expected 'key: value' in the front matter, found '\(line.trimmingSpaces)'")
                continue
            }
            let key = String(line[..<colon]).trimmingSpaces
            let rawValue = String(line[line.index(after: colon)...])
            let value = rawValue.trimmingSpaces
            let valueColumn = line.distance(from: line.startIndex, to: colon) + 2 + rawValue.leadingSpaceCount
            if let previous = seen[key] {
                report(index, 1, "'\(key)' is given twice in the front matter (first at line \(previous + 1))")
                continue
            }
            seen[key] = index
            if value.isEmpty {
                report(index, valueColumn, "'\(key):' has no value")
                continue
            }
            guard let (entry, name) = FrontMatterKey.entry(for: key) else {
                report(index, 1, "unknown front matter key '\(key)' (known: \(FrontMatterKey.known))")
                continue
            }
            switch entry {
            case .id:
                idLocation = location(index, valueColumn)
                if ValueSyntax.isIdentifier(value) { lessonID = value } else {
                    report(index, valueColumn, "lesson id '\(value)' must be lowercase letters, digits and '-'")
                }
            case .title:
                title = value
            case .titleTranslation:
                titleTranslations[name] = value
            case .order:
                if let number = Int(value) { order = number } else {
                    report(index, valueColumn, "'order' must be a whole number, found '\(value)'")
                }
            case .requires:
                var list = value
                if list.hasPrefix("["), list.hasSuffix("]") { list = String(list.dropFirst().dropLast()) }
                var offset = valueColumn + (value.hasPrefix("[") ? 1 : 0)
                for part in list.split(separator: ",", omittingEmptySubsequences: false) {
                    let name = String(part).trimmingSpaces
                    let column = offset + String(part).leadingSpaceCount
                    offset += part.count + 1
                    if name.isEmpty { continue }
                    if !ValueSyntax.isIdentifier(name) {
                        report(index, column, "prerequisite '\(name)' is not a lesson id (lowercase letters, digits and '-')")
                    } else if prerequisites.contains(name) {
                        report(index, column, "prerequisite '\(name)' is listed twice")
                    } else {
                        prerequisites.append(name)
                        prerequisiteLocations[name] = location(index, column)
                    }
                }
            case .recorded:  // where its traces were recorded (RecordingPlatform.swift)
                if let platform = RecordingPlatform(parsing: value) { recorded = platform } else {
                    report(index, valueColumn, "'recorded' is 'LIBC VERSION, KERNEL VERSION, ARCH' (as 'lessons record' writes it), found '\(value)'")
                }
            case .libc:
                if ValueSyntax.isIdentifier(value) { libc = value } else {
                    report(index, valueColumn, "'libc' names the C library the lesson teaches, such as glibc, found '\(value)'")
                }
            }
        }
        for required in [FrontMatterKey.id, .title, .order] where seen[required.rawValue] == nil {
            report(0, 1, "the front matter has no '\(required.rawValue):' line")
        }
        i = end + 1
    }

    /// A line holding only an HTML comment (`<!-- not checked: … -->`).
    static func isCommentLine(_ line: String) -> Bool {
        let t = line.trimmingSpaces
        return t.hasPrefix("<!--") && t.hasSuffix("-->")
    }

    static func isLanguageCode(_ s: String) -> Bool {
        (2...3).contains(s.count) && s.unicodeScalars.allSatisfy { ("a"..."z").contains($0) }
    }
}
