// A failed check's feedback quotes the learner's line that led to the nearest event
// (Tests/Fixtures/quote): a program that maps one page where two are wanted is told which
// line of its own file did it; a hidden expectation quotes nothing.

import Expectations
import Foundation
import Notebook
import Syscalls
import Testing
@testable import Grading

@Suite("Feedback quotes the learner's line") struct SourceQuoteTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/quote").path

    static func exercise(_ id: String) throws -> Exercise {
        let (pack, diagnostics) = LessonPack.load(directory: fixtures + "/lessons")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(pack.exercise(id))
    }

    static func check(_ file: String, _ id: String, language: String = "en") throws -> ExerciseResult {
        try Checker(options: CheckOptions(language: language, retryInternalErrors: false))
            .check(file: fixtures + "/" + file, exercise: try exercise(id))
    }

    @Test func aCProgramMappingOnePageIsShownItsLine() throws {
        let result = try Self.check("anon.c", "pages/two")
        #expect(result.status == .failed, "\(result.feedback) \(result.notes)")
        let failure = try #require(result.cases.first?.failures.first)
        let source = try #require(failure.source, "\(result.feedback)")
        #expect(source == SourceQuote(file: "anon.c", line: 7, function: "main",
                                      code: "char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);"))
        #expect(result.feedback.contains("at anon.c:7 in main: char *p = mmap(NULL, page,"), "\(result.feedback)")
        let text = CheckText.render(result, file: "anon.c")
        #expect(text.contains("at anon.c:7 in main: char *p = mmap("), "\(text)")
        // JSON keeps the location.
        let json = String(decoding: try JSONEncoder().encode(result), as: UTF8.self)
        #expect(json.contains(#""source":{"#), "\(json)")
        #expect(json.contains(#""function":"main""#), "\(json)")
    }

    @Test func koreanFeedbackQuotesTheSameLine() throws {
        let result = try Self.check("anon.c", "pages/two", language: "ko")
        #expect(result.feedback.contains("위치: anon.c:7 (main): char *p = mmap(NULL, page,"), "\(result.feedback)")
    }

    @Test func aSwiftProgramMappingOnePageIsShownItsLine() throws {
        let result = try Self.check("anon.swift", "pages/two")
        #expect(result.status == .failed, "\(result.feedback) \(result.notes)")
        let source = try #require(result.cases.first?.failures.first?.source, "\(result.feedback)")
        #expect(source.file == "anon.swift" && source.line == 6, "\(source)")
        #expect(result.feedback.contains("at anon.swift:6"), "\(result.feedback)")
        #expect(result.feedback.contains(": guard let p = mmap(nil, page,"), "\(result.feedback)")
    }

    @Test func aHiddenFailureQuotesNothing() throws {
        let result = try Self.check("anon.c", "pages/secret")
        #expect(result.status == .failed, "\(result.feedback) \(result.notes)")
        #expect(result.cases.allSatisfy { $0.failures.allSatisfy { $0.source == nil } })
        #expect(!result.feedback.contains("anon.c:"), "\(result.feedback)")
        #expect(!result.feedback.contains("mmap"), "\(result.feedback)")
        let text = CheckText.render(result, file: "anon.c")
        #expect(!text.contains("anon.c:7"), "\(text)")
        let json = String(decoding: try JSONEncoder().encode(result.cases.map(\.learnerView)), as: UTF8.self)
        #expect(!json.contains("mmap(NULL, page"), "\(json)")
    }

    @Test func theQuotedLineIsTrimmedEscapedAndCapped() {
        #expect(SourceQuote.shown("\t  int x = 1;  \r") == "int x = 1;")
        #expect(SourceQuote.shown("a\u{1b}[31mb") == "a\\u{1b}[31mb")
        #expect(SourceQuote.shown("x\u{202E}y") == "x\\u{202e}y")
        let long = SourceQuote.shown(String(repeating: "a", count: 300))
        #expect(long.count == SourceQuote.maxCodeCharacters && long.hasSuffix("…"))
    }

    @Test func aLineOutsideTheLearnersFileIsNotQuoted() {
        let header = EventSource(file: "stdlib.h", line: 3, function: "main")
        #expect(SourceQuote.make(header, learnerFile: Self.fixtures + "/anon.c", compiledName: "two.c") == nil)
        let past = EventSource(file: "two.c", line: 999, function: "main")
        let quote = SourceQuote.make(past, learnerFile: Self.fixtures + "/anon.c", compiledName: "two.c")
        #expect(quote == SourceQuote(file: "anon.c", line: 999, function: "main", code: nil))
        #expect(quote?.rendered(words: Words("en")) == "at anon.c:999 in main")
    }

    @Test func aSourceReadsAsTheTracePrintsIt() {
        #expect(EventSource(file: "five.c", line: 6, function: "main").description == "five.c:6 in main")
        #expect(EventSource(file: "five.c", line: 6).description == "five.c:6")
    }
}

@Suite("Source lines only for failed cases") struct SourceQuoteRerunTests {
    @Test func aFixedProgramPassesWithNothingQuoted() throws {
        // The C fixture fixed to map two pages passes; its result carries no quote.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quote-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let source = try String(contentsOfFile: SourceQuoteTests.fixtures + "/anon.c", encoding: .utf8)
            .replacingOccurrences(of: "long page = sysconf(_SC_PAGESIZE);", with: "long page = 2 * sysconf(_SC_PAGESIZE);")
        try source.write(toFile: dir + "/anon.c", atomically: true, encoding: .utf8)
        let result = try Checker(options: CheckOptions(retryInternalErrors: false))
            .check(file: dir + "/anon.c", exercise: try SourceQuoteTests.exercise("pages/two"))
        #expect(result.status == .passed, "\(result.feedback) \(result.notes)")
    }
}
