// The hostile suite: one C program per case (Tests/Fixtures/hostile), each run through
// Sandbox.run → Tracer.run with short limits, concurrently. Each case asserts its status and
// that nothing escaped (no file written outside, no secret read) or survived (no process of
// the run's uid, the scratch directory gone).
import Foundation
import Testing
@testable import Sandbox
import Syscalls
import Toolchain
import Tracing
import Vocabulary

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
    /// Only meaningful with the private tmpfs scratch (root, or a user namespace); skipped
    /// otherwise (fill_disk would really fill the disk for its 3 seconds).
    var needsMountNamespace = false
    /// Needs a /proc of the run's own (root only).
    var needsPrivateProc = false
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
        // Ends in well under a second; the wall limit is room for a loaded machine, not what is tested.
        HostileCase(fixture: "closed_descriptors", status: nil,
                    limits: { var l = testLimits; l.wallSeconds = 20; return l }()),
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
                    needsMountNamespace: true, needsPrivateProc: true),
        HostileCase(fixture: "threads_malloc", status: nil, stdoutContains: ["threads "],
                    limits: { var l = testLimits; l.memoryBytes = 256 << 20; return l }()),
        HostileCase(fixture: "stop_self", status: .timeout),
        // CLONE_PARENT is refused (seccomp): the tracer's thread gets no child of the program's.
        HostileCase(fixture: "clone_parent", status: nil, stdoutContains: ["clone = -1"]),
        // A thread's arena reserves 64 MiB of address space: without a memory cgroup the limit is
        // RLIMIT_AS, so the thread needs room to exist before its execve is what ends the run.
        HostileCase(fixture: "exec_from_thread", status: .crashed, stdoutExcludes: ["SHELL-RAN"],
                    limits: { var l = testLimits; l.memoryBytes = 256 << 20; l.wallSeconds = 20; return l }(),
                    noteContains: "executed another program"),
        HostileCase(fixture: "fill_disk", status: nil, stdoutContains: ["No space left on device after"],
                    limits: { var l = testLimits; l.scratchBytes = 8 << 20; return l }(), needsMountNamespace: true),
        HostileCase(fixture: "private_tmp", status: nil, stdoutContains: ["tmpfile: scratch\n", "/tmp file: written"],
                    mustNotExist: ["/tmp/lessons-hostile-private-\(getpid())"], arguments: ["/tmp/lessons-hostile-private-\(getpid())"],
                    needsMountNamespace: true),
        HostileCase(fixture: "read_mountinfo", status: nil, stdoutContains: ["/proc/self/mountinfo: "],
                    stdoutExcludes: ["lessons-run-"], needsMountNamespace: true),
        // Issue 12, item 1: refused by seccomp (EPERM); the run ends on its own, nothing is left.
        HostileCase(fixture: "untraced_clone_hang", status: nil,
                    stdoutContains: ["clone = -1 Operation not permitted", "clone3 = -1 Function not implemented"]),
        // Item 2: no untraced child can exist, so no shell prints "ok" for the program.
        HostileCase(fixture: "untraced_shell", status: nil, exitCode: 1, stdoutExcludes: ["ok"]),
        // Memory for the run as a whole (a cgroup); without one, per process only. Touching 1.9 GiB
        // took 3 s of CPU here and 5.1 s on a CI machine: the CPU and wall limits are room, not
        // what is tested.
        HostileCase(fixture: "fork_memory", status: CgroupSupport.current.limitsMemory ? .memoryLimit : nil,
                    limits: RunLimits(cpuSeconds: 30, wallSeconds: 60, memoryBytes: 256 << 20, processes: 16),
                    noteContains: CgroupSupport.current.limitsMemory ? "all its processes together" : nil),
        HostileCase(fixture: "shared_memory", status: nil, stdoutContains: ["shared"],
                    mustNotExist: ["/dev/shm/lessons-hostile-shm-\(getpid())"], arguments: ["/lessons-hostile-shm-\(getpid())"],
                    needsMountNamespace: true),
        HostileCase(fixture: "write_flood", status: .timeout, traceCut: true),
    ]
}

