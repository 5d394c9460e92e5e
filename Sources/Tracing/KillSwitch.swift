// Killing the whole traced tree from any thread: the output pump (cap reached) and the
// watchdog (timeout) ask for it; the ptrace loop keeps the set of known tracees current and
// kills any newcomer it sees after the request. Beyond the tracees: the caller's `killRun`
// (the run's cgroup, its uid) and the tracer thread's own children, which a process the
// tracer does not follow (CLONE_UNTRACED with CLONE_PARENT) would be.

import CLessonsPtrace
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

final class KillSwitch: Sendable {
    enum Reason: Int, Sendable { case timeout = 1, outputLimit = 2, setupTimeout = 3 }

    private let requested = Atomic<Int>(0)
    private let timedOutFlag = Atomic<Bool>(false)
    private let outputFlag = Atomic<Bool>(false)
    private let setupFlag = Atomic<Bool>(false)
    private let known = Mutex<Set<Int32>>([])
    /// The tracer thread's id (0 until its loop starts): its children are the run's.
    private let tracerThread = Atomic<Int32>(0)
    private let killRun: (@Sendable (Bool) -> Void)?

    init(killRun: (@Sendable (Bool) -> Void)? = nil) {
        self.killRun = killRun
    }

    /// Cheap enough to ask on every ptrace stop.
    var isRequested: Bool { requested.load(ordering: .relaxed) != 0 }
    var timedOut: Bool { timedOutFlag.load(ordering: .relaxed) }
    var outputLimitExceeded: Bool { outputFlag.load(ordering: .relaxed) }
    /// The set-up before the program's exec ran past its bound (the tool's fault).
    var setupTimedOut: Bool { setupFlag.load(ordering: .relaxed) }

    func add(_ pid: Int32) { known.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: Int32) { known.withLock { _ = $0.remove(pid) } }

    /// Called on the tracer thread before its first spawn.
    func tracerStarted() { tracerThread.store(lessons_gettid(), ordering: .releasing) }

    /// Records why and SIGKILLs every known tracee (SIGCONT first is unnecessary: SIGKILL
    /// ends stopped and ptrace-stopped processes alike), then everything else of the run.
    func request(_ reason: Reason) {
        switch reason {
        case .timeout: timedOutFlag.store(true, ordering: .relaxed)
        case .outputLimit: outputFlag.store(true, ordering: .relaxed)
        case .setupTimeout: setupFlag.store(true, ordering: .relaxed)
        }
        requested.store(reason.rawValue, ordering: .sequentiallyConsistent)
        known.withLock { pids in
            for pid in pids { kill(pid, SIGKILL) }
        }
        killUnfollowed(traceEnded: false)
    }

    /// Kills what the tracer does not follow: the run's own sweep, and the tracer thread's
    /// children (its tracees among them, which die anyway) but for the tracer's own tools.
    func killUnfollowed(traceEnded: Bool) {
        killRun?(traceEnded)
        let tid = tracerThread.load(ordering: .acquiring)
        guard tid > 0 else { return }
        KillSwitch.tracerChildren.withLock { tools in
            for pid in KillSwitch.children(ofThread: tid) where !tools.contains(pid) { kill(pid, SIGKILL) }
        }
    }

    /// Processes the tracer itself started (addr2line, swift-demangle): children of its thread
    /// that belong to no run. Changed under the lock together with their spawn.
    static let tracerChildren = Mutex<Set<Int32>>([])

    /// /proc/self/task/TID/children: the thread's live children.
    static func children(ofThread tid: Int32) -> [Int32] {
        let fd = open("/proc/self/task/\(tid)/children", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        guard let bytes = FileReader(fd: fd).readAll(limit: 1 << 16) else { return [] }
        return bytes.split(separator: UInt8(ascii: " ")).compactMap { Int32(String(decoding: $0, as: UTF8.self)) }
    }
}
