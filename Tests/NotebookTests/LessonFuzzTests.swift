// Random damage to a valid lesson never crashes the parser, and every diagnostic points
// at a real place in the file; whatever survives is a consistent model.

import Testing
import Vocabulary
@testable import Notebook

/// SplitMix64: a small deterministic generator, so a failure can be replayed by its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e3779b97f4a7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58476d1ce4e5b9
        z = (z ^ (z >> 27)) &* 0x94d049bb133111eb
        return z ^ (z >> 31)
    }
}

let structuralLines = [
    "```", "````", "~~~", "```c starter", "```swift starter", "```c cell=x", "```case x", "```case", "```expect",
    "```expect case=x lang=c hidden", "```exercise", "## Exercise: e — T", "## Exercise:", "### Hints", "1. hint",
    "2) hint", "<details lang=\"ko\">", "<details lang=\"ko\"><summary>한국어</summary>", "</details>", "---", "id: x",
    "stdin: |", "stdin: |-", "  indented", "    more", "\tstdin: x", "file a: |", "args: \"open", "env: A=1", "points: 3",
    "languages: c", "stdin-seq: 1 3", "# Title", "", "text", "🙂 ünïcödé", "exit 0",
]

@Test func randomDamageNeverCrashes() throws {
    let original = try documentedExample().components(separatedBy: "\n")
    var rng = SplitMix64(state: 42)
    for iteration in 0..<600 {
        var lines = original
        for _ in 0...Int.random(in: 0...6, using: &rng) {
            let at = Int.random(in: 0..<max(lines.count, 1), using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: if !lines.isEmpty { lines.remove(at: at) }
            case 1: lines.insert(structuralLines.randomElement(using: &rng)!, at: min(at, lines.count))
            case 2: if !lines.isEmpty { lines.insert(lines[at], at: at) }
            case 3: if lines.count > 1 { lines.swapAt(at, Int.random(in: 0..<lines.count, using: &rng)) }
            case 4: if !lines.isEmpty { lines[at] = String(lines[at].prefix(Int.random(in: 0...max(lines[at].count, 0), using: &rng))) }
            default: lines = Array(lines.prefix(at))
            }
        }
        let text = lines.joined(separator: "\n")
        let (lesson, diagnostics) = LessonParser.parse(text, file: "f.md")
        for d in diagnostics {
            #expect(d.location.file == "f.md")
            #expect((1...(lines.count + 1)).contains(d.location.line), "iteration \(iteration): \(d)")
            #expect(d.location.column >= 1, "iteration \(iteration): \(d)")
            #expect(!d.message.isEmpty)
        }
        if let lesson {
            for exercise in lesson.exercises {
                #expect(!exercise.expectations.isEmpty)
                #expect(!exercise.cases.isEmpty)
                #expect(exercise.languages.allSatisfy { exercise.starters[$0] != nil }, "iteration \(iteration)")
                #expect(lesson.blocks.contains(.exercise(exercise.id)))
            }
        }
    }
}