@Test(arguments: HostileCase.all)
func hostileProgram(_ hostile: HostileCase) throws {
    if hostile.needsMountNamespace && !Isolation.current.available.contains(.mountNamespace)
        || hostile.needsPrivateProc && !Isolation.current.available.contains(.privateProc) {
        print("\(hostile.fixture): skipped, no mount namespace or private /proc here (\(Isolation.current.notes))")
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
    #expect(stdout.contains("HOME=\(run.workDirectory)\n"), "\(stdout)")
    #expect(stdout.contains("cwd=\(run.workDirectory)\n"), "\(stdout)")
    // With a private /tmp the run sees the same path every time, not the machine's scratch path.
    if Isolation.current.available.contains(.mountNamespace) {
        #expect(run.workDirectory == "/tmp/lessons-run/work")
        #expect(!stdout.contains(run.scratchDirectory), "\(stdout)")
    }
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
    let cgroups = CgroupSupport.current
    print("cgroups: v2 \(cgroups.unified.map { "\($0.directory) \($0.controllers.sorted())" } ?? "none"), v1 memory \(cgroups.memoryV1 ?? "none"), v1 pids \(cgroups.pidsV1 ?? "none"); notes: \(cgroups.notes)")
    #expect(isolation.available.contains(.resourceLimits))
    #expect(isolation.available.contains(.noNewPrivileges))
    if isolation.runningAsRoot { #expect(isolation.available.contains(.separateUser)) }
}

/// Item 1 and 2 with seccomp left out: the layers behind it (the tracer sees the untraced clone
/// and voids the run; the run's cgroup or uid and the tracer thread's children are killed when
/// the last traced process is gone) still end the run, kill everything and refuse the work.
@Test(.timeLimit(.minutes(10)), arguments: ["untraced_clone_hang", "untraced_shell"])
func untracedChildrenAreStoppedEvenWithoutSeccomp(_ fixture: String) throws {
    let binary = try Fixtures.build(fixture)
    let run = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: [:], environment: [:],
                              limits: testLimits, pinCPU: nil, trace: SandboxTraceOptions(), onEvent: nil,
                              without: .seccomp)
    let stdout = String(decoding: run.outcome.run.stdout, as: UTF8.self)
    #expect(run.status == .crashed, "\(String(describing: run.status)) \(run.notes) \(stdout)")
    #expect(run.notes.contains { $0.contains("could not follow") }, "\(run.notes)")
    #expect(!run.outcome.timedOut, "the run should end when its traced processes do, not at the wall limit")
    if let uid = run.runUID { #expect(Survivors.processes(of: uid).isEmpty, "processes of uid \(uid) survived") }
    Sandbox.finishCleanUp()
    for directory in run.cgroups { #expect(access(directory, F_OK) != 0, "\(directory) was not removed") }
}

/// Item 7: a real listening socket of the machine, world-writable, outside /tmp: the run reaches
/// it neither by connect() nor by sendto(), and its abstract twin neither.
@Test func unixSocketsOnTheMachineAreOutOfReach() throws {
    let listener = try TestSocket()
    defer { listener.close() }
    let binary = try Fixtures.build("unix_socket_connect")
    let run = try Sandbox.run(executable: binary, arguments: [listener.path], stdin: nil, files: [:],
                              environment: [:], limits: testLimits, pinCPU: nil)
    let stdout = String(decoding: run.outcome.run.stdout, as: UTF8.self)
    #expect(run.status == nil, "\(run.notes)")
    #expect(run.outcome.run.exit == .exited(status: 0), "\(stdout)")
    #expect(!stdout.contains("REACHED"), "\(stdout)")
    #expect(stdout.contains("stream pair: made"), "a connected pair stays allowed: \(stdout)")
    #expect(listener.wasReached() == false, "the listener was reached: \(stdout)")

    // The control: without seccomp's refusal nothing else stops it (Landlock does not cover
    // connect() to a socket file): the test's socket really is reachable, so the above means it.
    let open = try Sandbox.run(executable: binary, arguments: [listener.path], stdin: nil, files: [:], environment: [:],
                               limits: testLimits, pinCPU: nil, trace: SandboxTraceOptions(), onEvent: nil, without: .seccomp)
    #expect(String(decoding: open.outcome.run.stdout, as: UTF8.self).contains("connect REACHED"))
    #expect(listener.wasReached())
}

/// Every run of a process joins one empty network namespace and one host-name namespace (made
/// once: a fresh network namespace per run cost ~2 ms of every compile and run): not the
/// machine's, no interface up, none a program can bring up.
@Test func runsShareOneEmptyNetworkNamespace() throws {
    try #require(Isolation.current.available.contains(.networkNamespace), "no network namespace here: \(Isolation.current.notes)")
    let binary = try Fixtures.build("network_namespace")
    func run() throws -> String {
        let run = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: [:], environment: [:],
                                  limits: testLimits, pinCPU: nil)
        let stdout = String(decoding: run.outcome.run.stdout, as: UTF8.self)
        #expect(run.status == nil && run.outcome.run.exit == .exited(status: 0), "\(run.notes) \(stdout)")
        return stdout
    }
    let first = try run(), second = try run()
    let machine = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
    let namespace = try #require(first.split(separator: "\n").first { $0.hasPrefix("namespace net:[") }, "\(first)")
    #expect(!namespace.contains(machine), "the run is in the machine's network namespace: \(first)")
    #expect(second.contains(namespace), "two runs of one process are in different network namespaces: \(first) | \(second)")
    if Isolation.current.available.contains(.utsNamespace) {
        let machineNames = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/uts")
        let names = try #require(first.split(separator: "\n").first { $0.hasPrefix("host names uts:[") }, "\(first)")
        #expect(!names.contains(machineNames), "the run has the machine's host-name namespace: \(first)")
        #expect(second.contains(names), "two runs of one process have different host-name namespaces: \(first) | \(second)")
    }
    for output in [first, second] {
        #expect(!output.contains(" up\n"), "an interface is up: \(output)")
        #expect(output.contains("bring lo up = -1 Operation not permitted"), "\(output)")
    }
}

/// A world-writable UNIX socket at a path of its own in /var/tmp, listening (stream) and bound
/// (datagram, same path + ".d"), plus an abstract one; `wasReached` says whether anyone came.
struct TestSocket {
    let path: String
    private let stream: Int32
    private let datagram: Int32
    private let abstract: Int32

    init() throws {
        path = "/var/tmp/lessons-hostile-socket-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        stream = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        datagram = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        abstract = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard stream >= 0, datagram >= 0, abstract >= 0 else { throw SandboxError("socket: \(String(cString: strerror(errno)))") }
        guard TestSocket.bind(stream, path), listen(stream, 8) == 0,
              TestSocket.bind(datagram, path + ".d"),
              TestSocket.bind(abstract, "\0lessons-hostile-abstract"), listen(abstract, 8) == 0 else {
            throw SandboxError("bind: \(String(cString: strerror(errno)))")
        }
        chmod(path, 0o777)
        chmod(path + ".d", 0o777)
    }

    private static func bind(_ fd: Int32, _ name: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(name.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (name.hasPrefix("\0") ? 0 : 1))
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, length) == 0 }
        }
    }

    /// Whether a connection waits on either listener or a datagram arrived.
    func wasReached() -> Bool {
        for fd in [stream, abstract] {
            let client = accept(fd, nil, nil)
            if client >= 0 { Glibc.close(client); return true }
        }
        var byte: UInt8 = 0
        return recv(datagram, &byte, 1, Int32(MSG_DONTWAIT)) >= 0
    }

    func close() {
        for fd in [stream, datagram, abstract] { Glibc.close(fd) }
        unlink(path)
        unlink(path + ".d")
    }
}

