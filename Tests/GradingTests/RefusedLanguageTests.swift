// A file in a language the exercise refuses is named in check --all.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading
import TestSupport

@Suite struct RefusedLanguageTests {
    // A file in a language the exercise refuses is named, not silently `missing`.
    @Test func checkAllNamesAFileInARefusedLanguage() throws {
        let folder = scratchFolder()
        try FileManager.default.createDirectory(atPath: folder + "/hw/fixture-memory", withIntermediateDirectories: true)
        try "print(1)\n".write(toFile: folder + "/hw/fixture-memory/two-pages.swift", atomically: false, encoding: .utf8)
        let result = LessonsBinary.run(["check", "--all", "hw", "--lessons", QAFixture.classLessons], in: folder)
        #expect(result.status == 1)
        #expect(result.stdout.contains("fixture-memory/two-pages.swift ignored: this exercise takes c only"), "\(result.stdout)")
    }
}
