// Wrapping long text to a terminal's width: never inside a word or a code span, indentation and
// list items kept, code left alone, text that fits left exactly as written.

import Testing
@testable import Grading

@Suite struct TextWrapTests {
    static let statement = """
    Read `n` from the first line of standard input, then `n` integers, one per line. Allocate
    room for exactly `n` ints with a single `malloc` (Swift: one
    `UnsafeMutablePointer<Int32>.allocate(capacity: n)`), store the numbers there, print them
    back one per line in the order you read them, free the block, and exit with status 0.
    """

    /// The words of a text, whatever its line breaks.
    static func words(_ text: String) -> [String] { TextWrap.words(Substring(text.replacingOccurrences(of: "\n", with: " "))) }

    @Test func proseThatFitsIsLeftAsWritten() {
        #expect(TextWrap.prose(Self.statement, width: 100) == Self.statement)
        #expect(TextWrap.prose(Self.statement, width: 91) == Self.statement)
    }

    @Test func aParagraphWiderThanTheTerminalIsReflowedBetweenWords() {
        let wrapped = TextWrap.prose(Self.statement, width: 60)
        let lines = wrapped.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { ReportRenderer.cellWidth($0) <= 60 }, "\(wrapped)")
        #expect(Self.words(wrapped) == Self.words(Self.statement), "\(wrapped)")
        // The code span is one piece on one line, though it holds a space.
        #expect(lines.contains { $0.contains("`UnsafeMutablePointer<Int32>.allocate(capacity: n)`),") }, "\(wrapped)")
        // Filled, not ragged: every line but the last has no room for the next word.
        for (line, next) in zip(lines, lines.dropFirst()) {
            let nextWord = next.split(separator: " ").first.map(String.init) ?? ""
            #expect(ReportRenderer.cellWidth(line) + 1 + ReportRenderer.cellWidth(nextWord) > 60 || nextWord.hasPrefix("`"), "\(line) | \(next)")
        }
    }

    @Test func koreanIsMeasuredInTerminalCells() {
        let korean = "실행 중인 프로그램은 데이터를 세 종류의 장소에 둡니다. 컴파일러가 크기를 아는 변수(전역 변수와 지역 변수), 그리고 실행 도중에 요청해서 받는 메모리입니다."
        let wrapped = TextWrap.prose(korean, width: 40)
        #expect(wrapped.split(separator: "\n").allSatisfy { ReportRenderer.cellWidth(String($0)) <= 40 }, "\(wrapped)")
        #expect(wrapped.split(separator: "\n").count > 2)
        #expect(Self.words(wrapped) == Self.words(korean))
    }

    @Test func listItemsHangUnderTheirTextAndCodeIsUntouched() {
        let text = """
        Two things to know:

        - the first item is long enough that it cannot fit in a narrow terminal at all, so it wraps
        - short one
          1. a nested numbered item that is also far too long to fit in the narrow width
        ```c
        void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        ```

            indented code that is much longer than the width and must stay on its one line
        | a table | row that is long and must stay as it is, whatever the width says |
        """
        let wrapped = TextWrap.prose(text, width: 40)
        let lines = wrapped.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.contains("- the first item is long enough that it"), "\(wrapped)")
        #expect(lines.contains("  cannot fit in a narrow terminal at"), "\(wrapped)")
        #expect(lines.contains("  all, so it wraps"), "\(wrapped)")
        #expect(lines.contains("- short one"))
        #expect(lines.contains("  1. a nested numbered item that is also"), "\(wrapped)")
        #expect(lines.contains("     far too long to fit in the narrow"), "\(wrapped)")
        #expect(lines.contains("void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);"))
        #expect(lines.contains("    indented code that is much longer than the width and must stay on its one line"))
        #expect(lines.contains("| a table | row that is long and must stay as it is, whatever the width says |"))
        #expect(lines.first == "Two things to know:" && lines[1] == "")
    }

    @Test func aWordWiderThanTheLineIsNeverBroken() {
        let url = "https://example.org/a/very/long/path/that/does/not/fit/anywhere"
        let wrapped = TextWrap.prose("see \(url) for more", width: 20)
        #expect(wrapped == "see\n\(url)\nfor more", "\(wrapped)")
        // A code span wider than the whole line is split at its own spaces, not mid-word.
        let code = "`mmap(NULL, 208896, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)`"
        let split = TextWrap.prose("expected \(code) here", width: 30)
        #expect(Self.words(split).joined(separator: " ") == "expected \(code) here".replacingOccurrences(of: "  ", with: " "))
        #expect(split.split(separator: "\n").allSatisfy { ReportRenderer.cellWidth(String($0)) <= 30 }, "\(split)")
    }

    @Test func anUnclosedBacktickIsAnOrdinaryCharacter() {
        #expect(TextWrap.words("a `b c") == ["a", "`b", "c"])
        #expect(TextWrap.words("``a ` b`` c") == ["``a ` b``", "c"])
    }

    @Test func feedbackLinesKeepTheirIndentAndHangUnderIt() {
        let text = "  expected `mmap(NULL, 8192, …) = $a`: your program asked mmap for 4096 bytes (length); this exercise wants 8192\n    mmap(NULL, 4096) = 0x7f"
        let wrapped = TextWrap.lines(text, width: 50)
        let lines = wrapped.split(separator: "\n").map(String.init)
        #expect(lines[0] == "  expected `mmap(NULL, 8192, …) = $a`: your", "\(wrapped)")
        #expect(lines.dropFirst().dropLast().allSatisfy { $0.hasPrefix("    ") && !$0.hasPrefix("     ") }, "\(wrapped)")
        #expect(lines.last == "    mmap(NULL, 4096) = 0x7f")
        #expect(lines.allSatisfy { ReportRenderer.cellWidth($0) <= 50 }, "\(wrapped)")
        #expect(TextWrap.lines("short\n  lines\n", width: 50) == "short\n  lines\n")
    }

    @Test func checkTextWrapsItsProseOnlyWhenGivenAWidth() {
        let explanation = "expected `mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a`: your program asked mmap for 4096 bytes (length); this exercise wants 8192 (two pages of 4096 bytes)"
        let trace = "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fbf000"
        let result = ExerciseResult(exercise: "mmap-params/anon-two-pages", status: .failed, score: 0, maxScore: 10,
                                    cases: [CaseResult(name: "default", status: .failed, explanation: explanation, feedback: explanation, trace: [trace])])
        let plain = CheckText.render(result, file: "anon.c")
        #expect(plain.contains("  " + explanation + "\n"))
        let narrow = CheckText.render(result, file: "anon.c", width: 60)
        #expect(!narrow.contains(explanation))
        #expect(narrow.contains("    " + trace), "the trace is never wrapped: \(narrow)")
        #expect(narrow.split(separator: "\n").filter { !$0.contains(trace) }.allSatisfy { ReportRenderer.cellWidth(String($0)) <= 60 }, "\(narrow)")
        func spaced(_ text: String) -> String { text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
        #expect(spaced(narrow).contains(spaced(explanation)), "\(narrow)")
    }
}