/// Item 3: the compiler, assembler and linker read only what any student may: a submission
/// pulling /etc/shadow, the lesson's answer or another student's file into its program is a
/// compile error, and nothing of those files appears in what the compiler said.
@Test(arguments: ["compile_incbin_shadow.c", "compile_incbin_solution.c", "compile_include_sibling.c",
                  "compile_swift_secrets.swift"])
func hostileCompile(_ fixture: String) throws {
    let secrets = try CompileSecrets.shared.get()
    let work = NSTemporaryDirectory() + "lessons-hostile-compile-\(getpid())-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    let source = work + "/" + fixture
    try secrets.substitute(in: String(contentsOf: Fixtures.source.appendingPathComponent(fixture), encoding: .utf8))
        .write(toFile: source, atomically: true, encoding: .utf8)
    var environment = ProcessInfo.processInfo.environment
    environment["LESSONS_CACHE"] = CompileSecrets.cache
    let language: Vocabulary.Language = fixture.hasSuffix(".swift") ? .swift : .c
    let result = try Compiler.compile(CompileRequest(source: source, language: language, displayName: "mallory/hostile/" + fixture),
                                      environment: environment)
    guard case .failure(let diagnostics) = result else { Issue.record("\(fixture) compiled: \(result)"); return }
    print("hostile compile \(fixture): \(diagnostics.prefix(600).debugDescription)")
    for leaked in secrets.lines where diagnostics.contains(leaked) {
        Issue.record("\(fixture): the diagnostics quote a secret line: \(leaked)")
    }

    // The control: `.incbin` of a file any student may read works, so the refusals above are
    // the confinement's, not a broken fixture's.
    if fixture == "compile_incbin_solution.c" {
        let allowed = work + "/allowed.c"
        try String(contentsOf: Fixtures.source.appendingPathComponent(fixture), encoding: .utf8)
            .replacingOccurrences(of: "LESSONS_SECRET_PATH", with: "/etc/hostname")
            .write(toFile: allowed, atomically: true, encoding: .utf8)
        let control = try Compiler.compile(CompileRequest(source: allowed, language: .c, displayName: "allowed.c"),
                                           environment: environment)
        guard case .success = control else { Issue.record("the control did not compile: \(control)"); return }
    }
}

