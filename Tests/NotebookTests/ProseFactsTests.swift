// Facts in prose (ProseFacts.swift): which numbers a sentence states, and whether a cell's
// code, trace block or claims, or a `<!-- not checked: … -->` marker, accounts for each.

import Testing
@testable import Notebook

@Suite("Facts in prose")
struct ProseFactsTests {
    static func facts(_ body: String, recorded: String = "") -> [ProseFact] {
        let text = "---\nid: demo\ntitle: Demo\norder: 1\n\(recorded)---\n\n" + body
        let (lesson, diagnostics) = LessonParser.parse(text, file: "demo.md")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        guard let lesson else { return [] }
        return ProseFacts.scan(text, lesson: lesson, comparedTrace: { $0.map { $0.replacing(#/0x[0-9a-f]+/#, with: "0x…") } })
    }

    @Test("numbers: two digits, hex, sizes with units; not single digits, names, lesson references")
    func numbers() {
        let found = ProseFacts.numbers(in: "5 blocks of 5000 bytes, 0x21000 (132 KiB), x86_64, pread64, lesson 12, 4KiB, 1 << 46", factsOnly: true)
        #expect(found.map(\.text) == ["5000", "0x21000", "132 KiB", "4KiB", "46"])
        #expect(found.map(\.value) == [5000, 0x21000, 132 * 1024, 4096, 46])
    }

    @Test("a number in the section's claim, code or compared trace is checked; values compare, not spellings")
    func coverage() {
        let facts = Self.facts("""
            # Demo

            ```c cell=one
            int main(void) { return 5000 * 0; }
            ```

            ```trace
            brk(0x55a4bdca6000) = 0x55a4bdca6000
            write(1, "x", 95) = 95
            ```

            ```claim
            brk($heap + 0x21000) = $heap + 0x21000
            40 * 1024 * 1024 > 32 * 1024 * 1024
            ```

            The break moved 135168 bytes, 132 KiB. Five blocks of 5000 bytes. It wrote 95 bytes.
            A block above 32 MiB stays mapped. The heap starts at 0x55a4bdca6000.

            ## Another section

            The break moved 135168 bytes.
            """)
        #expect(facts.map(\.status) == [.checked, .checked, .checked, .checked, .unchecked, .unchecked])
        #expect(facts[4].unchecked == ["0x55a4bdca6000"], "an address from a trace block changes every run: not checked")
        #expect(facts[5].unchecked == ["135168"], "another section's claims do not check it")
    }

    @Test("a marker marks its paragraph; the Korean translation is not scanned")
    func markers() {
        let facts = Self.facts("""
            # Demo

            POSIX dropped brk in 2001.
            <!-- not checked: history, from the standard -->

            It was 1997 before.

            <details lang="ko"><summary>한국어</summary>

            POSIX는 2001년에 brk를 뺐습니다.

            </details>
            """)
        #expect(facts.count == 2)
        #expect(facts[0].status == .marked(reason: "history, from the standard"))
        #expect(facts[0].location.line == 9)
        #expect(facts[1].status == .unchecked)
    }
}
