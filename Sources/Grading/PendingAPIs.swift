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
struct RunLimits: Sendable, Codable {
    var cpuSeconds: Double = 2
    var wallSeconds: Double = 6
    var memoryBytes: Int = 256 << 20
    var processes: Int = 16
    var stdoutBytes: Int = 1 << 20
    var stderrBytes: Int = 64 << 10
    var fileSizeBytes: Int = 1 << 20
    var openFiles: Int = 64
    var allowExec: Bool = false
    init() {}
}

struct SandboxedRun: Sendable {
    var outcome: TraceOutcome
    var status: Status?
    var notes: [String]
}

enum Sandbox {
    static func run(executable: String, arguments: [String], stdin: [UInt8]?, files: [String: String],
                    environment: [String: String], limits: RunLimits, pinCPU: Int?,
                    faultInjections: [FaultInjection] = []) throws -> SandboxedRun {
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
        request.faultInjections = faultInjections  // hook: beyond (a case's inject: rules)
        let outcome = try Tracer.run(request)
        var status: Status?
        if outcome.timedOut { status = .timeout }
        else if outcome.outputLimitExceeded { status = .outputLimit }
        else if case .killed? = outcome.run.exit { status = .crashed }
        return SandboxedRun(outcome: outcome, status: status, notes: ["interim: run traced without the sandbox's isolation"])
    }
}

// MARK: Toolchain
struct CompileRequest: Sendable {
    var source: String
    var language: Language
    var displayName: String
}

enum CompileResult: Sendable {
    case success(binary: String, warnings: String)
    case failure(diagnostics: String)
}

enum Compiler {
    /// Interim: `cc -O0 -g` / `swiftc -Onone -g` into a per-source binary under the temp folder.
    static func compile(_ request: CompileRequest) throws -> CompileResult {
        guard let source = FileManager.default.contents(atPath: request.source) else {
            throw PendingModule(name: "Toolchain (cannot read \(request.source))")
        }
        let directory = NSTemporaryDirectory() + "lessons-interim-binaries"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let cc = ProcessInfo.processInfo.environment["CC"].flatMap { $0.isEmpty ? nil : $0 } ?? "cc"
        let key = SHA256.hex(Array("\(request.language.rawValue)\u{0}\(cc)".utf8) + [0] + [UInt8](source))
        let binary = "\(directory)/\(key)"
        if FileManager.default.isExecutableFile(atPath: binary) { return .success(binary: binary, warnings: "") }
        // Compile a copy named like the learner's file, so diagnostics name it.
        let work = "\(directory)/\(key).work"
        try? FileManager.default.removeItem(atPath: work)
        let named = "\(work)/\(request.displayName)"
        try FileManager.default.createDirectory(atPath: (named as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try source.write(to: URL(fileURLWithPath: named))
        defer { try? FileManager.default.removeItem(atPath: work) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.currentDirectoryURL = URL(fileURLWithPath: work)
        let output = "\(binary).\(getpid()).tmp"
        guard request.language == .swift || cc.contains("/") == false || FileManager.default.isExecutableFile(atPath: cc) else {
            throw PendingModule(name: "Toolchain (no C compiler at \(cc))")
        }
        process.arguments = request.language == .c
            ? [cc, "-O0", "-g", "-o", output, request.displayName]
            : ["swiftc", "-Onone", "-g", "-o", output, request.displayName]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let diagnostics = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return .failure(diagnostics: diagnostics) }
        guard rename(output, binary) == 0 else { throw PendingModule(name: "Toolchain (cannot store \(binary))") }
        return .success(binary: binary, warnings: diagnostics)
    }
}