/// Compiles and runs keep their scratch folders on a memory file system where runs get a mount
/// namespace (ScratchParent), and /dev/shm is readable to every process: a confined compile sees
/// a /dev/shm of its own instead. A world-readable file in a world-searchable folder there (as
/// another run's copy of its program is) cannot be pulled into a submission.
@Test func compileCannotReadOtherScratchFolders() throws {
    let folder = ScratchParent.directory + "/lessons-probe-\(getpid())-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false,
                                            attributes: [.posixPermissions: 0o755])
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let marker = "another run's file \(UUID().uuidString)"
    let planted = folder + "/program"
    try (marker + "\n").write(toFile: planted, atomically: false, encoding: .utf8)
    try #require(chmod(planted, 0o644) == 0)

    let work = NSTemporaryDirectory() + "lessons-hostile-shm-\(getpid())-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }
    let source = work + "/incbin.c"
    try String(contentsOf: Fixtures.source.appendingPathComponent("compile_incbin_solution.c"), encoding: .utf8)
        .replacingOccurrences(of: "LESSONS_SECRET_PATH", with: planted)
        .write(toFile: source, atomically: true, encoding: .utf8)
    var environment = ProcessInfo.processInfo.environment
    environment["LESSONS_CACHE"] = CompileSecrets.cache
    let result = try Compiler.compile(CompileRequest(source: source, language: .c, displayName: "mallory/incbin.c"),
                                      environment: environment)
    guard case .failure(let diagnostics) = result else {
        Issue.record("a file in \(ScratchParent.directory) was compiled in: \(result)")
        return
    }
    #expect(!diagnostics.contains(marker))
}

/// What the compile fixtures try to read: the lesson's answer (a file of Solutions/), another
/// student's submission (world-readable, outside /tmp so that only the sandbox's rules stand in
/// the way), /etc/shadow. Their distinctive lines must appear in no diagnostics or report.
struct CompileSecrets: Sendable {
    let solution: String
    let sibling: String
    /// Lines of the secret files long enough to mean something if found.
    let lines: [String]

    static let cache = NSTemporaryDirectory() + "lessons-hostile-compile-cache-\(geteuid())"
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static let shared: Result<CompileSecrets, any Error> = Result { try CompileSecrets() }

