// Fixture programs (Tests/Fixtures/trace/*.c) compiled once per test run with `cc -O0 -g`,
// and small helpers to run them under the tracer.

import Synchronization
import Syscalls
import Testing
@testable import Tracing
#if canImport(Glibc)
import Glibc
#endif

enum Fixture {
    /// `Tests/Fixtures/<set>`: `trace` (the tracer's), `beyond` (fault injection, source lines, library calls).
    static func sourceDirectory(of set: String) -> String {
        // …/Tests/TracingTests/Fixtures.swift → …/Tests/Fixtures/<set>
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        return parts.joined(separator: "/") + "/Fixtures/" + set
    }

    static let sourceDirectory = sourceDirectory(of: "trace")

    /// Shared by test runs: a binary's name carries a hash of its source, so runs reuse it and
    /// never see a stale one (compiled to a temporary name, then renamed into place).
    static let buildDirectory: String = {
        let path = "/tmp/lessons-tracing-fixtures"
        mkdir(path, 0o755)
        return path
    }()

    private static let built = Mutex<[String: String]>([:])

    /// The path of the compiled fixture `name` of `set` (`name.c`, or `name.swift` with swiftc).
    static func path(_ name: String, of set: String = "trace") throws -> String {
        try built.withLock { cache in
            if let path = cache[set + "/" + name] { return path }
            let directory = sourceDirectory(of: set)
            let swift = access("\(directory)/\(name).swift", F_OK) == 0
            let source = "\(directory)/\(name).\(swift ? "swift" : "c")"
            let fd = open(source, O_RDONLY)
            guard fd >= 0, let bytes = FileReader(fd: fd).readAll(limit: 1 << 20) else { throw FixtureError("cannot read \(source)") }
            close(fd)
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            let output = "\(buildDirectory)/\(name)-\(String(hash, radix: 16))"
            if access(output, X_OK) != 0 {
                let temporary = "\(output).\(getpid()).tmp"
                let command = swift
                    ? ["swiftc", "-Onone", "-g", "-o", temporary, source]
                    : ["cc", "-O0", "-g", "-w", "-pthread", "-o", temporary, source]
                let status = try runCommand(command)
                guard status == 0 else { throw FixtureError("\(command.joined(separator: " ")) exited with \(status)") }
                rename(temporary, output)
            }
            cache[set + "/" + name] = output
            return output
        }
    }

    /// Runs a command (no tracing) and returns its exit status; output goes to the test log.
    static func runCommand(_ command: [String], stdoutPath: String? = nil) throws -> Int32 {
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let stdoutPath { posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        // The test runner's threads block most signals: give the child a clean mask and defaults.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = command.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let rc = posix_spawnp(&pid, command[0], &actions, &attributes, argv, environ)
        guard rc == 0 else { throw FixtureError("cannot run \(command[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Traces fixture `name` with `arguments`, recording everything by default.
    static func trace(_ name: String, _ arguments: [String] = [], includeStartup: Bool = true,
                      configure: (inout TraceRequest) -> Void = { _ in }) throws -> TraceOutcome {
        var request = TraceRequest(executable: try path(name), arguments: arguments)
        request.includeStartup = includeStartup
        request.stdin = .null
        request.capture = OutputCapture(stdoutLimit: 1 << 20, stderrLimit: 1 << 16)
        request.timeout = 20
        configure(&request)
        return try Tracer.run(request)
    }

    static func isStraceInstalled() -> Bool {
        access("/usr/bin/strace", X_OK) == 0
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension ProgramRun {
    var calls: [SyscallEvent] { events.compactMap(\.syscall) }
    func calls(_ number: Int) -> [SyscallEvent] { calls.filter { $0.number == number } }
    var signals: [SignalEvent] {
        events.compactMap { if case .signal(let signal) = $0.kind { return signal } else { return nil } }
    }
    func exits(pid: Int32? = nil) -> [ProcessExit] {
        events.compactMap { event in
            if case .exit(let exit) = event.kind, pid == nil || event.pid == pid { return exit }
            return nil
        }
    }
}

/// Whether a process still exists (a zombie counts as gone).
func processExists(_ pid: Int32) -> Bool {
    let fd = open("/proc/\(pid)/stat", O_RDONLY)
    if fd < 0 { return false }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 512)
    let n = read(fd, &buffer, 512)
    guard n > 0, let close = buffer[0..<n].lastIndex(of: UInt8(ascii: ")")), close + 2 < n else { return false }
    return buffer[close + 2] != UInt8(ascii: "Z") && buffer[close + 2] != UInt8(ascii: "X")
}
