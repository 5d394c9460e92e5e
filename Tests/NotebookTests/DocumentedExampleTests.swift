// The complete example in docs/lesson-format.md parses into the model it describes.

import Foundation
import Testing
import Vocabulary
@testable import Notebook

/// The package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// The lesson between "`````markdown" and "`````" in docs/lesson-format.md.
func documentedExample() throws -> String {
    let doc = try String(contentsOfFile: packageRoot + "/docs/lesson-format.md", encoding: .utf8)
    let lines = doc.components(separatedBy: "\n")
    let start = try #require(lines.firstIndex(of: "`````markdown"))
    let end = try #require(lines[(start + 1)...].firstIndex(of: "`````"))
    return lines[(start + 1)..<end].joined(separator: "\n") + "\n"
}

@Test func documentedExampleParsesWithoutDiagnostics() throws {
    let text = try documentedExample()
    let (lesson, diagnostics) = LessonParser.parse(text, file: "example.md")
    #expect(diagnostics.map(\.description) == [])
    let l = try #require(lesson)
    #expect(l.id == "heap-growth")
    #expect(l.title == LocalizedText("Watching the heap grow", translations: ["ko": "힙이 자라는 모습 보기"]))
    #expect(l.order == 30)
    #expect(l.prerequisites == ["malloc-basics"])
    #expect(l.file == "example.md")

    #expect(l.libc == "glibc")
    #expect(l.recorded == RecordingPlatform(libc: "glibc 2.36", kernel: "Linux 6.18", architecture: "x86_64"))

    // Reading order: heading, paragraph (translated), cell (with its trace and claim), exercise, heading, paragraph.
    #expect(l.blocks.count == 6)
    #expect(l.blocks[0] == .prose(LocalizedText("# Watching the heap grow")))
    guard case .prose(let intro) = l.blocks[1] else { Issue.record("block 1 is not prose"); return }
    #expect(intro.english.hasPrefix("When `malloc` runs out of room"))
    #expect(intro.english.hasSuffix("plus a 128 KiB pad."), "the not-checked comment is not text")
    #expect(intro.text("ko").hasPrefix("`malloc`의 공간이 모자라면"))
    guard case .cell(let cell) = l.blocks[2] else { Issue.record("block 2 is not a cell"); return }
    #expect(cell.name == "one-small")
    #expect(cell.language == .c)
    #expect(cell.code.hasPrefix("#include <stdlib.h>\nint main(void) {"))
    #expect(cell.code.hasSuffix("return 0;\n}\n"))
    let lines = text.components(separatedBy: "\n")
    #expect(cell.location.line == lines.firstIndex(of: "#include <stdlib.h>")! + 1)
    #expect(cell.trace?.lines.first?.hasPrefix("getrandom(") == true)
    #expect(cell.trace?.lines.count == 5)
    #expect(cell.claims.count == 1)
    #expect(cell.claims.first?.fact?.english == "The first malloc grows the heap once, by 0x21000 bytes (132 KiB).")
    #expect(l.blocks[3] == .exercise("five-small"))
    #expect(l.blocks[4] == .prose(LocalizedText("## What to remember")))

    #expect(l.exercises.count == 1)
    let ex = try #require(l.exercises.first)
    #expect(ex.fullID == "heap-growth/five-small")
    #expect(ex.title == LocalizedText("Five small chunks", translations: ["ko": "작은 청크 다섯 개"]))
    #expect(ex.statement.english.hasPrefix("Allocate five chunks of 100 bytes"))
    #expect(ex.statement.english.hasSuffix("from standard input."))
    #expect(ex.statement.text("ko").hasSuffix("표준 입력에서 읽으세요."))
    #expect(ex.languages == [.c, .swift])
    #expect(ex.points == 10)
    #expect(ex.limits.cpuSeconds == 2)
    #expect(ex.limits.memoryBytes == 256 << 20)
    #expect(ex.limits.wallSeconds == nil)
    #expect(ex.starters[.c]?.hasPrefix("#include <stdio.h>\n#include <stdlib.h>\n\nint main(void) {") == true)
    #expect(ex.starters[.swift] == "let n = Int(readLine() ?? \"\") ?? 0\n// allocate n chunks of 100 bytes here\n")
    #expect(ex.location == SourceLocation(file: "example.md", line: lines.firstIndex(of: "## Exercise: five-small — Five small chunks")! + 1, column: 14))

    #expect(ex.cases.map(\.name) == ["five", "tuned"])
    #expect(ex.cases[0].stdin == "5\n")
    #expect(ex.cases[0].arguments == [])
    let tuned = ex.cases[1]
    #expect(tuned.arguments == ["--verbose", "two words"])
    #expect(tuned.environment == ["GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=131072"])
    #expect(tuned.stdin == "5\n")
    #expect(tuned.files == ["notes.txt": "first line\n\nthird line\n"])

    #expect(ex.expectations.count == 2)
    let first = ex.expectations[0]
    #expect(first.text == "brk(NULL) = $b\nbrk($b + 135168) = $b + 135168\nexited with 0")
    #expect(first.location == SourceLocation(file: "example.md", line: lines.firstIndex(of: "brk(NULL) = $b")! + 1))
    #expect(first.cases == [] && first.languages == [] && !first.hidden)
    let hidden = ex.expectations[1]
    #expect(hidden.cases == ["tuned"] && hidden.languages == [.c] && hidden.hidden)
    #expect(ex.expectations(forCase: "five", language: .c).count == 1)
    #expect(ex.expectations(forCase: "tuned", language: .c).count == 2)
    #expect(ex.expectations(forCase: "tuned", language: .swift).count == 1)

    #expect(ex.hints.count == 3)
    #expect(ex.hints[0] == LocalizedText("Five chunks of 100 bytes fit in the heap's first growth.",
                                         translations: ["ko": "100바이트 청크 다섯 개는 힙의 첫 성장에 들어갑니다."]))
    #expect(ex.hints[1].english == "Call `malloc(100)` in a loop and keep the pointers,\nthen free them in a second loop.")
    #expect(ex.hints[1].translations["ko"]?.hasPrefix("반복문에서") == true)
    #expect(ex.hints[2].english == "The whole program is a `for` loop around `malloc`, one around `free`:\n```c\nfor (int i = 0; i < n; i++) p[i] = malloc(100);\n```")
    #expect(ex.hints[2].translations.isEmpty)
}
