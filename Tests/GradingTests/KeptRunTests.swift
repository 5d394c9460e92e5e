// CaseResult.run: the traced run of each case for callers that want it, never in reports.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading

@Suite struct KeptRunTests {
    // The traced run of each case is handed to callers that ask (keepRuns), never encoded.
    @Test func aKeptRunIsTheTracedRunAndIsNotEncoded() throws {
        let pack = LoadedPack.load(directory: QAFixture.classLessons)
        let exercise = try #require(pack.exercise("fixture-memory/two-pages"))
        let file = QAFixture.classSolutions + "/fixture-memory/two-pages.c"
        let kept = try Checker(options: CheckOptions(keepRuns: true)).check(file: file, exercise: exercise)
        #expect(kept.status == .passed)
        let run = try #require(kept.cases.first?.run)
        #expect(run.events.contains { event in
            if case .syscall(let call) = event.kind { return call.name == "munmap" }
            return false
        })
        let json = String(decoding: try JSONEncoder().encode(kept), as: UTF8.self)
        #expect(!json.contains("\"run\""))
        #expect(!json.contains("events"))
        let plain = try Checker().check(file: file, exercise: exercise)
        #expect(plain.cases.first?.run == nil)
        #expect(plain.cases.map(\.name) == kept.cases.map(\.name))
    }
}
