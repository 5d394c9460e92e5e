// Running one untrusted program: a fresh scratch directory, an emptied environment, limits,
// kernel isolation (lessons_sandbox_enter in the child before exec), the tracer watching,
// and the status the run implies. docs/sandbox.md describes every mechanism.
import CLessonsPtrace
import CLessonsSandbox
import Glibc
import Synchronization
import Syscalls
import Tracing
import Vocabulary

/// One sandboxed run: what the tracer saw, the status the run itself implies (nil: it ended on
/// its own; the expectations decide), and notes about this run (what was stopped). What this
/// machine's sandbox lacks is said once, in `Sandbox.environmentNotes`.
public struct SandboxedRun: Sendable {
    public var outcome: TraceOutcome
    public var status: Status?
    public var notes: [String]
    /// The scratch directory the run worked in, on the machine (already removed).
    public var scratchDirectory: String = ""
    /// Its working directory as the program saw it (inside its private /tmp, when it had one).
    public var workDirectory: String = ""
    /// The run's cgroups (removed, or queued for removal: `Sandbox.finishCleanUp`).
    public var cgroups: [String] = []
    /// The uid the program ran as (nil: the tool's own, when not root).
    public var runUID: UInt32?

    public init(outcome: TraceOutcome, status: Status?, notes: [String]) {
        self.outcome = outcome
        self.status = status
        self.notes = notes
    }
}

/// How the trace of a sandboxed run is taken (the defaults suit checking: everything recorded).
public struct SandboxTraceOptions: Sendable {
    public var includeStartup: Bool = true
    public var recordEvents: Bool = true
    /// nil: every syscall stops. Else the sandbox adds the calls it must watch (execve,
    /// execveat, mmap, mremap, brk); events of those added calls are passed on too.
    public var syscallFilter: Set<Int>?
    /// What strace does not do: fault injection (a case's `inject:` lines), library calls,
    /// source lines. All off unless a case or a command asks.
    public var extras = TraceExtraOptions()
    /// The program's standard output is a pseudo-terminal, not a pipe (`run --tty`, a lesson
    /// cell marked `tty`): the C library then buffers it as at a shell prompt.
    public var terminalStdout = false
    public init() {}
}

public enum Sandbox {
    /// The environment every run starts from (plus the case's own variables, which win).
    /// HOME and TMPDIR point into the scratch directory.
    public static func minimumEnvironment(home: String) -> [String: String] {
        ["PATH": "/usr/bin:/bin", "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8",
         "SWIFT_BACKTRACE": "enable=no"]
    }

    /// Runs `executable` (a compiled learner program) once, isolated and limited.
    /// Throws `SandboxError` or `TraceError` only for the tool's own faults.
    public static func run(executable: String, arguments: [String], stdin: [UInt8]?, files: [String: String],
                           environment: [String: String], limits: RunLimits, pinCPU: Int?) throws -> SandboxedRun {
        try run(executable: executable, arguments: arguments, stdin: stdin, files: files,
                environment: environment, limits: limits, pinCPU: pinCPU, trace: SandboxTraceOptions(), onEvent: nil)
    }

    public static func run(executable: String, arguments: [String], stdin: [UInt8]?, files: [String: String],
                           environment: [String: String], limits: RunLimits, pinCPU: Int?,
                           trace: SandboxTraceOptions, onEvent: ((TraceEvent) -> Void)?) throws -> SandboxedRun {
        try run(executable: executable, arguments: arguments, stdin: stdin, files: files, environment: environment,
                limits: limits, pinCPU: pinCPU, trace: trace, onEvent: onEvent, without: [])
    }

    /// `without`: mechanisms left out, so a test can prove the layers behind them (never the tool).
    static func run(executable: String, arguments: [String], stdin: [UInt8]?, files: [String: String],
                    environment: [String: String], limits: RunLimits, pinCPU: Int?,
                    trace: SandboxTraceOptions, onEvent: ((TraceEvent) -> Void)?,
                    without: IsolationMechanisms) throws -> SandboxedRun {
        do {
            return try runOnce(executable: executable, arguments: arguments, stdin: stdin, files: files, environment: environment,
                               limits: limits, pinCPU: pinCPU, trace: trace, onEvent: onEvent, without: without)
        } catch let error as TraceError where error.sandboxSetUp {
            // The child's set-up failed before exec (nothing of the program ran): when this boot's
            // cached probe claimed a mechanism that no longer works, learn again and run once more.
            guard IsolationState.shared.relearn() else { throw error }
            return try runOnce(executable: executable, arguments: arguments, stdin: stdin, files: files, environment: environment,
                               limits: limits, pinCPU: pinCPU, trace: trace, onEvent: onEvent, without: without)
        }
    }

