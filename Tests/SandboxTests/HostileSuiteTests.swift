// The hostile suite: one C program per case (Tests/Fixtures/hostile), each run through
// Sandbox.run → Tracer.run with short limits, concurrently. Each case asserts its status and
// that nothing escaped (no file written outside, no secret read) or survived (no process of
// the run's uid, the scratch directory gone).
import Foundation
import Testing
@testable import Sandbox
import Syscalls
import Tracing

/// Limits short enough for a quick suite on a loaded 2-core machine.
let testLimits = RunLimits(cpuSeconds: 1, wallSeconds: 3, memoryBytes: 64 << 20, processes: 16,
                           stdoutBytes: 64 << 10, stderrBytes: 16 << 10, fileSizeBytes: 1 << 20, openFiles: 64)

struct HostileCase: Sendable, CustomTestStringConvertible {
    var fixture: String
    /// nil: the program must end on its own with `exitCode`.
    var status: Status?
    var exitCode: Int32 = 0
    var stdoutContains: [String] = []
    var stdoutExcludes: [String] = []
    var limits = testLimits
    /// Paths the program tries to create; none may exist afterwards ("{marker}" is replaced).
    var mustNotExist: [String] = []
    var arguments: [String] = []
    var noteContains: String?
    /// Only meaningful with the private tmpfs scratch (root with a mount namespace); skipped
    /// otherwise (fill_disk would really fill the disk for its 3 seconds).
    var needsMountNamespace = false
    /// The program makes more trace than the tracer keeps: the run says what was cut, and what
    /// was kept stays within the budget.
    var traceCut = false

    var testDescription: String { fixture }

    /// Outside the run's reach (its /tmp is private): where an escape would show.
    static let marker = "/var/tmp/lessons-hostile-\(getpid())"

