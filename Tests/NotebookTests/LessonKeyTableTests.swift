// The "known: …" list of an unknown-key message is what the parser accepts (LessonKeys.swift):
// every key a message lists is parsed, in the front matter, an exercise block and a case block.

import Testing
@testable import Notebook

@Suite("Lesson key tables") struct LessonKeyTableTests {
    /// The keys listed by the message about `unknown` in `text`'s diagnostics, as a key is
    /// written in a lesson (`title.ko`, `file NAME` as `file data.txt`).
    static func listed(in text: String) throws -> [String] {
        let message = try #require(diagnostics(text).first { $0.contains("unknown") && $0.contains("(known: ") }, "no unknown-key message")
        let list = try #require(message.split(separator: "(known: ").last?.dropLast())
        return list.components(separatedBy: ", ").map { $0 == "file NAME" ? "file data.txt" : $0 }
    }

    static func unknownKeyMessages(_ text: String) -> [String] {
        diagnostics(text).filter { $0.contains("unknown") && $0.contains("key") }
    }

    @Test func everyFrontMatterKeyListedIsParsed() throws {
        let keys = try Self.listed(in: "---\nid: t\ntitle: T\norder: 1\ncolour: red\n---\n")
        #expect(Set(keys) == Set(FrontMatterKey.allCases.map(\.rawValue)))
        for key in keys where !["id", "title", "order"].contains(key) {
            #expect(Self.unknownKeyMessages(frontMatter.replacingOccurrences(of: "order: 1\n", with: "order: 1\n\(key): x\n")) == [], "\(key)")
        }
    }

    @Test func everyExerciseKeyListedIsParsed() throws {
        let keys = try Self.listed(in: frontMatter + exercise(exerciseBlock: "```exercise\ncolour: red\n```\n"))
        #expect(keys.count == ExerciseKey.allCases.count)
        for key in keys {
            #expect(Self.unknownKeyMessages(frontMatter + exercise(exerciseBlock: "```exercise\n\(key): 1\n```\n")) == [], "\(key)")
        }
    }

    @Test func everyCaseKeyListedIsParsed() throws {
        let keys = try Self.listed(in: frontMatter + exercise(rest: "```case one\ncolour: red\n```\n```expect\nexit 0\n```\n"))
        #expect(keys.contains("inject"), "a case's inject: lines are parsed, so the message lists them")
        #expect(keys.count == CaseKey.allCases.count)
        for key in keys {
            #expect(Self.unknownKeyMessages(frontMatter + exercise(rest: "```case one\n\(key): 1\n```\n```expect\nexit 0\n```\n")) == [], "\(key)")
        }
    }

    @Test func aKeyOutsideTheTablesIsRefused() {
        #expect(FrontMatterKey.entry(for: "title.xx-not-a-language") == nil)
        #expect(FrontMatterKey.entry(for: "title.ko")?.1 == "ko")
        #expect(CaseKey.entry(for: "file input.txt")?.1 == "input.txt")
        #expect(CaseKey.entry(for: "files") == nil)
        #expect(ExerciseKey.entry(for: "timeout") == nil)
    }
}
