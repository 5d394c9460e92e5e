// Signal decoding against the installed strace: the C program in SignalOracleSource.swift raises
// SIGSEGV (MAPERR, ACCERR, SI_KERNEL), SIGBUS, SIGFPE, SIGILL, SIGTRAP, kill/tgkill/raise/sigqueue
// signals, SIGALRM and SIGCHLD for children that exit or die, and records each siginfo from an
// SA_SIGINFO handler — the same bytes PTRACE_GETSIGINFO gives strace. Every decoded siginfo must
// give strace's `--- SIG… {…} ---` line exactly.
import Foundation
import Testing
@testable import Syscalls

@Suite struct SignalOracleTests {
    @Test(.enabled(if: StraceOracleTests.straceAvailable, "needs strace and cc"))
    func everySignalLineMatchesStrace() throws {
        let dir = try Tool.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let binary = try Tool.compileC(signalOracleSource, in: dir, name: "sigoracle")
        let traceFile = dir.appendingPathComponent("trace.txt").path
        let run = try Tool.run("/usr/bin/timeout", ["60", Tool.which("strace")!, "-o", traceFile, binary], in: dir)
        #expect(run.status == 0, "strace -o \(traceFile) \(binary): \(run.output)")

        let expected = try String(contentsOfFile: traceFile, encoding: .utf8).split(separator: "\n")
            .filter { $0.hasPrefix("--- SIG") && !$0.hasPrefix("--- SIGCONT") }.map(String.init)
        // (strace started by `timeout` sees a SIGCONT from it before the program runs; the program sends none.)
        var recorded: [[UInt8]] = []
        for line in try String(contentsOf: dir.appendingPathComponent("side.txt"), encoding: .utf8).split(separator: "\n") {
            let hexText = Array(line.dropFirst(4).utf8)
            recorded.append(stride(from: 0, to: hexText.count - 1, by: 2).map {
                UInt8(String(decoding: hexText[$0...$0 + 1], as: UTF8.self), radix: 16)!
            })
        }
        #expect(recorded.count == expected.count)
        #expect(recorded.count >= 20)
        var mismatches: [String] = []
        for (siginfo, straceLine) in zip(recorded, expected) {
            #expect(siginfo.count == 128)
            let signal = SyscallDecoder.signal(siginfo: siginfo)
            let ours = StraceFormat.line(TraceEvent(sequence: 0, pid: 1, phase: .program, kind: .signal(signal)), showPid: false)
            if ours != straceLine { mismatches.append("strace: \(straceLine)\nours:   \(ours)") }
        }
        #expect(mismatches.isEmpty, Comment(rawValue: mismatches.joined(separator: "\n")))
    }
}
