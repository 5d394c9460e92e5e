// The status a run implies, from wait statuses, limits and what the kernel reported: never from
// what the program printed. Precedence (Status.swift):
// internal-error > timeout > memory-limit > output-limit > crashed > failed > passed.
import Glibc
import Syscalls
import Vocabulary

/// What the sandbox saw of one run, besides the program's exit.
struct RunObservations: Sendable {
    /// The tracer killed the tree at the wall-clock deadline.
    var timedOut = false
    /// The tracer cut stdout or stderr at its cap and killed the tree.
    var outputLimitExceeded = false
    /// User+system CPU time of the whole traced tree.
    var cpuSeconds: Double = 0
    /// An allocation (mmap, mremap, brk) failed with ENOMEM for a size the cap would have allowed
    /// without the cap: the address-space limit was reached.
    var allocationFailedAtCap = false
    /// The program's loadable segments need more address space than the cap (a huge bss):
    /// the kernel kills it inside execve.
    var imageExceedsMemory = false
    /// The kernel's OOM killer fired during the run (/proc/vmstat oom_kill grew): a guess, used
    /// only without a memory cgroup of the run's own.
    var oomKillerFired = false
    /// The run's own memory cgroup reached its limit and the kernel killed a process of it.
    var runOutOfMemory = false
    /// A process of the run was not traced (CLONE_UNTRACED where seccomp could not refuse it,
    /// or found in the run's cgroup or uid after the trace): its work is not the program's.
    var escapedTracer = false
    /// The sandbox killed the tree because a process executed another program.
    var execStopped = false
    /// Signals by which any process of the tree died.
    var fatalSignals: [Int32] = []
}

enum RunVerdict {
    /// The status the run implies, or nil when the program ended on its own (any exit code):
    /// then the expectations decide between passed and failed.
    static func status(exit: ProcessExit?, limits: RunLimits, observed: RunObservations) -> Status? {
        var statuses: [Status] = []
        let killedBy: Int32? = if case .killed(let signal, _) = exit { signal } else { nil }
        let cpuOver = limits.cpuSeconds > 0 && observed.cpuSeconds > limits.cpuSeconds + 0.05

        if observed.timedOut || killedBy == SIGXCPU || observed.fatalSignals.contains(SIGXCPU)
            || (killedBy == SIGKILL && cpuOver) || cpuOver {
            statuses.append(.timeout)
        }
        // A program that met the cap but still ended with 0 coped with it (glibc falls back when
        // an arena reservation fails): the expectations judge it, not the limit.
        if (observed.allocationFailedAtCap && exit != .exited(status: 0))
            || (observed.imageExceedsMemory && killedBy != nil)
            || (observed.oomKillerFired && killedBy == SIGKILL)
            || observed.runOutOfMemory {
            statuses.append(.memoryLimit)
        }
        // Past RLIMIT_FSIZE the kernel sends SIGXFSZ: a write limit, like the output caps.
        if observed.outputLimitExceeded || killedBy == SIGXFSZ { statuses.append(.outputLimit) }
        if killedBy != nil || observed.escapedTracer { statuses.append(.crashed) }
        if exit == nil && statuses.isEmpty {
            // The tracer stopped the program but named no limit: that is the tool's fault.
            statuses.append(.internalError)
        }
        return statuses.max()
    }
}

/// Watches a run's events for what the kernel's answer means: allocations refused at the
/// address-space cap. Call `observe` with every event.
struct AllocationWatch {
    let memoryBytes: Int
    private(set) var failedAtCap = false

    init(memoryBytes: Int) { self.memoryBytes = memoryBytes }


    mutating func observe(_ call: SyscallEvent) {
        // A failure the tracer injected on purpose (fault injection) is a lesson's experiment, not the cap.
        guard memoryBytes > 0, !failedAtCap, !call.injected else { return }
        let cap = UInt64(memoryBytes)
        switch call.number {
        case Nr.mmap:
            // A request larger than the cap fails with or without the cap: not the limit's doing.
            // A PROT_NONE + MAP_NORESERVE mapping is a reservation (glibc's per-thread arenas,
            // 64 MiB each), not memory: glibc carries on without it.
            guard call.errno == ENOMEM, call.arguments.count > 3, call.arguments[1] <= cap else { return }
            let reservation = call.arguments[2] == 0 && call.arguments[3] & UInt64(MAP_NORESERVE) != 0
            if !reservation { failedAtCap = true }
        case Nr.mremap:
            if call.errno == ENOMEM, call.arguments.count > 2, call.arguments[2] <= cap { failedAtCap = true }
        case Nr.brk:
            // brk reports failure by returning the old break instead of the requested one.
            if let result = call.returnValue, let requested = call.arguments.first, requested != 0,
               result >= 0, UInt64(result) < requested, requested - UInt64(result) <= cap {
                failedAtCap = true
            }
        default:
            break
        }
    }
}