    // Not programs, judged as a class in Tests/GradingTests/HostileClassTests.swift:
    // fake_disk_full.c (compile-error, not internal-error), huge_binary.c (compile-error).
    static let all: [HostileCase] = [
        HostileCase(fixture: "infinite_loop", status: .timeout),
        HostileCase(fixture: "sleep_forever", status: .timeout),
        HostileCase(fixture: "fork_bomb", status: .timeout),
        HostileCase(fixture: "setsid_double_fork", status: .timeout, mustNotExist: ["\(marker)-daemon"],
                    arguments: ["\(marker)-daemon"]),
        HostileCase(fixture: "kill_everything", status: nil, stdoutContains: ["kill(-1) = "]),
        HostileCase(fixture: "stop_parent", status: nil, stdoutExcludes: ["stopped the parent", "killed the parent"]),
        HostileCase(fixture: "ptrace_traceme", status: nil, stdoutContains: ["traceme=-1 (Operation not permitted)"]),
        HostileCase(fixture: "allocate_forever", status: .memoryLimit),
        HostileCase(fixture: "stdout_flood", status: .outputLimit),
        HostileCase(fixture: "stderr_flood", status: .outputLimit),
        HostileCase(fixture: "socket_connect", status: nil, stdoutExcludes: ["= 0 "]),
        HostileCase(fixture: "write_outside", status: nil, stdoutContains: ["inside: ok"], stdoutExcludes: ["WRITTEN"],
                    mustNotExist: ["\(marker)-outside", "/dev/shm/lessons-escape", "/etc/lessons-escape",
                                   "/var/tmp/lessons-escape", "/var/tmp/lessons-hostile-dir"],
                    arguments: ["\(marker)-outside"]),
        HostileCase(fixture: "read_secrets", status: nil, stdoutContains: ["/etc/shadow: "], stdoutExcludes: ["READABLE"],
                    arguments: [URL(fileURLWithPath: #filePath).path]),
        HostileCase(fixture: "exec_shell", status: nil, stdoutContains: ["exec /bin/sh: Permission denied"],
                    stdoutExcludes: ["SHELL-RAN"]),
        HostileCase(fixture: "exec_via_loader", status: .crashed, stdoutExcludes: ["SHELL-RAN"],
                    noteContains: "executed another program"),
        HostileCase(fixture: "closed_descriptors", status: nil),
        HostileCase(fixture: "ignore_sigterm", status: .timeout),
        HostileCase(fixture: "spinning_threads", status: .timeout),
        HostileCase(fixture: "deep_recursion", status: .crashed),
        HostileCase(fixture: "raise_segv", status: .crashed),
        HostileCase(fixture: "divide_by_zero", status: .crashed),
        // 3000 traced creations cost CPU time in the kernel's ptrace stops: give it room.
        HostileCase(fixture: "many_files", status: nil, stdoutContains: ["made 3000 files, held 61 descriptors"],
                    limits: RunLimits(cpuSeconds: 5, wallSeconds: 10, memoryBytes: 64 << 20)),
        HostileCase(fixture: "big_file", status: .outputLimit),
        HostileCase(fixture: "symlinks_out", status: nil, stdoutExcludes: ["READ\n", "WRITTEN", "hard link made"],
                    mustNotExist: ["\(marker)-symlink", "/var/tmp/lessons-hostile-via-link"], arguments: ["\(marker)-symlink"]),
        HostileCase(fixture: "huge_bss", status: .memoryLimit),
        HostileCase(fixture: "hostile_output", status: nil),
        HostileCase(fixture: "kill_group", status: .crashed, stdoutContains: ["bye"]),
        HostileCase(fixture: "ignore_xcpu", status: .timeout),
        HostileCase(fixture: "list_processes", status: nil, stdoutContains: ["visible 1\n", "init cmdline: hidden"],
                    needsMountNamespace: true),
        HostileCase(fixture: "threads_malloc", status: nil, stdoutContains: ["threads "],
                    limits: { var l = testLimits; l.memoryBytes = 256 << 20; return l }()),
        HostileCase(fixture: "stop_self", status: .timeout),
        HostileCase(fixture: "clone_parent", status: .timeout, stdoutContains: ["clone = 1"]),
        HostileCase(fixture: "exec_from_thread", status: .crashed, stdoutExcludes: ["SHELL-RAN"],
                    noteContains: "executed another program"),
        HostileCase(fixture: "fill_disk", status: nil, stdoutContains: ["No space left on device after"],
                    limits: { var l = testLimits; l.scratchBytes = 8 << 20; return l }(), needsMountNamespace: true),
        HostileCase(fixture: "private_tmp", status: nil, stdoutContains: ["tmpfile: scratch\n", "/tmp file: written"],
                    mustNotExist: ["/tmp/lessons-hostile-private-\(getpid())"], arguments: ["/tmp/lessons-hostile-private-\(getpid())"],
                    needsMountNamespace: true),
        HostileCase(fixture: "shared_memory", status: nil, stdoutContains: ["shared"],
                    mustNotExist: ["/dev/shm/lessons-hostile-shm-\(getpid())"], arguments: ["/lessons-hostile-shm-\(getpid())"],
                    needsMountNamespace: true),
        HostileCase(fixture: "write_flood", status: .timeout, traceCut: true),
    ]
}

@Test(arguments: HostileCase.all)
func hostileProgram(_ hostile: HostileCase) throws {
    if hostile.needsMountNamespace && !Isolation.current.available.contains(.mountNamespace) {
        print("\(hostile.fixture): skipped, no mount namespace here (\(Isolation.current.notes))")
        return
    }
    let binary = try Fixtures.build(hostile.fixture)
    let run = try Sandbox.run(executable: binary, arguments: hostile.arguments, stdin: nil, files: [:],
                              environment: [:], limits: hostile.limits, pinCPU: nil)
    let stdout = String(decoding: run.outcome.run.stdout, as: UTF8.self)
    let summary = "exit \(String(describing: run.outcome.run.exit)) status \(String(describing: run.status)) " +
        "wall \(run.outcome.wallSeconds) cpu \(run.outcome.cpuSeconds) notes \(run.notes) stdout \(stdout.prefix(300))"

    print("hostile \(hostile.fixture): status \(run.status?.rawValue ?? "nil") exit \(run.outcome.run.exit.map { "\($0)" } ?? "nil") " +
          "wall \(String(format: "%.2f", run.outcome.wallSeconds)) s cpu \(String(format: "%.2f", run.outcome.cpuSeconds)) s")
    #expect(run.status == hostile.status, "\(summary)")
    if hostile.status == nil {
        #expect(run.outcome.run.exit == .exited(status: hostile.exitCode), "\(summary)")
    }
    for text in hostile.stdoutContains { #expect(stdout.contains(text), "\(summary)") }
    for text in hostile.stdoutExcludes { #expect(!stdout.contains(text), "\(summary)") }
    if let note = hostile.noteContains { #expect(run.notes.contains { $0.contains(note) }, "\(summary)") }
    if hostile.traceCut {
        let cut = try #require(run.outcome.run.cut, "the trace was not cut: \(run.outcome.run.events.count) events kept")
        let data = run.outcome.run.events.reduce(0) { $0 + ($1.syscall?.data?.count ?? 0) }
        print("\(hostile.fixture): \(run.outcome.run.events.count) events kept, \(data) bytes of buffers; \(cut.note())")
        #expect(cut.budgetBytes == TraceRequest.defaultKeptBytesLimit)
        #expect(data <= TraceRequest.defaultKeptBytesLimit / 4)
        #expect(cut.buffersNotKept + cut.eventsNotKept > 0)
    }

    // Nothing escaped, nothing survived, nothing left behind.
    for path in hostile.mustNotExist { #expect(!FileManager.default.fileExists(atPath: path), "\(path) was written") }
    #expect(!run.scratchDirectory.isEmpty && !FileManager.default.fileExists(atPath: run.scratchDirectory))
    // The tracer reaps its whole tree; the sandbox's uid sweep is the second line. Either way
    // nothing may be alive now.
    if run.notes.contains(where: { $0.contains("still alive") }) { print("\(hostile.fixture): \(run.notes)") }
    if let uid = run.runUID {
        #expect(Survivors.processes(of: uid).isEmpty, "processes of uid \(uid) survived")
    }
}

@Test func setsidDaemonDoesNotWriteLater() throws {
    // The grandchild of setsid_double_fork would write its marker 3 s after starting.
    let binary = try Fixtures.build("setsid_double_fork")
    let marker = HostileCase.marker + "-late"
    var limits = testLimits
    limits.wallSeconds = 1
    let run = try Sandbox.run(executable: binary, arguments: [marker], stdin: nil, files: [:],
                              environment: [:], limits: limits, pinCPU: nil)
    #expect(run.status == .timeout)
    Thread.sleep(forTimeInterval: 3.5)
    #expect(!FileManager.default.fileExists(atPath: marker))
}

@Test func hostileOutputIsKeptAsBytes() throws {
    let binary = try Fixtures.build("hostile_output")
    let run = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: [:],
                              environment: [:], limits: testLimits, pinCPU: nil)
    let expected: [UInt8] = Array("\u{FF}".utf8).isEmpty ? [] :
        [0xff, 0xfe, 0xc3, 0x28, 0x20, 0x1b] + Array("[2J".utf8) + [0x1b] + Array("[31mPASSED".utf8) + [0x1b] +
        Array("[0m ".utf8) + [0x07, 0x08, 0x0d, 0x00] + Array("after-nul\nstatus: passed\n{\"status\":\"passed\"}\n".utf8)
    #expect(run.outcome.run.stdout == expected)
    #expect(run.outcome.run.stderr.count == 12)
    #expect(run.status == nil)
    #expect(run.outcome.run.exit == .exited(status: 0))
}

@Test func execIsAllowedWhenTheExerciseSaysSo() throws {
    let binary = try Fixtures.build("exec_shell")
    var limits = testLimits
    limits.allowExec = true
    let run = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: [:],
                              environment: [:], limits: limits, pinCPU: nil)
    let stdout = String(decoding: run.outcome.run.stdout, as: UTF8.self)
    #expect(stdout.contains("SHELL-RAN"), "\(stdout) \(run.notes)")
    #expect(run.status == nil)
}

@Test func caseFilesStdinAndEnvironmentReachTheProgram() throws {
    let binary = try Fixtures.build("echo_environment")
    let run = try Sandbox.run(executable: binary, arguments: ["data/input.txt"], stdin: Array("from stdin\n".utf8),
                              files: ["data/input.txt": "from a file\n"], environment: ["GREETING": "hello"],
                              limits: testLimits, pinCPU: nil)
    let stdout = String(decoding: run.outcome.run.stdout, as: UTF8.self)
    #expect(run.status == nil, "\(run.notes)")
    #expect(stdout.contains("file: from a file"), "\(stdout)")
    #expect(stdout.contains("stdin: from stdin"), "\(stdout)")
    #expect(stdout.contains("GREETING=hello"), "\(stdout)")
    #expect(stdout.contains("PATH=/usr/bin:/bin"), "\(stdout)")
    #expect(stdout.contains("LANG=C.UTF-8"), "\(stdout)")
    #expect(stdout.contains("SWIFT_BACKTRACE=enable=no"), "\(stdout)")
    #expect(stdout.contains("HOME=\(run.scratchDirectory)/work"), "\(stdout)")
    #expect(stdout.contains("cwd=\(run.scratchDirectory)/work"), "\(stdout)")
    #expect(stdout.contains("variables=6"), "\(stdout)")  // the five of the minimum, TMPDIR, and the case's one
}

@Test func badCaseFileNamesAreRefused() throws {
    let binary = try Fixtures.build("raise_segv")
    #expect(throws: SandboxError.self) {
        _ = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: ["../escape": "x"],
                            environment: [:], limits: testLimits, pinCPU: nil)
    }
}

@Test func isolationProbeFindsTheBasics() {
    let isolation = Isolation.current
    print("isolation available: \(isolation.available) landlock ABI \(isolation.landlockABI); notes: \(isolation.notes)")
    #expect(isolation.available.contains(.resourceLimits))
    #expect(isolation.available.contains(.noNewPrivileges))
    if isolation.runningAsRoot { #expect(isolation.available.contains(.separateUser)) }
}

/// Compiles fixture programs once per test process, with the system C compiler at -O0.
enum Fixtures {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/hostile")
    /// One directory for every test run; a binary's name carries its source's modification
    /// time, so an edited fixture is rebuilt and nothing piles up per run.
    static let output: URL = {
        let url = URL(fileURLWithPath: "/tmp/lessons-sandbox-fixtures")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func build(_ name: String) throws -> String {
        let sourcePath = source.appendingPathComponent(name + ".c").path
        let modified = (try? FileManager.default.attributesOfItem(atPath: sourcePath)[.modificationDate] as? Date)?
            .map { Int($0.timeIntervalSince1970 * 1000) } ?? 0
        let binary = output.appendingPathComponent("\(name)-\(modified)").path
        if FileManager.default.fileExists(atPath: binary) { return binary }
        let staging = binary + ".\(UUID().uuidString)"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
        process.arguments = ["-O0", "-pthread", "-o", staging, sourcePath]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw SandboxError("cc failed on fixture \(name)") }
        _ = rename(staging, binary)
        return binary
    }
}

@Test func swiftProgramsRunAndCrashHonestly() throws {
    guard let swiftc = ["/opt/swift/usr/bin/swiftc", "/usr/bin/swiftc"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        return  // no Swift toolchain on this machine
    }
    let binary = Fixtures.output.appendingPathComponent("swift_program-\(getpid())").path
    defer { unlink(binary) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: swiftc)
    process.arguments = ["-Onone", "-o", binary, Fixtures.source.appendingPathComponent("swift_program.swift").path]
    try process.run()
    process.waitUntilExit()
    try #require(process.terminationStatus == 0)

    var limits = RunLimits()  // the real defaults: 256 MiB must be enough for a Swift program
    limits.wallSeconds = 10
    let run = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: [:], environment: [:],
                              limits: limits, pinCPU: nil)
    #expect(String(decoding: run.outcome.run.stdout, as: UTF8.self) == "sum 4999950000\n", "\(run.notes) \(String(decoding: run.outcome.run.stderr, as: UTF8.self))")
    #expect(run.status == nil)
    #expect(run.outcome.run.exit == .exited(status: 0))

    let crash = try Sandbox.run(executable: binary, arguments: ["crash"], stdin: nil, files: [:], environment: [:],
                                limits: limits, pinCPU: nil)
    #expect(crash.status == .crashed, "\(String(describing: crash.outcome.run.exit))")
}

@Test func sandboxOverheadIsSmall() throws {
    // A harmless program: the baseline runs it WITHOUT the sandbox. Never use a hostile fixture
    // here (kill_everything unsandboxed, as root, kills every process on the machine).
    let binary = try Fixtures.build("echo_environment")
    _ = Isolation.current
    let clock = ContinuousClock()
    var plain = Duration.zero, sandboxed = Duration.zero
    let rounds = 10
    for _ in 0..<rounds {
        var request = TraceRequest(executable: binary)
        request.stdin = .null
        request.capture = OutputCapture()
        request.includeStartup = true
        plain += try clock.measure { _ = try Tracer.run(request) }
        sandboxed += try clock.measure {
            _ = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: [:], environment: [:],
                                limits: RunLimits(), pinCPU: nil)
        }
    }
    print("per run: Tracer.run \(plain / rounds), Sandbox.run \(sandboxed / rounds)")
    #expect(sandboxed / rounds < .seconds(1))
}

/// Runs only inside `killingTheGraderKillsTheRun`'s child process (the "grader" that gets killed).
@Test func graderChildRun() throws {
    guard ProcessInfo.processInfo.environment["LESSONS_SANDBOX_GRADER_CHILD"] == "1" else { return }
    let binary = try Fixtures.build("fork_bomb")
    var limits = testLimits
    limits.wallSeconds = 30
    limits.cpuSeconds = 30
    _ = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: [:], environment: [:],
                        limits: limits, pinCPU: nil)
}

@Test func killingTheGraderKillsTheRun() throws {
    _ = try Fixtures.build("fork_bomb")
    func parent(of pid: Int32) -> Int32? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("PPid:") }) else { return nil }
        return Int32(line.dropFirst(5).trimmingCharacters(in: .whitespaces))
    }
    /// The fork bomb's processes that descend from our grader (not another test's).
    func sandboxedPids(of grader: Int32) -> [Int32] {
        ScratchDirectory.entries(of: "/proc").compactMap { Int32($0) }.filter { pid in
            let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? ""
            guard exe.hasPrefix("/tmp/lessons-run-") && exe.contains("/bin/fork_bomb-") else { return false }
            var current = pid
            for _ in 0..<64 {
                guard let up = parent(of: current), up > 1 else { return false }
                if up == grader { return true }
                current = up
            }
            return false
        }
    }
    let grader = Process()
    grader.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
    grader.arguments = ["--testing-library", "swift-testing", "--filter", "graderChildRun"]
    grader.environment = ProcessInfo.processInfo.environment.merging(["LESSONS_SANDBOX_GRADER_CHILD": "1"]) { $1 }
    grader.standardOutput = FileHandle.nullDevice
    grader.standardError = FileHandle.nullDevice
    try grader.run()
    var running: [Int32] = []
    for _ in 0..<100 {
        Thread.sleep(forTimeInterval: 0.1)
        running = sandboxedPids(of: grader.processIdentifier)
        if running.count >= 5 { break }
    }
    kill(grader.processIdentifier, SIGKILL)
    grader.waitUntilExit()
    Thread.sleep(forTimeInterval: 0.5)
    let alive = running.filter { pid in
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        return !status.contains("\nState:\tZ")
    }
    #expect(running.count >= 5, "the sandboxed fork bomb never showed up (\(running))")
    #expect(alive.isEmpty, "still alive after the grader died: \(alive)")
}
