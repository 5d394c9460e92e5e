// A case's `inject:` rules reach the tracer: a program that checks malloc survives the second
// allocation failing, one that does not crashes (Tests/Fixtures/beyond).

import Foundation
import Notebook
import Testing
@testable import Grading

@Suite("Exercise cases with inject:") struct BeyondInjectTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/beyond").path

    static func exercise() throws -> Exercise {
        let (pack, diagnostics) = LessonPack.load(directory: fixtures + "/lessons")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let exercise = try #require(pack.exercise("inject/second-fails"))
        #expect(exercise.cases.first?.inject == ["mmap:error=ENOMEM:when=2+", "brk:error=ENOMEM:when=3+"])
        return exercise
    }

    @Test func aCheckingProgramPasses() throws {
        let result = try Checker(options: CheckOptions(retryInternalErrors: false)).check(file: Self.fixtures + "/twice.c", exercise: try Self.exercise())
        #expect(result.status == .passed, "\(result.feedback) \(result.notes)")
    }

    @Test func anUncheckedProgramCrashes() throws {
        let result = try Checker(options: CheckOptions(retryInternalErrors: false)).check(file: Self.fixtures + "/unchecked.c", exercise: try Self.exercise())
        #expect(result.status == .crashed, "\(result.feedback) \(result.notes)")
    }

    @Test func aBadRuleIsReportedWithItsLine() throws {
        var exercise = try Self.exercise()
        exercise.cases[0].inject = ["mmap:error=ENOTREAL"]
        let result = try Checker(options: CheckOptions(retryInternalErrors: false)).check(file: Self.fixtures + "/twice.c", exercise: exercise)
        #expect(result.status == .internalError)
        #expect(result.notes.joined().contains("01-inject.md:"), "\(result.notes)")
        #expect(result.notes.joined().contains("unknown errno 'ENOTREAL'"), "\(result.notes)")
    }
}

@Suite("Expectations naming library calls") struct BeyondLibraryCallCheckTests {
    static func exercise() throws -> Exercise {
        let (pack, diagnostics) = LessonPack.load(directory: BeyondInjectTests.fixtures + "/lessons")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(pack.exercise("calls/pair"))
    }

    @Test func mallocThenFreeOfTheSamePointerPasses() throws {
        let result = try Checker(options: CheckOptions(retryInternalErrors: false)).check(file: BeyondInjectTests.fixtures + "/twice.c", exercise: try Self.exercise())
        #expect(result.status == .passed, "\(result.feedback) \(result.notes)")
    }

    @Test func aLeakFailsOnTheFreeLine() throws {
        let result = try Checker(options: CheckOptions(retryInternalErrors: false)).check(file: BeyondInjectTests.fixtures + "/leak.c", exercise: try Self.exercise())
        #expect(result.status == .failed, "\(result.feedback) \(result.notes)")
        #expect(result.feedback.contains("free($p)"), "\(result.feedback)")
    }
}
