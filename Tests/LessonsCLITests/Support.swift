// Helpers for the learner tests: temporary directories and the fixture lesson pack (the built
// `lessons` executable is run by TestSupport's LessonsBinary).

import Foundation
import Testing
@testable import LessonsCLI
import TestSupport

enum Fixture {
    /// `Tests/Fixtures/learner`: a two-exercise C lesson pack and its solutions.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/learner").path
    static var lessons: String { root + "/Lessons" }
    static func solution(_ id: String) -> String { root + "/Solutions/\(id).c" }
}

func temporaryDirectory() -> String {
    TestScratch.directory("lessons-learner")
}

func write(_ text: String, to path: String) {
    try! FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try! text.write(toFile: path, atomically: false, encoding: .utf8)
}

func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
