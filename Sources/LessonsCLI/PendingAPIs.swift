// TEMPORARY: a stand-in for `Sandbox.run` (BRIEF.md), which has not landed in main yet.
// Nothing is faked: it really traces the program with `Tracer.run`, in a scratch directory,
// with the wall timeout and output caps of the limits, but without the sandbox's isolation
// and rlimits. Deleted as soon as the real one is merged.

import Foundation
import Sandbox
import Syscalls
import Tracing
#if canImport(Glibc)
import Glibc
#endif

struct SandboxedRun: Sendable {
    var outcome: TraceOutcome
    var status: Status?
    var notes: [String]
}

enum Sandbox {
    static func run(executable: String, arguments: [String], stdin: [UInt8]?, files: [String: String],
                    environment: [String: String], limits: RunLimits, pinCPU: Int?) throws -> SandboxedRun {
        let fileManager = FileManager.default
        let scratch = NSTemporaryDirectory() + "lessons-learner-run-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        try fileManager.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? fileManager.removeItem(atPath: scratch) }
        for (name, contents) in files {
            try contents.write(toFile: scratch + "/" + name, atomically: false, encoding: .utf8)
        }
        var request = TraceRequest(executable: executable, arguments: arguments)
        request.environment = environment
        request.workingDirectory = scratch
        request.stdin = stdin.map { .bytes($0) } ?? .null
        request.capture = OutputCapture(stdoutLimit: limits.stdoutBytes, stderrLimit: limits.stderrBytes)
        request.includeStartup = true
        request.timeout = limits.wallSeconds
        request.pinCPU = pinCPU
        let outcome = try Tracer.run(request)
        var status: Status?
        if outcome.timedOut { status = .timeout } else if outcome.outputLimitExceeded { status = .outputLimit } else if case .killed? = outcome.run.exit { status = .crashed }
        return SandboxedRun(outcome: outcome, status: status, notes: [])
    }
}
