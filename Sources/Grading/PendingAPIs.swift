// TEMPORARY: stand-ins for the agreed APIs (BRIEF.md) of modules that have not landed in main
// yet, so that Grading compiles and runs. Each section is deleted as soon as the real module
// is merged. No result is faked: the Sandbox stand-in really traces the program with
// `Tracer.run` (without the sandbox's isolation and rlimits: wall timeout and output caps only).

import Foundation
import Syscalls
import Toolchain
import Notebook
import Sandbox
import Tracing

struct PendingModule: Error, CustomStringConvertible {
    var name: String
    var description: String { "module \(name) has not landed yet; merge main and rebuild" }
}

// MARK: Sandbox
struct SandboxedRun: Sendable {
    var outcome: TraceOutcome
    var status: Status?
    var notes: [String]
}

enum Sandbox {
    static func run(executable: String, arguments: [String], stdin: [UInt8]?, files: [String: String],
                    environment: [String: String], limits: RunLimits, pinCPU: Int?,
                    extras: TraceExtraOptions = TraceExtraOptions()) throws -> SandboxedRun {
        let fileManager = FileManager.default
        let scratch = NSTemporaryDirectory() + "lessons-run-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
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
        request.extras = extras  // hook: beyond (inject: rules, library calls)
        let outcome = try Tracer.run(request)
        var status: Status?
        if outcome.timedOut { status = .timeout }
        else if outcome.outputLimitExceeded { status = .outputLimit }
        else if case .killed? = outcome.run.exit { status = .crashed }
        return SandboxedRun(outcome: outcome, status: status, notes: ["interim: run traced without the sandbox's isolation"])
    }
}

