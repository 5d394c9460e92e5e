// A broken exercise shows its own diagnostic.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading
import TestSupport

@Suite struct BrokenExerciseTests {
    // The diagnostic that breaks the exercise is shown, not an unrelated one of its file.
    @Test func theBrokenExpectationIsShownFirst() throws {
        let folder = scratchFolder("broken")
        var text = try String(contentsOfFile: QAFixture.classLessons + "/01-fixture-memory.md", encoding: .utf8)
        text = text.replacingOccurrences(of: "order: 1\n", with: "order: 1\nrequires: no-such-lesson\n")
        text = text.replacingOccurrences(of: "munmap($a, 8192) = 0", with: "munmap($a, 8192 = 0")
        try FileManager.default.createDirectory(atPath: folder + "/pack", withIntermediateDirectories: true)
        try text.write(toFile: folder + "/pack/01-fixture-memory.md", atomically: false, encoding: .utf8)
        QAFixture.copy(QAFixture.classSolutions + "/fixture-memory/two-pages.c", to: folder + "/s/fixture-memory/two-pages.c")
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("munmap($a, 8192 = 0") }! + 1
        let result = LessonsBinary.run(["check", "s/fixture-memory/two-pages.c", "--lessons", "pack"], in: folder)
        #expect(result.status == 2)
        let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix("pack/01-fixture-memory.md:\(line):"), "\(result.stderr)")
        // The other exercises of the file are not broken by it.
        QAFixture.copy(QAFixture.classSolutions + "/fixture-memory/big-chunk.c", to: folder + "/s/fixture-memory/big-chunk.c")
        let other = LessonsBinary.run(["check", "s/fixture-memory/big-chunk.c", "--lessons", "pack"], in: folder)
        #expect(other.status == 0, "\(other.stdout)\(other.stderr)")
    }
}
