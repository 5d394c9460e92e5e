// Predict-then-observe: scoring against a trace, and the REPL's `predict` through a pipe.

import EventBuilder
import Foundation
import Notebook
import Syscalls
import Testing
@testable import LessonsCLI
import TestSupport

@Suite("Predictions") struct PredictTests {
    static func call(_ name: String, _ number: Int, _ arguments: [UInt64] = [], _ result: Int64 = 0, sequence: Int) -> TraceEvent {
        TraceEvent(sequence: sequence, pid: 7, phase: .program,
                   kind: .syscall(EventBuilder.call(number: number, arguments, result)))
    }

    static let run: ProgramRun = {
        var events = [TraceEvent(sequence: 0, pid: 7, phase: .startup,
                                 kind: .syscall(EventBuilder.call("brk", [0], 1)))]
        events.append(call("brk", 12, [0], sequence: 1))
        events.append(call("brk", 12, [0x21000], sequence: 2))
        events.append(call("mmap", 9, [0, 208896, 3, 34], sequence: 3))
        events.append(call("write", 1, [1], sequence: 4))
        events.append(call("munmap", 11, [0x7f00, 208896], sequence: 5))
        return ProgramRun(events: events, rootPid: 7, exit: .exited(status: 0))
    }()

    static func prediction(_ answer: Prediction.Answer) -> Prediction {
        Prediction(question: LocalizedText("Q"), answer: answer, location: SourceLocation(file: "x.md", line: 1))
    }

    static func score(_ answer: Prediction.Answer, _ text: String) -> PredictionScore? {
        try? PredictionScoring.score(prediction(answer), answer: text, run: run).get()
    }

    @Test func counts() {
        #expect(Self.score(.count(call: "brk"), "2")?.score == 1)      // start-up brk is not counted
        #expect(Self.score(.count(call: "brk"), "3")?.exact == false)
        #expect(Self.score(.count(call: "brk"), " 1 ")?.lines.first == "you predicted 1, the trace has 2 brk calls after main (1 more than you thought)")
        #expect(Self.score(.count(call: "mremap"), "0")?.exact == true)
        if case .success = PredictionScoring.score(Self.prediction(.count(call: "brk")), answer: "two", run: Self.run) { Issue.record("'two' accepted") }
    }

    @Test func arguments() {
        for text in ["208896", "0x33000", "204KiB", "204K", "204 KiB"] {
            #expect(Self.score(.argument(call: "mmap", occurrence: 1, index: 2), text)?.exact == true, "\(text)")
        }
        let off = Self.score(.argument(call: "mmap", occurrence: 1, index: 2), "204800")
        #expect(off?.exact == false && off!.lines.last!.hasSuffix("off by 4096 (1 page)"))
        #expect(Self.score(.argument(call: "mmap", occurrence: 2, index: 2), "1")?.score == 0)
    }

    @Test func callSequences() {
        let right = Self.score(.calls(only: ["brk", "mmap", "munmap"]), "brk\nbrk(0x21000) = 0x21000\nmmap\nmunmap\n")
        #expect(right?.exact == true)
        let wrong = Self.score(.calls(only: ["brk", "mmap", "munmap"]), "brk\nmmap\nmmap\n")
        #expect(wrong?.lines.suffix(5) == ["  brk", "- mmap", "+ brk", "  mmap", "+ munmap"])
        #expect(wrong.map { abs($0.score - 0.5) < 0.01 } == true)
        #expect(Self.score(.calls(only: []), "brk\nbrk\nmmap\nwrite\nmunmap")?.exact == true)
    }

    @Test func throughTheReplWithTheRealTracer() throws {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        let lessons = parts.joined(separator: "/") + "/Lessons"
        let result = LessonsBinary.run(["--lessons", lessons, "--plain"], in: temporaryDirectory(), stdin: "predict brk/five-small\n2\n")
        #expect(result.stdout.contains("Predict: Five malloc(5000) in a row"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("you predicted 2, the trace has 2 brk calls after main"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("OK exactly right"))
    }
}
