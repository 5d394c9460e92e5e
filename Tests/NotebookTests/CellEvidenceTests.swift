// A cell's ```trace``` and ```claim``` blocks, its `tty` and `env=` attributes, the front
// matter's `recorded:` and `libc:` (CellEvidence.swift, RecordingPlatform.swift): parsed, attached
// to their cell, and every misuse a located error.

import Testing
@testable import Notebook

@Suite("Trace and claim blocks")
struct CellEvidenceTests {
    static func parse(_ body: String, frontMatter: String = "") -> (Lesson?, [LessonDiagnostic]) {
        LessonParser.parse("---\nid: demo\ntitle: Demo\norder: 1\n\(frontMatter)---\n\n# Demo\n\n" + body, file: "demo.md")
    }

    static func cells(_ lesson: Lesson?) -> [ExampleCell] {
        (lesson?.blocks ?? []).compactMap { if case .cell(let cell) = $0 { return cell } else { return nil } }
    }

    @Test("a trace block, a predict block and claim blocks after a cell belong to it")
    func attached() throws {
        let (lesson, diagnostics) = Self.parse("""
            ```c cell=one tty env=GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072
            int main(void) { return 0; }
            ```

            ```trace all
            brk(NULL)                               = 0x55a4bdca6000
            exit_group(0)                           = ?
            ```

            ```predict
            question: How many brk calls?
            answer: count brk
            ```

            ```claim
            fact: One brk, no growth.
            fact.ko: brk 한 번, 확장 없음.
            brk(NULL) = $heap
            ```

            ```claim
            exited with 0
            ```

            Prose after it.
            """, frontMatter: "recorded: glibc 2.36, Linux 6.18, x86_64\nlibc: glibc\n")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let cell = try #require(Self.cells(lesson).first)
        #expect(cell.tty)
        #expect(cell.environment == ["GLIBC_TUNABLES": "glibc.malloc.mmap_threshold=131072"])
        let trace = try #require(cell.trace)
        #expect(trace.startup)
        #expect(trace.lines == ["brk(NULL)                               = 0x55a4bdca6000", "exit_group(0)                           = ?"])
        #expect(trace.location.line == 16)
        #expect(trace.fenceLines == 15...18, "the opening and closing fence lines, which record rewrites between")
        #expect(cell.predict != nil)
        #expect(cell.claims.count == 2)
        #expect(cell.claims[0].fact == LocalizedText("One brk, no growth.", translations: ["ko": "brk 한 번, 확장 없음."]))
        #expect(cell.claims[0].text == "\n\nbrk(NULL) = $heap", "fact lines are blanked so the expectation lines keep their line numbers")
        #expect(cell.claims[0].location.line == 26)
        #expect(cell.claims[1].fact == nil)
        #expect(lesson?.recorded == RecordingPlatform(libc: "glibc 2.36", kernel: "Linux 6.18", architecture: "x86_64"))
        #expect(lesson?.libc == "glibc")
    }

    @Test("misplaced or malformed blocks are located errors", arguments: [
        ("Some prose.\n\n```trace\nbrk(NULL) = 0x1\n```\n", "demo.md:11:1: a ```trace``` block comes right after"),
        ("```c cell=one\nint main(void){}\n```\n\nProse between.\n\n```claim\nexited with 0\n```\n", "demo.md:15:1: a ```claim``` block comes right after"),
        ("```c cell=one\nint main(void){}\n```\n\n```trace\na\n```\n\n```trace\nb\n```\n", "demo.md:17:1: a ```trace``` block is a second trace of cell 'one'"),
        ("```c cell=one\nint main(void){}\n```\n\n```trace startup\na\n```\n", "demo.md:13:10: unknown attribute 'startup' on a trace block"),
        ("```c cell=one\nint main(void){}\n```\n\n```claim\nfact: only words\n```\n", "demo.md:13:1: this claim block states nothing"),
        ("```c cell=one\nint main(void){}\n```\n\n```claim\nfact.ko: 한국어만\nexited with 0\n```\n", "demo.md:13:1: a claim block with 'fact.ko:' needs the English 'fact:' too"),
        ("```c tty\nint main(void){}\n```\n", "demo.md:9:1: 'tty' and 'env=' belong to an example cell"),
        ("```c cell=one env=NOEQUALS\nint main(void){}\n```\n", "demo.md:9:15: 'env=' takes NAME=VALUE"),
    ])
    func errors(_ body: String, _ expected: String) {
        let (_, diagnostics) = Self.parse(body)
        #expect(diagnostics.contains { "\($0)".hasPrefix(expected) }, "\(diagnostics)")
    }

