// Killing the whole traced tree from any thread: the output pump (cap reached) and the
// watchdog (timeout) ask for it; the ptrace loop keeps the set of known tracees current and
// kills any newcomer it sees after the request.

import Synchronization
#if canImport(Glibc)
import Glibc
#endif

final class KillSwitch: Sendable {
    enum Reason: Int { case timeout = 1, outputLimit = 2 }

    private let requested = Atomic<Int>(0)
    private let timedOutFlag = Atomic<Bool>(false)
    private let outputFlag = Atomic<Bool>(false)
    private let known = Mutex<Set<Int32>>([])

    /// Cheap enough to ask on every ptrace stop.
    var isRequested: Bool { requested.load(ordering: .relaxed) != 0 }
    var timedOut: Bool { timedOutFlag.load(ordering: .relaxed) }
    var outputLimitExceeded: Bool { outputFlag.load(ordering: .relaxed) }

    func add(_ pid: Int32) { known.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: Int32) { known.withLock { _ = $0.remove(pid) } }

    /// Records why and SIGKILLs every known tracee (SIGCONT first is unnecessary: SIGKILL
    /// ends stopped and ptrace-stopped processes alike).
    func request(_ reason: Reason) {
        switch reason {
        case .timeout: timedOutFlag.store(true, ordering: .relaxed)
        case .outputLimit: outputFlag.store(true, ordering: .relaxed)
        }
        requested.store(reason.rawValue, ordering: .sequentiallyConsistent)
        known.withLock { pids in
            for pid in pids { kill(pid, SIGKILL) }
        }
    }
}