    init() throws {
        let solutions = Self.repository.appendingPathComponent("Solutions").path
        let answer = try #require(FileManager.default.enumerator(atPath: solutions)?.allObjects.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".c") }.sorted().first)
        solution = solutions + "/" + answer
        let classroom = "/var/tmp/lessons-hostile-sibling-\(getpid())"
        sibling = classroom + "/bob/hostile/ok.c"
        try FileManager.default.createDirectory(atPath: classroom + "/bob/hostile", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o755])
        try "#include <stdio.h>\n// bob's own answer: SIBLING-SECRET-\(UUID().uuidString)\nint main(void) { puts(\"ok\"); return 0; }\n"
            .write(toFile: sibling, atomically: true, encoding: .utf8)
        chmod(sibling, 0o644)
        atexit { _ = try? FileManager.default.removeItem(atPath: "/var/tmp/lessons-hostile-sibling-\(getpid())") }
        var secretLines: [String] = []
        for file in [solution, sibling, "/etc/shadow"] {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            secretLines += text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.count >= 12 && !$0.hasPrefix("#include") && !$0.hasPrefix("//") || $0.contains("SECRET") }
        }
        lines = secretLines
    }

    func substitute(in text: String) -> String {
        text.replacingOccurrences(of: "LESSONS_SECRET_PATH", with: solution)
            .replacingOccurrences(of: "LESSONS_SIBLING_PATH", with: sibling)
    }
}