    private static func runOnce(executable: String, arguments: [String], stdin: [UInt8]?, files: [String: String],
                                environment: [String: String], limits: RunLimits, pinCPU: Int?,
                                trace: SandboxTraceOptions, onEvent: ((TraceEvent) -> Void)?,
                                without: IsolationMechanisms) throws -> SandboxedRun {
        let warm = CgroupWarmUp.Hold()  // the child's move into its cgroups waits less (CgroupWarmUp.swift)
        defer { warm.release() }
        let isolation = Isolation.current.removing(without)
        var notes: [String] = []
        let dropUser = isolation.runningAsRoot && isolation.available.contains(.separateUser)
        let identity = dropUser ? RunIdentity.fresh() : nil

        let scratch = try ScratchDirectory(program: executable, files: files,
                                           owner: identity.map { ($0.uid, $0.gid) })
        defer { scratch.remove() }
        // With a mount namespace the run lives at the same path inside its private /tmp every
        // time: the machine's scratch path shows nowhere inside.
        let inside = isolation.available.contains(.mountNamespace) && limits.scratchBytes > 0 ? runDirectoryInside : nil
        // The run's cgroups: its memory and processes counted together, and killed together. Its
        // files in its private /tmp (a tmpfs) are memory too: the scratch space is added.
        let memoryBudget = limits.memoryBytes > 0 ? limits.memoryBytes + (inside != nil ? limits.scratchBytes : 0) : 0
        let cgroup = try RunCgroup.make(memoryBytes: memoryBudget, processes: limits.processes)
        defer { cgroup?.removeLater() }
        let programName = scratch.executable.split(separator: "/").last.map(String.init) ?? "program"
        let program = inside.map { "\($0)/bin/\(programName)" } ?? scratch.executable
        let work = inside.map { "\($0)/work" } ?? scratch.work

        var request = TraceRequest(executable: program, arguments: arguments)
        var env = minimumEnvironment(home: work)
        env.merge(environment) { _, caseValue in caseValue }
        request.environment = env
        request.workingDirectory = scratch.work  // entered before the mounts; the sandbox moves inside
        request.stdin = stdin.map { .bytes($0) } ?? .null
        request.capture = OutputCapture(stdoutLimit: limits.stdoutBytes > 0 ? limits.stdoutBytes : Int.max,
                                        stderrLimit: limits.stderrBytes > 0 ? limits.stderrBytes : Int.max)
        request.includeStartup = true  // the exec watch must see start-up (constructors run before main)
        request.followForks = true     // every process of the tree is traced, so every one can be killed
        request.recordEvents = trace.recordEvents
        if let filter = trace.syscallFilter { request.syscallFilter = filter.union(Watch.syscalls) }
        request.timeout = limits.wallSeconds > 0 ? limits.wallSeconds : nil
        request.pinCPU = pinCPU
        request.extras = trace.extras
        request.stdoutTerminal = trace.terminalStdout
        let policy = try lessons_sandbox_policy.make(
            limits: limits, scratch: scratch.work, executable: scratch.executable,
            uid: identity?.uid ?? 0, gid: identity?.gid ?? 0, isolation: isolation, extraReadable: swiftRuntimeDirectories,
            insideRoot: inside, cgroup: cgroup)
        request.childSteps = ChildSteps(start: lessons_sandbox_join_cgroups, confine: lessons_sandbox_confine, context: policy)
        // Whatever ends the run, every process it made goes: the cgroup at once, else the uid.
        let untraced = Atomic<Bool>(false)
        request.killRun = { traceEnded in
            if let cgroup {
                if traceEnded && !cgroup.isEmpty { untraced.store(true, ordering: .relaxed) }
                cgroup.killAll()
            } else if let identity {
                _ = lessons_sandbox_kill_uid(identity.uid)
            }
        }

        let imageBytes = ELFImage.loadableBytes(path: scratch.executable)
        let oomBefore = cgroup?.memory == nil ? Watch.oomKills() : 0
        let watch = Watch(memoryBytes: limits.memoryBytes, allowExec: limits.allowExec, killRun: { cgroup?.killAll() })
        let callerFilter = trace.syscallFilter
        var outcome: TraceOutcome
        do {
            outcome = try Tracer.run(request) { event in
                watch.observe(event)
                guard let onEvent else { return }
                if !trace.includeStartup && event.phase == .startup { return }
                if let filter = callerFilter, let call = event.syscall, !filter.contains(call.number) { return }
                onEvent(event)
            }
        } catch {
            // Whatever the failure, nothing of the run may outlive it.
            cgroup?.killAll()
            if let identity { _ = Survivors.kill(uid: identity.uid) }
            throw error
        }
        if !trace.includeStartup { outcome.run.events.removeAll { $0.phase == .startup } }
        if let filter = callerFilter {
            outcome.run.events.removeAll { event in event.syscall.map { !filter.contains($0.number) } ?? false }
        }

        // The second line, where there is no cgroup: the uid (as root), which nothing of the run
        // can leave. (A cgroup holds every process of the run from before its first instruction,
        // and none can leave it: the uid sweep's fork would add nothing but its cost.)
        if let identity, cgroup == nil {
            let survivors = Survivors.kill(uid: identity.uid)
            if survivors > 0 {
                untraced.store(true, ordering: .relaxed)
                notes.append("sandbox: \(survivors) process(es) of the run were still alive when the trace ended; killed them by uid")
            }
        }
        let escaped = untraced.load(ordering: .relaxed) || watch.untracedChild
        if escaped {
            notes.append("sandbox: the program started a process the tracer could not follow (\(watch.untracedChild ? "clone with CLONE_UNTRACED" : "found in the run's cgroup after the trace")); it was killed, and what the run printed does not count")
        }
        if watch.execStopped {
            notes.append("sandbox: the program executed another program (\(watch.execPath ?? "?")); exercises here do not allow that, so it was stopped")
        }
        let oomKills = cgroup?.oomKills ?? 0
        if oomKills > 0 {
            let files = memoryBudget > limits.memoryBytes ? " and \((memoryBudget - limits.memoryBytes) >> 20) MiB for its files" : ""
            notes.append("sandbox: the run needed more memory than its \(limits.memoryBytes >> 20) MiB\(files), all its processes together; the kernel killed \(oomKills == 1 ? "a process" : "\(oomKills) processes")")
        }

        var observed = RunObservations()
        observed.timedOut = outcome.timedOut
        observed.outputLimitExceeded = outcome.outputLimitExceeded || outcome.run.stdoutTruncated || outcome.run.stderrTruncated
        observed.cpuSeconds = outcome.cpuSeconds
        observed.allocationFailedAtCap = watch.allocationFailedAtCap
        observed.imageExceedsMemory = limits.memoryBytes > 0 && imageBytes > limits.memoryBytes
        observed.oomKillerFired = cgroup?.memory == nil && Watch.oomKills() > oomBefore
        observed.runOutOfMemory = oomKills > 0
        observed.execStopped = watch.execStopped
        observed.escapedTracer = escaped
        observed.fatalSignals = watch.fatalSignals
        let status = RunVerdict.status(exit: outcome.run.exit, limits: limits, observed: observed)
        var result = SandboxedRun(outcome: outcome, status: status, notes: notes)
        result.scratchDirectory = scratch.root
        result.workDirectory = work
        result.runUID = identity?.uid
        result.cgroups = cgroup?.directories ?? []
        return result
    }

    /// Waits until the cgroups of the runs and compiles that have ended are removed (they are
    /// taken away on a thread of their own: `CgroupRemoval`). exit() waits for them anyway (an
    /// atexit handler); this is for a caller that looks before.
    public static func finishCleanUp() {
        CgroupRemoval.finish()
    }

    /// What differs on this machine from the full sandbox, one line each: said once per command
    /// (a report's header), never per case.
    public static var environmentNotes: [String] {
        Isolation.current.notes + CgroupSupport.current.notes
    }
}

/// Where the Swift runtime this tool was built with lives (Swift programs compiled by the same
/// toolchain load it from there): read from our own memory map.
let swiftRuntimeDirectories: [String] = {
    guard let maps = readSmallFile("/proc/self/maps") else { return [] }
    var directories: Set<String> = []
    for line in maps.split(separator: "\n") {
        guard let slash = line.firstIndex(of: "/"), line.hasSuffix("libswiftCore.so") else { continue }
        let path = line[slash...]
        if let last = path.lastIndex(of: "/") { directories.insert(String(path[..<last])) }
    }
    return directories.filter { dir in !readableDirectories.contains { dir.hasPrefix($0 + "/") } }.sorted()
}()

/// The uid and gid one run executes as when the tool is root: fresh per run, so concurrent
/// runs cannot signal each other, RLIMIT_NPROC counts this run alone, and leftovers are
/// findable by uid. Taken from a range no account uses.
struct RunIdentity {
    let uid: uid_t
    let gid: gid_t

