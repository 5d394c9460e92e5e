// Files saved on Windows (CR LF line ends, a UTF-8 byte order mark, no final line end): a
// lesson pack, solutions and a class folder in that form lint, check and grade as their LF
// forms do; the tool's own reading of a learner's file (the quoted line, `@main`, similarity)
// is the same too.

import Foundation
import Notebook
import Testing
@testable import Grading
import TestSupport

/// `bytes` as a Windows editor saves them: CR LF line ends, maybe a byte order mark, maybe no
/// final line end.
func windowsBytes(_ bytes: [UInt8], byteOrderMark: Bool = true, finalLineEnd: Bool = false) -> [UInt8] {
    var out: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
    for byte in bytes { out += byte == 0x0A ? [0x0D, 0x0A] : [byte] }
    if !finalLineEnd, out.last == 0x0A { out.removeLast(2) }
    return out
}

@Suite struct WindowsFilesTests {
    /// Rewrites every file under `folder` as a Windows editor saves it.
    static func saveOnWindows(_ folder: String) throws {
        let files = try #require(FileManager.default.enumerator(atPath: folder)).compactMap { $0 as? String }
        for name in files {
            let path = folder + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let data = try #require(FileManager.default.contents(atPath: path))
            try Data(windowsBytes(Array(data))).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func aPackSolutionsAndClassSavedOnWindowsLintCheckAndGrade() throws {
        let folder = scratchFolder("windows")
        QAFixture.copy(QAFixture.learnerLessons, to: folder + "/Lessons")
        QAFixture.copy(QAFixture.learnerSolutions, to: folder + "/Solutions")
        QAFixture.copy(QAFixture.learnerSolutions, to: folder + "/class/kim")
        try Self.saveOnWindows(folder)
        let crlf = try #require(FileManager.default.contents(atPath: folder + "/Lessons/01-basics.md"))
        try #require(crlf.starts(with: [0xEF, 0xBB, 0xBF]) && crlf.contains(0x0D))

        let lint = LessonsBinary.run(["lint", "Lessons", "--jobs", "2"], in: folder)
        #expect(lint.status == 0, "\(lint.stderr)")
        #expect(lint.stderr.contains("2 solutions checked"), "\(lint.stderr)")
        #expect(!lint.stderr.contains("warning"), "\(lint.stderr)")

        let env = ["LESSONS_PATH": folder + "/Lessons"]
        let check = LessonsBinary.run(["check", "class/kim/basics/one-page.c"], in: folder, environment: env)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stderr.isEmpty, "\(check.stderr)")

        let grade = LessonsBinary.run(["grade", "class", "--jobs", "2"], in: folder, environment: env)
        #expect(grade.status == 0, "\(grade.stderr)")
        #expect(grade.stdout.contains("kim") && grade.stdout.contains("10/10"), "\(grade.stdout)")
        #expect(!grade.stdout.contains("missing"), "\(grade.stdout)")
    }

    // The line a failure quotes is read from the learner's CR LF file as from its LF form.
    @Test func aQuotedLineOfACRLFFileIsTheLFFormsLine() throws {
        let folder = scratchFolder("windows-quote")
        let lf = try #require(FileManager.default.contents(atPath: SourceQuoteTests.fixtures + "/anon.c"))
        try Data(windowsBytes(Array(lf))).write(to: URL(fileURLWithPath: folder + "/anon.c"))
        let result = try Checker(options: CheckOptions(language: "en", retryInternalErrors: false))
            .check(file: folder + "/anon.c", exercise: try SourceQuoteTests.exercise("pages/two"))
        #expect(result.status == .failed, "\(result.feedback) \(result.notes)")
        let source = try #require(result.cases.first?.failures.first?.source, "\(result.feedback)")
        #expect(source == SourceQuote(file: "anon.c", line: 7, function: "main",
                                      code: "char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);"))
        // A byte order mark is not quoted as part of the first line.
        try Data(windowsBytes(Array("int main(void) {\n}\n".utf8))).write(to: URL(fileURLWithPath: folder + "/one.c"))
        #expect(SourceQuote.codeLine(folder + "/one.c", line: 1) == "int main(void) {")
        #expect(SourceQuote.codeLine(folder + "/one.c", line: 2) == "}")
    }

    // Similar submissions are found whatever editor saved them.
    @Test func similarityTokensIgnoreLineEnds() {
        let source = "#include <stdio.h>\n#define BIG \\\n    (1 << 20)\nint main(void) {\n    // hi\n    return printf(\"%d\\n\", BIG) < 0;\n}\n"
        let windows = String(decoding: windowsBytes(Array(source.utf8)), as: UTF8.self)
        func shown(_ text: String) -> [String] { Similarity.tokens(text, language: .c).map { "\($0.text)@\($0.line)" } }
        #expect(shown(windows) == shown(source))
        #expect(shown(source).first == "int@4", "the #define and its continuation are left out")
    }

    // `lessons record` writes a CR LF lesson back as CR LF, its byte order mark kept.
    @Test func recordingIntoACRLFLessonKeepsItsLineEnds() throws {
        let folder = scratchFolder("windows-record")
        let lf = "---\nid: a\ntitle: A\norder: 1\n---\n\n```trace\nold\n```\n"
        let path = folder + "/01-a.md"
        try Data(windowsBytes(Array(lf.utf8), finalLineEnd: true)).write(to: URL(fileURLWithPath: path))
        try LessonRecorder.rewrite(path, replacements: [(range: 7...9, lines: ["new 1", "new 2"])],
                                   platform: try #require(RecordingPlatform(parsing: "glibc 2.36, Linux 6.1, x86_64")))
        let written = try #require(FileManager.default.contents(atPath: path))
        let expected = "---\nid: a\ntitle: A\norder: 1\nrecorded: glibc 2.36, Linux 6.1, x86_64\n---\n\n```trace\nnew 1\nnew 2\n```\n"
        #expect(Array(written) == windowsBytes(Array(expected.utf8), finalLineEnd: true),
                "\(String(decoding: written, as: UTF8.self).debugDescription)")
    }
}