/// Compiles fixture programs once per test process, with the system C compiler at -O0.
enum Fixtures {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/hostile")
    /// One directory for every test run; a binary's name carries its source's modification
    /// time, so an edited fixture is rebuilt and nothing piles up per run.
    static let output: URL = {
        // Per user: the suite also runs as an unprivileged user, who cannot write root's copies.
        let url = URL(fileURLWithPath: "/tmp/lessons-sandbox-fixtures" + (geteuid() == 0 ? "" : "-\(geteuid())"))
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
        try waitBounded(process, seconds: 120, "cc on fixture \(name)")
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
    try waitBounded(process, seconds: 300, "swiftc on swift_program.swift")
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
            guard exe.hasPrefix("/tmp/lessons-run") && exe.contains("/bin/fork_bomb-") else { return false }
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
    try waitBounded(grader, seconds: 30, "the killed grader")
    Thread.sleep(forTimeInterval: 0.5)
    let alive = running.filter { pid in
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        return !status.contains("\nState:\tZ")
    }
    #expect(running.count >= 5, "the sandboxed fork bomb never showed up (\(running))")
    #expect(alive.isEmpty, "still alive after the grader died: \(alive)")
}

/// Item 10: the same hostile suite and class, for real, as a normal user (uid 65534, dropped with
/// setpriv): what an unprivileged process can use (a user namespace with mount, network and pid
/// namespaces for compilers, Landlock, seccomp, rlimits) must hold the same verdicts. Its own
/// HOME, compile cache and fixture builds, since it can write none of root's. The second pass
/// starts inside a cgroup v2 delegated to that user, the way systemd delegates one
/// (`systemd-run --user --scope -p Delegate=yes`): its runs then get cgroups of their own too.
@Test(.timeLimit(.minutes(10)), arguments: [false, true])
func hostileSuiteAsAnUnprivilegedUser(delegatedCgroup: Bool) throws {
    guard geteuid() == 0 else {
        print("hostile suite as an unprivileged user: this run already is one (uid \(geteuid()))")
        return
    }
    let setpriv = try #require(["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) },
                               "setpriv (util-linux) is needed to drop to an unprivileged uid")
    let user: UInt32 = 65534
    let home = "/tmp/lessons-unprivileged-\(getpid())-\(delegatedCgroup ? "delegated" : "plain")"
    try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: home) }
    chown(home, user, user)
    var delegated: String?
    if delegatedCgroup {
        guard let unified = CgroupMounts.parse(String(decoding: FileManager.default.contents(atPath: "/proc/self/mountinfo") ?? Data(), as: UTF8.self)).unified,
              let own = String(decoding: FileManager.default.contents(atPath: "/proc/self/cgroup") ?? Data(), as: UTF8.self)
                .split(separator: "\n").first(where: { $0.hasPrefix("0::") })?.dropFirst(3) else {
            print("hostile suite as an unprivileged user in a delegated cgroup: no cgroup v2 hierarchy here")
            return
        }
        let directory = unified + (own == "/" ? "" : String(own)) + "/lessons-delegated-\(getpid())"
        guard mkdir(directory, 0o755) == 0 else {
            print("hostile suite as an unprivileged user in a delegated cgroup: cannot make \(directory) (\(String(cString: strerror(errno))))")
            return
        }
        // What systemd's Delegate=yes hands over: the directory and its control files.
        for file in ["", "/cgroup.procs", "/cgroup.threads", "/cgroup.subtree_control"] { chown(directory + file, user, user) }
        delegated = directory
    }
    defer {
        if let delegated {
            // The pass removed its runs' cgroups; anything left fails below, then goes.
            for name in ScratchDirectory.entries(of: delegated) where name.hasPrefix("lessons-") {
                _ = CgroupSupport.write(delegated + "/" + name + "/cgroup.kill", "1")
                rmdir(delegated + "/" + name)
            }
            _ = CgroupSupport.write(delegated + "/cgroup.kill", "1")
            usleep(100_000)
            rmdir(delegated)
        }
    }
    // A checkout in a directory of mode 0700 (what `mktemp -d` makes) cannot be reached by the
    // normal user: for the pass, its ancestors get the search bit (x, not read), as they were after.
    SearchableAncestors.shared.enter([URL(fileURLWithPath: #filePath).path, ProcessInfo.processInfo.arguments[0]])
    defer { SearchableAncestors.shared.leave() }
    let log = home + "/tests.log"
    let filter = delegatedCgroup ? "hostileProgram\\(|untracedChildrenAreStopped|isolationProbeFindsTheBasics"
        : "hostileProgram|hostileCompile|untracedChildrenAreStopped|unixSocketsOnTheMachine|runsShareOneEmptyNetworkNamespace|isolationProbeFindsTheBasics"
    let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home,
                       "LESSONS_CACHE": home + "/cache", "TMPDIR": "/tmp", "LANG": "C.UTF-8"]
    let command = [setpriv, "--reuid=\(user)", "--regid=\(user)", "--clear-groups", "--",
                   ProcessInfo.processInfo.arguments[0], "--testing-library", "swift-testing", "--filter", filter]
    let child = Process()
    if let delegated {
        // Into the delegated cgroup first (as root, like systemd), then down to the user.
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$@\"", delegated] + command
    } else {
        child.executableURL = URL(fileURLWithPath: setpriv)
        child.arguments = Array(command.dropFirst())
    }
    child.environment = environment
    child.standardInput = FileHandle.nullDevice
    _ = FileManager.default.createFile(atPath: log, contents: nil)
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    child.standardOutput = output
    child.standardError = output
    try child.run()
    // Bounded: a pass that hangs is killed (its runs and compiles die with it) and fails here.
    let deadline = Date().addingTimeInterval(8 * 60)
    while child.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
    if child.isRunning { kill(child.processIdentifier, SIGKILL) }
    try waitBounded(child, seconds: 30, "the unprivileged pass")
    try output.close()
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    let summary = text.split(separator: "\n").filter { $0.contains("✘") || $0.contains("✔ Test") || $0.contains("isolation available") || $0.contains("cgroups:") }
    print("hostile suite as uid \(user)\(delegatedCgroup ? " in a delegated cgroup" : ""):\n" + summary.joined(separator: "\n"))
    #expect(child.terminationReason == .exit && child.terminationStatus == 0,
            "the unprivileged pass failed (\(child.terminationReason == .exit ? "exit \(child.terminationStatus)" : "signal \(child.terminationStatus)")):\n\(text.suffix(6000))")
    let tests = delegatedCgroup ? ["hostileProgram(_:)", "untracedChildrenAreStoppedEvenWithoutSeccomp(_:)"]
        : ["hostileProgram(_:)", "hostileCompile(_:)", "untracedChildrenAreStoppedEvenWithoutSeccomp(_:)",
           "unixSocketsOnTheMachineAreOutOfReach()", "runsShareOneEmptyNetworkNamespace()", "hostileProgramsGradedAsAClass()"]
    for test in tests { #expect(text.contains("✔ Test \(test)"), "\(test) did not pass as uid \(user)") }
    #expect(text.contains("not running as root"), "the unprivileged pass did not run as a normal user")
    if let delegated {
        #expect(text.contains("cgroups: v2 \(delegated)"), "the pass did not use its delegated cgroup")
        let left = ScratchDirectory.entries(of: delegated).filter { $0.hasPrefix("lessons-") }
        #expect(left.isEmpty, "run cgroups left in the delegated cgroup: \(left)")
    }
}

