// ```predict``` blocks: parsed, attached to the cell before them, errors with their lines.

import Testing
@testable import Notebook

@Suite("Predict blocks") struct PredictCellTests {
    static let front = "---\nid: p\ntitle: P\norder: 1\n---\n\n# P\n\n"
    static let cell = "```c cell=five\nint main(void) { return 0; }\n```\n\n"

    static func parse(_ body: String) -> (Lesson?, [String]) {
        let (lesson, diagnostics) = LessonParser.parse(front + body, file: "p.md")
        return (lesson, diagnostics.map(\.description))
    }

    static func prediction(_ lesson: Lesson?) -> Prediction? {
        for case .cell(let cell) in lesson?.blocks ?? [] { return cell.predict }
        return nil
    }

    @Test func countArgumentAndCalls() {
        let (lesson, problems) = Self.parse(Self.cell + "```predict\nquestion: How many?\nquestion.ko: 몇 번?\nanswer: count brk\nnote: Two.\n```\n\nAfter.\n")
        #expect(problems.isEmpty)
        let prediction = Self.prediction(lesson)
        #expect(prediction?.answer == .count(call: "brk"))
        #expect(prediction?.question.text("ko") == "몇 번?")
        #expect(prediction?.note?.english == "Two.")
        #expect(prediction?.location.line == 14)
        #expect(Self.prediction(Self.parse(Self.cell + "```predict\nquestion: Q\nanswer: argument mmap#2 2\n```\n").0)?.answer
                == .argument(call: "mmap", occurrence: 2, index: 2))
        #expect(Self.prediction(Self.parse(Self.cell + "```predict\nquestion: Q\nanswer: calls brk,mmap\n```\n").0)?.answer
                == .calls(only: ["brk", "mmap"]))
        // The predict block is not prose.
        #expect(!(lesson?.blocks.contains { if case .prose(let text) = $0 { return text.english.contains("predict") } else { return false } } ?? true))
    }

    @Test func problemsNameTheirLine() {
        let (_, noCell) = Self.parse("Text.\n\n```predict\nquestion: Q\nanswer: count brk\n```\n")
        #expect(noCell == ["p.md:11:1: a ```predict``` block comes right after the ```c cell=NAME``` or ```swift cell=NAME``` block it asks about (one per cell)"])
        let (_, badAnswer) = Self.parse(Self.cell + "```predict\nquestion: Q\nanswer: guess brk\n```\n")
        #expect(badAnswer == ["p.md:15:1: 'answer:' takes 'count CALL', 'argument CALL N' or 'calls', found 'guess brk'"])
        let (_, badArgument) = Self.parse(Self.cell + "```predict\nquestion: Q\nanswer: argument mmap 9\n```\n")
        #expect(badArgument.count == 1 && badArgument[0].hasPrefix("p.md:15:1: 'answer: argument CALL N'"))
        let (_, noQuestion) = Self.parse(Self.cell + "```predict\nanswer: count brk\n```\n")
        #expect(noQuestion == ["p.md:14:1: a predict block needs 'question: …' (what the learner is asked)"])
        let (_, unknown) = Self.parse(Self.cell + "```predict\nquestion: Q\nanswer: count brk\nhint: no\n```\n")
        #expect(unknown.count == 1 && unknown[0].contains("unknown key 'hint'"))
    }

    @Test func theBundledLessonsHavePredictions() throws {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        let (pack, diagnostics) = LessonPack.load(directory: parts.joined(separator: "/") + "/Lessons")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        var found: [String: Prediction.Answer] = [:]
        for lesson in pack.lessons {
            for case .cell(let cell) in lesson.blocks { if let p = cell.predict { found["\(lesson.id)/\(cell.name)"] = p.answer } }
        }
        #expect(found["brk/five-small"] == .count(call: "brk"))
        #expect(found["mmap-malloc/five-big"] == .argument(call: "mmap", occurrence: 1, index: 2))
        #expect(found["mmap-malloc/threshold"] == .calls(only: ["brk", "mmap", "munmap"]))
    }
}
