// An ```expect``` block: expectation text (parsed later, by Expectations) and which cases and
// languages it applies to.

import Vocabulary

extension LessonFileParser {
    mutating func handleExpect(_ fence: Fence, attributes: [InfoWord]) {
        var cases: [String] = []
        var languages: [Language] = []
        var hidden = false
        var bad = false
        for attribute in attributes {
            let text = attribute.text
            if text == "hidden" {
                hidden = true
            } else if text.hasPrefix("case=") {
                var column = attribute.column + 5
                for part in text.dropFirst(5).split(separator: ",", omittingEmptySubsequences: false) {
                    let name = String(part)
                    if !ValueSyntax.isIdentifier(name) {
                        report(fence.line, column, "case name '\(name)' must be lowercase letters, digits and '-'")
                        bad = true
                    } else {
                        cases.append(name)
                        current!.expectationCaseRefs.append((name, location(fence.line, column)))
                    }
                    column += part.count + 1
                }
            } else if text.hasPrefix("lang=") {
                var column = attribute.column + 5
                for part in text.dropFirst(5).split(separator: ",", omittingEmptySubsequences: false) {
                    if let language = Language(rawValue: String(part)) {
                        languages.append(language)
                        current!.expectationLanguageRefs.append((language, location(fence.line, column)))
                    } else {
                        report(fence.line, column, "unknown language '\(part)' (known: \(Language.known))")
                        bad = true
                    }
                    column += part.count + 1
                }
            } else {
                report(fence.line, attribute.column, "unknown attribute '\(text)' on an expect block (known: case=NAME[,NAME], lang=c|swift, hidden)")
                bad = true
            }
        }
        if fence.content.allSatisfy(\.isBlank) {
            report(fence.line, fence.indent + 1, "this expect block is empty: write at least one expectation, or remove it")
            return
        }
        if bad { return }
        current!.expectations.append(ExpectationSource(
            text: fence.content.joined(separator: "\n"), location: location(fence.line + 1),
            cases: cases, languages: languages, hidden: hidden))
    }
}