/// The two passes run at once: the ancestors stay searchable until the last one ends (a pass
/// that put the modes back while the other ran left that one's compilers unable to start).
private final class SearchableAncestors: @unchecked Sendable {
    static let shared = SearchableAncestors()
    private let lock = NSLock()
    private var passes = 0
    private var changed: [(String, mode_t)] = []

    func enter(_ paths: [String]) {
        lock.lock(); defer { lock.unlock() }
        if passes == 0 { changed = searchableForOthers(paths) }
        passes += 1
    }

    func leave() {
        lock.lock(); defer { lock.unlock() }
        passes -= 1
        guard passes == 0 else { return }
        for (path, mode) in changed { chmod(path, mode) }
        changed = []
    }
}

/// Gives every ancestor directory of `paths` that others cannot search the search bit; returns
/// the modes to put back.
private func searchableForOthers(_ paths: [String]) -> [(String, mode_t)] {
    var changed: [(String, mode_t)] = []
    for path in paths {
        var directory = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
        while directory != "/" && !directory.isEmpty {
            var info = stat()
            if stat(directory, &info) == 0, info.st_mode & S_IXOTH == 0, !changed.contains(where: { $0.0 == directory }) {
                let mode = info.st_mode & 0o7777
                if chmod(directory, mode | S_IXOTH) == 0 { changed.append((directory, mode)) }
            }
            directory = URL(fileURLWithPath: directory).deletingLastPathComponent().path
        }
    }
    return changed
}

/// Item 11: whatever the moment SIGKILL takes the grader, nothing of its runs or compiles
/// survives: traced processes die with their tracer (PTRACE_O_EXITKILL), a child not yet traced
/// and a compiler's relay with the thread that forked them (PR_SET_PDEATHSIG), and everything a
/// compiler started with its pid namespace. Three kinds of rounds: the grader frozen (SIGSTOP)
/// at a moment it has a child stopped before its exec, then killed; killed while its compiler
/// (a stand-in that only sleeps) runs; killed at a random moment of its compile-and-run loop.
@Test(.timeLimit(.minutes(10)))
func killingTheGraderAtAnyMomentLeavesNothing() throws {
    var caught: [String: Int] = ["pre-exec": 0, "compiling": 0, "anywhere": 0]
    for round in 0..<9 {
        let kind = ["pre-exec", "compiling", "anywhere"][round % 3]
        let token = "killme\(getpid())r\(round)"
        let marker = "86400.\(getpid())\(round)"  // the stand-in compiler's sleep, found by its command line
        let work = NSTemporaryDirectory() + token
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let grader = Process()
        grader.executableURL = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0])
        grader.arguments = ["--testing-library", "swift-testing", "--filter", "graderLoopChild"]
        var environment = ProcessInfo.processInfo.environment
        environment["LESSONS_GRADER_LOOP"] = token
        environment["LESSONS_CACHE"] = work + "/cache"
        if kind == "compiling" {
            let script = work + "/slow-cc"
            try "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'slow cc 1.0'; exit 0; fi\nexec sleep \(marker)\n"
                .write(toFile: script, atomically: true, encoding: .utf8)
            environment["CC"] = "/bin/sh " + script
        }
        grader.environment = environment
        grader.standardOutput = FileHandle.nullDevice
        grader.standardError = FileHandle.nullDevice
        try grader.run()
        defer { if grader.isRunning { kill(grader.processIdentifier, SIGKILL) } }
        let pid = grader.processIdentifier
        var seen: [String] = []
        switch kind {
        case "pre-exec":
            // Freeze it until one of its children is caught stopped before exec (its program not
            // yet seized and started), then kill it frozen.
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && grader.isRunning {
                usleep(UInt32.random(in: 500...5000))
                kill(pid, SIGSTOP)
                usleep(2000)
                let waiting = preExecChildren(of: pid)
                if !waiting.isEmpty { seen = waiting; break }
                kill(pid, SIGCONT)
            }
        case "compiling":
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline && grader.isRunning && seen.isEmpty {
                usleep(50_000)
                seen = processes(carrying: token, marker: marker).filter { $0.contains(marker) }
            }
        default:
            Thread.sleep(forTimeInterval: 1.5 + Double.random(in: 0...0.6))
            seen = processes(carrying: token, marker: marker)
        }
        kill(pid, SIGKILL)
        try waitBounded(grader, seconds: 30, "the killed grader")
        if !seen.isEmpty { caught[kind, default: 0] += 1 }
        // What the kernel still tears down goes within moments; what is there 3 s later survived.
        var left = processes(carrying: token, marker: marker)
        let settled = Date().addingTimeInterval(3)
        while !left.isEmpty && Date() < settled {
            usleep(50_000)
            left = processes(carrying: token, marker: marker)
        }
        #expect(left.isEmpty, "round \(round) (\(kind), alive at the kill: \(seen)): still alive after the grader was killed: \(left)")
    }
    print("killing the grader, rounds in which something of it was caught alive at the kill: \(caught)")
    #expect(caught["pre-exec"]! > 0, "never caught a child stopped before exec")
    #expect(caught["compiling"]! > 0, "never caught a compiler running")
}

