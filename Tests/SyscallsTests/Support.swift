// Test support: a fake tracee memory, running the C compiler and strace.
import Foundation
@testable import Syscalls

/// Tracee memory made of a few regions; reads outside them fail like unmapped memory.
struct FakeMemory: TraceeMemory {
    var regions: [(address: UInt64, bytes: [UInt8])] = []

    mutating func map(_ address: UInt64, _ bytes: [UInt8]) { regions.append((address, bytes)) }
    mutating func map(_ address: UInt64, _ text: String) { map(address, Array(text.utf8)) }
    mutating func mapCString(_ address: UInt64, _ text: String) { map(address, Array(text.utf8) + [0]) }
    mutating func mapPointers(_ address: UInt64, _ pointers: [UInt64]) {
        map(address, pointers.flatMap { pointer in (0..<8).map { UInt8(truncatingIfNeeded: pointer >> (8 * UInt64($0))) } })
    }

    func read(address: UInt64, count: Int) -> [UInt8]? {
        for region in regions where address >= region.address && address < region.address + UInt64(region.bytes.count) {
            let start = Int(address - region.address)
            return Array(region.bytes[start..<min(region.bytes.count, start + count)])
        }
        return nil
    }

    func readCString(address: UInt64, limit: Int) -> [UInt8]? {
        guard let bytes = read(address: address, count: limit + 1) else { return nil }
        if let nul = bytes.firstIndex(of: 0) { return Array(bytes[..<nul]) }
        return bytes.count > limit ? Array(bytes.prefix(limit)) : nil  // unterminated: unreadable
    }
}

/// Runs one decoded call through entry and exit, as the tracer does.
func decode(_ number: Int, _ args: [UInt64], returns: Int64?, memory: TraceeMemory = FakeMemory(),
            exitMemory: TraceeMemory? = nil) -> SyscallEvent {
    let padded = args + [UInt64](repeating: 0, count: max(0, 6 - args.count))
    let entry = SyscallDecoder.entry(number: number, arguments: padded, memory: memory)
    return SyscallDecoder.exit(entry, returnValue: returns, memory: exitMemory ?? memory)
}

func line(_ call: SyscallEvent, pid: Int32 = 100, showPid: Bool = false) -> String {
    StraceFormat.line(TraceEvent(sequence: 0, pid: pid, phase: .program, kind: .syscall(call)), showPid: showPid)
}

enum Tool {
    static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    @discardableResult
    /// Runs a tool; `directory` becomes the child's working directory. Never change the test
    /// process's own directory: tests run in parallel, and a compiler started from a directory
    /// that another test has removed crashes (swiftc traps in Foundation).
    static func run(_ executable: String, _ arguments: [String], stdout: String? = nil, in directory: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        // Into a file, waited for with a deadline: a stuck tool fails the test, never hangs the suite.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("syscalls-tests-run-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning { usleep(10_000) }
            try? handle.close()
            return (-1, "\(executable) did not finish within 300 s; killed it")
        }
        process.waitUntilExit()
        try? handle.close()
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("syscalls-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Compiles C source; returns the binary path. Throws with the compiler's message.
    static func compileC(_ source: String, in directory: URL, name: String) throws -> String {
        let file = directory.appendingPathComponent("\(name).c")
        try source.write(to: file, atomically: true, encoding: .utf8)
        let binary = directory.appendingPathComponent(name).path
        let result = try run(which("cc") ?? "/usr/bin/cc", ["-O0", "-w", "-o", binary, file.path])
        if result.status != 0 { throw TestFailure("cc \(file.path) failed:\n\(result.output)") }
        return binary
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
