// The decoders against the installed strace: the C program in OracleSource.swift makes ~500 calls with chosen
// arguments and records their raw registers, return values and memory; strace traces the same
// run. Every recorded call, rendered by StraceFormat, must equal strace's line byte for byte.
import Foundation
import Testing
@testable import Syscalls

@Suite struct StraceOracleTests {
    struct Recorded {
        var number: Int
        var arguments: [UInt64]
        var returnValue: Int64
        var memory = FakeMemory()
    }

    static var straceAvailable: Bool { Tool.which("strace") != nil && Tool.which("cc") != nil }

    @Test(.enabled(if: StraceOracleTests.straceAvailable, "needs strace and cc"))
    func everyLineMatchesStrace() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = try Tool.compileC(oracleSource, in: dir, name: "oracle")
        let traceFile = dir.appendingPathComponent("trace.txt").path
        let run = try Tool.run("/usr/bin/timeout", ["60", Tool.which("strace")!, "-o", traceFile, binary], in: dir)
        #expect(run.status == 0, "strace -o \(traceFile) \(binary): \(run.output)")

        let straceLines = try String(contentsOfFile: traceFile, encoding: .utf8).split(separator: "\n").map(String.init)
        guard let start = straceLines.firstIndex(where: { $0.hasPrefix("getppid()") }),
              let end = straceLines[(start + 1)...].firstIndex(where: { $0.hasPrefix("getppid()") }) else {
            Issue.record("no getppid() markers in \(traceFile)"); return
        }
        let expected = Array(straceLines[(start + 1)..<end])

        var calls: [Recorded] = []
        for line in try String(contentsOf: dir.appendingPathComponent("side.txt"), encoding: .utf8).split(separator: "\n") {
            let words = line.split(separator: " ")
            if words[0] == "call" {
                calls.append(Recorded(number: Int(words[1])!, arguments: words[2...7].map { UInt64($0)! },
                                      returnValue: Int64(words[8])!))
            } else if words[0] == "mem" {
                let hexText = words.count > 2 ? Array(words[2].utf8) : []
                var bytes: [UInt8] = []
                var index = 0
                while index + 1 < hexText.count {
                    bytes.append(UInt8(String(decoding: hexText[index...index + 1], as: UTF8.self), radix: 16)!)
                    index += 2
                }
                calls[calls.count - 1].memory.map(UInt64(words[1])!, bytes)
            }
        }
        #expect(calls.count == expected.count, "recorded \(calls.count) calls, strace printed \(expected.count) lines")

        var mismatches: [String] = []
        for (call, straceLine) in zip(calls, expected) {
            let event = decode(call.number, call.arguments, returns: call.returnValue, memory: call.memory)
            let ours = line(event)
            if ours != straceLine { mismatches.append("strace: \(straceLine)\nours:   \(ours)") }
        }
        #expect(mismatches.isEmpty, Comment(rawValue: "\(mismatches.count) of \(calls.count) lines differ:\n" + mismatches.prefix(40).joined(separator: "\n")))
        #expect(calls.count > 400)
    }
}