    static func fresh() -> RunIdentity {
        let id = UInt32.random(in: 2_000_000_000..<2_100_000_000)
        return RunIdentity(uid: id, gid: id)
    }
}

/// Looks at every event on the tracer's thread: a second exec (stopped before the new image
/// runs a single instruction), a child the tracer cannot follow, allocations refused at the cap,
/// fatal signals.
final class Watch: @unchecked Sendable {  // used only on the tracer's thread, read after it joined
    static let syscalls: Set<Int> = [Nr.execve, Nr.execveat, Nr.clone, Nr.mmap, Nr.mremap, Nr.brk]
    /// CLONE_UNTRACED: a child ptrace does not attach to.
    static let cloneUntraced = FlagTables.clone.value(of: "CLONE_UNTRACED")!

    private var allocations: AllocationWatch
    private let allowExec: Bool
    private let killRun: () -> Void
    private var sawProgramExec = false
    private var live: Set<Int32> = []
    private(set) var execStopped = false
    private(set) var execPath: String?
    /// A clone with CLONE_UNTRACED succeeded (only possible where seccomp could not refuse it).
    private(set) var untracedChild = false
    private(set) var fatalSignals: [Int32] = []
    var allocationFailedAtCap: Bool { allocations.failedAtCap }

    init(memoryBytes: Int, allowExec: Bool, killRun: @escaping () -> Void = {}) {
        allocations = AllocationWatch(memoryBytes: memoryBytes)
        self.allowExec = allowExec
        self.killRun = killRun
    }