    @Test("front matter: recorded is three parts; libc is a name")
    func frontMatter() {
        let (_, bad) = Self.parse("Text.\n", frontMatter: "recorded: glibc 2.36\nlibc: glibc 2.36\n")
        #expect(bad.map(\.description) == [
            "demo.md:5:11: 'recorded' is 'LIBC VERSION, KERNEL VERSION, ARCH' (as 'lessons record' writes it), found 'glibc 2.36'",
            "demo.md:6:7: 'libc' names the C library the lesson teaches, such as glibc, found 'glibc 2.36'",
        ])
    }

    @Test("an empty trace block is kept (record fills it); a trace block inside a translation is text")
    func emptyAndTranslated() throws {
        let (lesson, diagnostics) = Self.parse("""
            ```c cell=one
            int main(void) { return 0; }
            ```

            ```trace
            ```

            Text.

            <details lang="ko"><summary>한국어</summary>

            ```trace
            번역 안의 블록
            ```

            </details>
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(try #require(Self.cells(lesson).first?.trace).lines.isEmpty)
    }

    @Test("comment lines are notes for authors: statements and hints do not show them; translations in hints lose the item's indent")
    func commentsAndIndent() throws {
        let (lesson, diagnostics) = Self.parse("""
            ## Exercise: one — One

            Do it in 64 KiB.
            <!-- not checked: the rule of the exercise -->

            ```c starter
            int main(void) { return 1; }
            ```

            ```swift starter
            exit(1)
            ```

            ```expect
            exited with 0
            ```

            ### Hints

            1. First line,
               second line.
               <!-- not checked: code -->
               <details lang="ko"><summary>한국어</summary>

               첫 줄,
               둘째 줄.

               </details>
            """)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let exercise = try #require(lesson?.exercises.first)
        #expect(exercise.statement.english == "Do it in 64 KiB.")
        #expect(exercise.hints.first?.english == "First line,\nsecond line.")
        #expect(exercise.hints.first?.translations["ko"] == "첫 줄,\n둘째 줄.")
    }

    @Test("platforms: parsed from the recorded line; what differs, in words; traces comparable on the same C library and processor")
    func platforms() throws {
        let recorded = try #require(RecordingPlatform(parsing: "glibc 2.36, Linux 6.18, x86_64"))
        #expect(RecordingPlatform(parsing: "glibc 2.36, Linux 6.18") == nil)
        let musl = RecordingPlatform(libc: "musl", kernel: "Linux 6.18", architecture: "x86_64")
        let newerKernel = RecordingPlatform(libc: "glibc 2.36", kernel: "Linux 6.19", architecture: "x86_64")
        #expect(recorded.differences(from: recorded).isEmpty)
        #expect(recorded.differences(from: musl) == ["the C library (glibc 2.36 there, musl here)"])
        #expect(recorded.differences(from: newerKernel) == ["the kernel (Linux 6.18 there, Linux 6.19 here)"])
        #expect(!recorded.tracesComparable(on: musl))
        #expect(recorded.tracesComparable(on: newerKernel))
        #expect(musl.libcName == "musl" && recorded.libcName == "glibc")
        #expect("\(recorded)" == "glibc 2.36, Linux 6.18, x86_64")
    }
}
