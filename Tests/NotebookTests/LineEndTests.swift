// A lesson file saved on Windows (CR LF line ends, maybe a byte order mark, maybe no final line
// end) is the same lesson as its LF form; what cannot be taken (a CR alone, UTF-16, bytes that
// are not UTF-8) is one diagnostic naming the file and the line.

import Foundation
import Testing
@testable import Notebook

/// The bundled lesson pack (Lessons/ of this repository).
private let bundledPack = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Lessons").path

/// `text` as a Windows editor saves it.
func windowsForm(_ text: String, byteOrderMark: Bool = false, finalLineEnd: Bool = true) -> String {
    var bytes: [UInt8] = byteOrderMark ? [0xEF, 0xBB, 0xBF] : []
    for byte in text.utf8 { bytes += byte == 0x0A ? [0x0D, 0x0A] : [byte] }
    if !finalLineEnd, bytes.last == 0x0A { bytes.removeLast(2) }
    return String(decoding: bytes, as: UTF8.self)
}

@Test func linesEndAtLFAndCRLFAlike() {
    var texts = ["", "\n", "\n\n", "a", "a\n", "a\n\n", "\nb", "a\nb\n", "é\n\u{301}x\n", "한국어\n줄\n", "---\nid: a\n"]
    var generator = SystemRandomNumberGenerator()
    let pieces = ["\n", "a", "é", "\u{301}", " ", "한", "\t"]
    for _ in 0..<300 {
        texts.append((0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined())
    }
    for text in texts {
        let lf = LessonText(text)
        let split = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        #expect(lf.lines == Array(split.dropLast(text.hasSuffix("\n") ? 1 : 0)), "\(Array(text.utf8))")
        #expect(lf.loneCarriageReturns.isEmpty)
        for bom in [false, true] {
            let crlf = LessonText(windowsForm(text, byteOrderMark: bom))
            #expect(crlf.lines == lf.lines, "\(Array(text.utf8)) bom \(bom)")
            #expect(crlf.loneCarriageReturns.isEmpty)
            #expect(crlf.byteOrderMark == bom)
            // Written back exactly as read.
            #expect(crlf.text == windowsForm(text, byteOrderMark: bom), "\(Array(text.utf8))")
            // Without its final line end: the lines of the LF form without its final "\n".
            let cut = text.hasSuffix("\n") ? String(decoding: text.utf8.dropLast(), as: UTF8.self) : text
            #expect(LessonText(windowsForm(text, byteOrderMark: bom, finalLineEnd: false)).lines == LessonText(cut).lines)
        }
        #expect(LessonText(text).text == text)
    }
    #expect(LessonText("a\r\nb").lineEnd == "\r\n" && LessonText("a\nb\r\n").lineEnd == "\n")
}

@Test func aCarriageReturnAloneIsNamedByLineAndColumn() {
    #expect(LessonText("ab\rc\nd\r\n").loneCarriageReturns.map { [$0.line, $0.column] } == [[0, 3]])
    #expect(LessonText("x\n한\r\r\n").loneCarriageReturns.map { [$0.line, $0.column] } == [[1, 2]])
    #expect(LessonText("a\r").loneCarriageReturns.isEmpty)   // the file's last byte: a line end
    let (_, diagnostics) = LessonParser.parse("---\nid: a\ntitle: A\norder: 1\n---\n\nOld Mac\rline ends\r", file: "mac.md")
    #expect(diagnostics.map(\.description) == ["mac.md:7:8: a carriage return (CR) that does not end a line: line ends here are LF or CR LF; save the file with one of them"])
}

@Test func everyBundledLessonSavedOnWindowsIsTheSameLesson() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: bundledPack).filter { $0.hasSuffix(".md") && $0 != "README.md" }
    try #require(names.count >= 7)
    for name in names {
        let text = try String(contentsOfFile: bundledPack + "/" + name, encoding: .utf8)
        let lf = LessonParser.parse(text, file: name)
        let lesson = try #require(lf.lesson, "\(name): \(lf.diagnostics)")
        try #require(!lesson.exercises.isEmpty || !lesson.blocks.isEmpty)
        for (bom, final) in [(false, true), (true, true), (false, false), (true, false)] {
            let crlf = LessonParser.parse(windowsForm(text, byteOrderMark: bom, finalLineEnd: final), file: name)
            #expect(crlf.lesson == lesson, "\(name) bom \(bom) final line end \(final)")
            #expect(crlf.diagnostics == lf.diagnostics, "\(name)")
        }
    }
}

@Test func aPackSavedOnWindowsLoadsAsItsLFForm() throws {
    let files = ["01-a.md": lessonFile(id: "a", order: 1, exercise: "x"),
                 "02-b.md": lessonFile(id: "b", order: 2, requires: "a", exercise: "y")]
    let lf = try makeDirectory(files)
    let crlf = try makeDirectory(files.mapValues { windowsForm($0, byteOrderMark: true, finalLineEnd: false) })
    let (lfPack, lfDiagnostics) = LessonPack.load(directory: lf)
    let (crlfPack, crlfDiagnostics) = LessonPack.load(directory: crlf)
    #expect(lfDiagnostics.isEmpty && crlfDiagnostics.isEmpty, "\(crlfDiagnostics)")
    // The same lessons, locations and all, but for the directory in their paths.
    func json(_ lessons: [Lesson], _ directory: String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(lessons), as: UTF8.self).replacingOccurrences(of: directory, with: "DIR")
    }
    #expect(try json(crlfPack.lessons, crlf) == json(lfPack.lessons, lf))
    #expect(crlfPack.lessons.map(\.id) == ["a", "b"])
    // `check FILE` parses one lesson alone: the front matter scan reads the CR LF file too.
    #expect(LessonPack.declaredID(crlf + "/02-b.md") == "b")
    let one = LessonPack.load(directory: crlf, lesson: "b")
    #expect(one.partial)
    #expect(try json(one.pack.lessons, crlf) == json(lfPack.lessons.filter { $0.id == "b" }, lf))
}

@Test func aLessonFileNotInUTF8IsOneDiagnosticNamingTheLine() throws {
    var utf16 = Data([0xFF, 0xFE])
    utf16.append(lessonFile(id: "a", order: 1).data(using: .utf16LittleEndian)!)
    var latin1 = Data(lessonFile(id: "b", order: 2).utf8)
    latin1.append(Data("Caf".utf8) + Data([0xE9]) + Data("\n".utf8))
    let dir = try makeDirectory([:])
    try utf16.write(to: URL(fileURLWithPath: dir + "/01-a.md"))
    try latin1.write(to: URL(fileURLWithPath: dir + "/02-b.md"))
    let (pack, diagnostics) = LessonPack.load(directory: dir)
    #expect(pack.lessons.isEmpty)
    #expect(diagnostics.map(\.description) == [
        dir + "/01-a.md:1:1: this lesson file is UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8",
        dir + "/02-b.md:8:1: this lesson file is not valid UTF-8 (this line has a byte that is not): save it as UTF-8",
    ])
}