    func observe(_ event: TraceEvent) {
        switch event.kind {
        case .libraryCall:
            break
        case .spawned(let child, _):
            live.insert(child)
            live.insert(event.pid)
        case .exit(let exit):
            live.remove(event.pid)
            if case .killed(let signal, _) = exit { fatalSignals.append(signal) }
        case .signal:
            live.insert(event.pid)
        case .syscall(let call):
            live.insert(event.pid)
            allocations.observe(call)
            if call.number == Nr.clone, let flags = call.arguments.first, flags & Watch.cloneUntraced != 0,
               let child = call.returnValue, child > 0 {
                // Its child runs unseen (and may already have run): the run is void. Kill it all.
                untracedChild = true
                kill(Int32(truncatingIfNeeded: child), SIGKILL)
                killTree(event.pid)
                return
            }
            guard call.number == Nr.execve || call.number == Nr.execveat, call.succeeded else { return }
            if !sawProgramExec {
                sawProgramExec = true  // the tracer's own exec of the program
                return
            }
            guard !allowExec else { return }
            execStopped = true
            execPath = call.data.map { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            // The process sits in its syscall-exit stop: the new image has not run. Kill the tree.
            killTree(event.pid)
        }
    }

    private func killTree(_ pid: Int32) {
        for pid in live { kill(pid, SIGKILL) }
        kill(pid, SIGKILL)
        killRun()
    }

    /// The kernel's count of OOM kills (global; a rise during the run plus a SIGKILL is ours).
    static func oomKills() -> Int {
        guard let text = readSmallFile("/proc/vmstat") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst(9)) ?? 0
        }
        return 0
    }
}

/// Processes left behind by a run's uid (there should be none: the tracer reaps its tree).
enum Survivors {
    /// Kills every process owned by `uid` (SIGCONT, SIGKILL, as that uid: kill(-1) reaches all
    /// of them at once, setsid or not); returns how many live (non-zombie) ones there were.
    /// The usual case, none at all, costs one fork.
    static func kill(uid: uid_t) -> Int {
        let reached = lessons_sandbox_kill_uid(uid)
        if reached == 0 { return 0 }
        var found = 0
        for round in 0..<20 {
            let pids = processes(of: uid)
            if pids.isEmpty { break }
            if round == 0 { found = pids.count }
            if lessons_sandbox_kill_uid(uid) < 0 {
                for pid in pids { Glibc.kill(pid, SIGCONT); Glibc.kill(pid, SIGKILL) }
            }
            usleep(10_000)
        }
        return found
    }

    static func processes(of uid: uid_t) -> [Int32] {
        ScratchDirectory.entries(of: "/proc").compactMap { Int32($0) }.filter { pid in
            guard let status = readSmallFile("/proc/\(pid)/status") else { return false }
            // A zombie runs nothing; its new parent (init) reaps it.
            if status.contains("\nState:\tZ") { return false }
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }) else { return false }
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            return fields.count > 1 && fields[1] == Substring(String(uid))
        }
    }
}

func readSmallFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 8192)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        bytes += buffer[0..<count]
        if bytes.count > 1 << 20 { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}
