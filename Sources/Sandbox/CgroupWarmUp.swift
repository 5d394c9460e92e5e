// Moving a process into a cgroup takes the kernel's cgroup_threadgroup_rwsem for writing. The
// first such move after an idle moment waits for an RCU grace period (7–18 ms on the development
// VM) and holds cgroup_mutex meanwhile (a cgroup's mkdir waits too); moves that follow within
// about one grace period of the last one do not wait (~0.01 ms). A run's child joins its cgroups
// right before its program starts, so it would pay that wait on every compile and every run.
// Keeping the lock warm: a thread of its own moves this process into the cgroup it is already in
// (a move that changes nothing) every few milliseconds while runs are near: the first move pays
// the wait off the critical path, the next ones keep it from coming back, and the children's
// moves find it passed. Where an administrator mounted cgroups with `favordynmods`, moves never
// wait and no thread is started.
import Glibc
import Synchronization

extension Sandbox {
    /// What a command that will run programs starts first, so that it overlaps the command's own
    /// work (finding the exercise, parsing its lesson): the sweep of scratch directories left by
    /// killed graders, the cgroup lock's warm-up and the network namespace its children share,
    /// each on a thread of its own: a compile started at once needs the last two within ~5 ms
    /// (learning the cgroups took ~1 ms, making the namespace 2–4 ms; one after the other, the
    /// compile waited for the namespace), and none of it is the caller's to wait for.
    public static func prepare() {
        ScratchDirectory.sweepEarly()
        detached { CgroupWarmUp.start() }
        detached {
            _ = SharedNetwork.namespace(for: Isolation.current)
            _ = swiftRuntimeDirectories  // read from /proc/self/maps once, for the first child's policy
        }
    }

    /// Runs `body` on a detached thread (here, if none can be made).
    static func detached(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let made = pthread_create(&thread, &attributes, { raw in
            Unmanaged<Work>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, box)
        pthread_attr_destroy(&attributes)
        if made != 0 { Unmanaged<Work>.fromOpaque(box).takeRetainedValue().body() }
    }

    private final class Work: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}

public enum CgroupWarmUp {
    /// How long the moves go on after the last `start` or the last `Hold` released: long enough
    /// to bridge a check's parse or a grader's step from one submission to the next.
    static let window = 0.5
    /// Between two moves: well under one grace period (12–20 ms measured on the development VM;
    /// a move 12 ms after the last one was still quick, 20 ms after it waited).
    static let interval: useconds_t = 4_000

    private struct State {
        var holders = 0
        var deadline = 0.0
        var running = false
    }
    private static let state = Mutex(State())

    /// Keeps the moves going for `window` from now (starting the thread if it is not running);
    /// returns at once. Does nothing where runs get no cgroup. Harmless: the process stays in the
    /// cgroup it is in, and a failed write only means the child waits as before.
    public static func start() {
        guard CgroupSupport.current.joinsTakeThreadgroupLock, !movesNeverWait else { return }
        let now = monotonicNow()
        let launch = state.withLock { state -> Bool in
            state.deadline = max(state.deadline, now + window)
            guard !state.running else { return false }
            state.running = true
            return true
        }
        if launch { launchThread() }
    }

    /// The moves go on while a run (its compile, its set-up, the program) is under way, and for
    /// `window` after `release`.
    public final class Hold: Sendable {
        private let released = Atomic<Bool>(false)

        public init() {
            guard CgroupSupport.current.isAvailable else {
                released.store(true, ordering: .relaxed)
                return
            }
            CgroupWarmUp.state.withLock { $0.holders += 1 }
            CgroupWarmUp.start()
        }

        public func release() {
            guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
            let now = monotonicNow()
            CgroupWarmUp.state.withLock {
                $0.holders -= 1
                $0.deadline = max($0.deadline, now + CgroupWarmUp.window)
            }
        }

        deinit { release() }
    }

    private static func launchThread() {
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        let made = pthread_create(&thread, &attributes, { _ in
            CgroupWarmUp.keepWarm()
            return nil
        }, nil)
        pthread_attr_destroy(&attributes)
        if made != 0 { state.withLock { $0.running = false } }
    }

    /// The thread: one move now, then one every `interval` until nobody holds and the window passed.
    private static func keepWarm() {
        let fd = ownProcsFile().map { open($0, O_WRONLY | O_CLOEXEC) } ?? -1
        defer { if fd >= 0 { close(fd) } }
        while true {
            if fd >= 0 { _ = write(fd, "0", 1) }
            let now = monotonicNow()
            let goOn = state.withLock { state -> Bool in
                if state.holders > 0 || now < state.deadline { return true }
                state.running = false
                return false
            }
            if !goOn || fd < 0 {
                if fd < 0 { state.withLock { $0.running = false } }
                return
            }
            usleep(interval)
        }
    }

    /// A cgroup hierarchy mounted with `favordynmods` (an administrator's choice, machine-wide):
    /// the kernel then keeps the lock's readers on their slow path for good, and moves never wait
    /// for a grace period (measured: 0.02 ms each, against 5–26 ms for the first move after an
    /// idle moment without it), so there is nothing to keep warm.
    static let movesNeverWait: Bool = CgroupMounts.parse(readSmallFile("/proc/self/mountinfo") ?? "").favoursDynamicChanges

    /// Writes this process into its own cgroup of one hierarchy the runs use, once.
    static func moveIntoOwnCgroup() {
        guard let path = ownProcsFile() else { return }
        _ = CgroupSupport.write(path, "0")
    }

    /// `cgroup.procs` of the cgroup this process is in, in a hierarchy runs use; nil when none.
    private static func ownProcsFile() -> String? {
        ownProcsFile(support: CgroupSupport.current, mountInfo: readSmallFile("/proc/self/mountinfo") ?? "",
                     ownCgroups: readSmallFile("/proc/self/cgroup") ?? "")
    }

    /// `cgroup.procs` of the cgroup this process is in, in a hierarchy runs get cgroups in
    /// (v1 pids or memory, else v2); nil when there is none.
    static func ownProcsFile(support: CgroupSupport, mountInfo: String, ownCgroups: String) -> String? {
        let mounts = CgroupMounts.parse(mountInfo)
        var ownV2: String?
        var ownV1: [String: String] = [:]
        for line in ownCgroups.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[0] == "0" && fields[1].isEmpty { ownV2 = String(fields[2]); continue }
            for controller in fields[1].split(separator: ",") { ownV1[String(controller)] = String(fields[2]) }
        }
        func procs(_ mount: String, _ own: String) -> String { (own == "/" ? mount : mount + own) + "/cgroup.procs" }
        for (controller, used) in [("pids", support.pidsV1 != nil), ("memory", support.memoryV1 != nil)] where used {
            if let mount = mounts.v1[controller], let own = ownV1[controller] { return procs(mount, own) }
        }
        if support.unified != nil, let mount = mounts.unified, let own = ownV2 { return procs(mount, own) }
        return nil
    }
}