/// Children of `grader` stopped before their exec: still its own program (not the compiled one),
/// in state T. (Seen while the grader itself is frozen.)
func preExecChildren(of grader: Int32) -> [String] {
    let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(grader)/exe")) ?? "?"
    let threads = ScratchDirectory.entries(of: "/proc/\(grader)/task")
    let children = threads.flatMap { tid in
        ((try? String(contentsOfFile: "/proc/\(grader)/task/\(tid)/children", encoding: .utf8)) ?? "").split(separator: " ").compactMap { Int32($0) }
    }
    return children.compactMap { child in
        guard (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(child)/exe")) == own,
              let status = try? String(contentsOfFile: "/proc/\(child)/status", encoding: .utf8),
              status.contains("\nState:\tT") else { return nil }
        return "\(child) (stopped before exec)"
    }
}

/// The processes of one looping grader: its pre-exec children (its environment), its programs
/// (their name), its compilers (their source file's name, or `marker`, on the command line).
func processes(carrying token: String, marker: String) -> [String] {
    ScratchDirectory.entries(of: "/proc").compactMap { Int32($0) }.filter { $0 != getpid() }.compactMap { pid in
        let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline").map { String(decoding: $0, as: UTF8.self) } ?? ""
        let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ").map { String(decoding: $0, as: UTF8.self) } ?? ""
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? ""
        guard cmdline.contains(token) || cmdline.contains(marker) || environ.contains("LESSONS_GRADER_LOOP=" + token) || exe.contains(token),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              !status.contains("\nState:\tZ") else { return nil }
        return "\(pid) \(exe) \(cmdline.replacingOccurrences(of: "\0", with: " ").prefix(80))"
    }
}

/// Runs only inside `killingTheGraderAtAnyMomentLeavesNothing`'s child process: compiles a
/// fresh program (a cache miss each time) and runs it, over and over, until killed.
@Test func graderLoopChild() throws {
    guard let token = ProcessInfo.processInfo.environment["LESSONS_GRADER_LOOP"] else { return }
    let work = NSTemporaryDirectory() + token
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    var limits = testLimits
    limits.wallSeconds = 2
    for round in 0..<10_000 {
        let source = work + "/\(token).c"
        try "#include <stdio.h>\n#include <unistd.h>\nint main(void) { printf(\"%d\\n\", \(round)); usleep(30000); return 0; }\n"
            .write(toFile: source, atomically: true, encoding: .utf8)
        var compileLimits = Toolchain.CompileLimits()
        compileLimits.wallSeconds = 120  // a stand-in compiler that sleeps is killed with the grader, not by this
        let result = try Compiler.compile(CompileRequest(source: source, language: .c, displayName: "\(token).c"),
                                          environment: ProcessInfo.processInfo.environment, limits: compileLimits)
        guard case .success(let binary, _) = result else { continue }
        _ = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: [:], environment: [:], limits: limits, pinCPU: nil)
    }
}
