// A cgroup per run (and per compile): memory and process count limited for the run as a whole
// (RLIMIT_AS and RLIMIT_NPROC are per process / per uid), every process of the run killable
// at once (cgroup.kill), and an OOM kill attributed to the run that caused it.
//
// Where: under this process's own cgroup, in the hierarchies it may write (probed once per
// process, `CgroupSupport.current`): cgroup v2 (the unified hierarchy: memory.max, pids.max,
// cgroup.kill) and cgroup v1's memory and pids hierarchies, in any mix (a hybrid machine has
// v1 controllers and a v2 hierarchy without them). As a normal user that means a cgroup
// delegated to us (`systemd-run --user --scope -p Delegate=yes`); else there is none and the
// rlimits are all (docs/sandbox.md).
//
// Names: `lessons-<pid>-<start time>-<n>`: unique on the machine, and a grader that died
// without removing its cgroups is recognised by the next one (`sweepStale`).
import Glibc
import Synchronization

/// One run's cgroups. `make` creates them with the limits written; the child joins them before
/// it can run anything (`joinDescriptors`, see lessons_sandbox_child_start); `remove` kills
/// whatever is left and deletes them.
final class RunCgroup: Sendable {
    /// Directories made for this run, one per hierarchy used.
    let directories: [String]
    /// The v2 directory (cgroup.kill, cgroup.events, memory.events), if any.
    let unified: String?
    /// Where the run's memory is accounted (memory.events or memory.oom_control), if limited.
    let memory: (directory: String, v2: Bool)?
    let limitsPids: Bool
    /// The file of each directory the child joins through (cgroup.procs in v2, `tasks` in v1),
    /// open for writing.
    let joinDescriptors: [Int32]
    private let removed = Atomic<Bool>(false)

    private init(directories: [String], unified: String?, memory: (String, Bool)?, limitsPids: Bool, procs: [Int32]) {
        self.directories = directories
        self.unified = unified
        self.memory = memory
        self.limitsPids = limitsPids
        self.joinDescriptors = procs
    }

    private static let counter = Atomic<Int>(0)

    /// The cgroups for one run with `memoryBytes` (0: none) and `processes` (0: none) for the
    /// whole run; nil when this machine gives us no cgroup. Throws when a cgroup that should
    /// work cannot be made (never a silent downgrade).
    static func make(memoryBytes: Int, processes: Int, support: CgroupSupport = .current) throws -> RunCgroup? {
        guard support.isAvailable else { return nil }
        _ = CgroupSupport.staleSwept
        let name = "\(CgroupSupport.ownerPrefix)\(counter.add(1, ordering: .relaxed).newValue)"
        var directories: [String] = []
        var procs: [Int32] = []
        var unified: String?
        var memory: (String, Bool)?
        var pidsLimited = false
        func fail(_ what: String) -> SandboxError {
            let reason = lastError()
            for fd in procs { close(fd) }
            for directory in directories.reversed() { rmdir(directory) }
            return SandboxError("cannot set up the run's cgroup (\(what): \(reason)); run without cgroups by setting LESSONS_CGROUPS=off")
        }
        func makeDirectory(_ base: String) throws -> String {
            let directory = base + "/" + name
            guard mkdir(directory, 0o755) == 0 else { throw fail("mkdir \(directory)") }
            directories.append(directory)
            return directory
        }
        func set(_ directory: String, _ file: String, _ value: String) throws {
            guard CgroupSupport.write(directory + "/" + file, value) else { throw fail("writing \(value) to \(directory)/\(file)") }
        }
        // The child joins by writing "0" (itself) to the file: a v2 cgroup's cgroup.procs, which
        // moves a whole process and so takes the kernel's threadgroup lock (an RCU grace period
        // after an idle moment: CgroupWarmUp), and a v1 cgroup's `tasks`, which moves the
        // writing thread alone and takes no such lock (0.1 ms against 5-16 ms measured). The
        // child is a freshly forked, single-threaded process: its thread is all of it.
        func join(_ directory: String, through file: String) throws {
            let fd = open(directory + "/" + file, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw fail("opening \(directory)/\(file)") }
            procs.append(fd)
        }
        if support.usesUnified(memoryBytes: memoryBytes, processes: processes), let v2 = support.unified {
            let directory = try makeDirectory(v2.directory)
            unified = directory
            if memoryBytes > 0, v2.controllers.contains("memory") {
                try set(directory, "memory.max", String(memoryBytes))
                _ = CgroupSupport.write(directory + "/memory.swap.max", "0")  // absent without swap accounting
                memory = (directory, true)
            }
            if processes > 0, v2.controllers.contains("pids") {
                try set(directory, "pids.max", String(processes))
                pidsLimited = true
            }
            try join(directory, through: "cgroup.procs")
        }
        if memory == nil, memoryBytes > 0, let base = support.memoryV1 {
            let directory = try makeDirectory(base)
            try set(directory, "memory.limit_in_bytes", String(memoryBytes))
            // No swap beyond the limit either (the file exists only with swap accounting).
            _ = CgroupSupport.write(directory + "/memory.memsw.limit_in_bytes", String(memoryBytes))
            memory = (directory, false)
            try join(directory, through: "tasks")
        }
        if !pidsLimited, processes > 0, let base = support.pidsV1 {
            let directory = try makeDirectory(base)
            try set(directory, "pids.max", String(processes))
            pidsLimited = true
            try join(directory, through: "tasks")
        }
        if directories.isEmpty { return nil }
        return RunCgroup(directories: directories, unified: unified, memory: memory, limitsPids: pidsLimited, procs: procs)
    }

    /// Kills every process in the run's cgroups at once (v2's cgroup.kill), else by listing them.
    /// Safe from any thread, any number of times.
    func killAll() {
        if let unified, CgroupSupport.write(unified + "/cgroup.kill", "1") { return }
        for directory in directories { RunCgroup.killListed(directory) }
    }

    /// SIGKILL to every pid in `directory`/cgroup.procs, until it is empty (a fork racing the
    /// kill adds a pid; bounded rounds).
    static func killListed(_ directory: String) {
        for _ in 0..<50 {
            let pids = CgroupSupport.pids(in: directory)
            if pids.isEmpty { return }
            for pid in pids { kill(pid, SIGKILL) }
            usleep(1000)
        }
    }

    /// No process left in any of the run's cgroups (zombies included: they are still members).
    var isEmpty: Bool {
        if let unified, let events = readSmallFile(unified + "/cgroup.events") {
            if events.contains("populated 1") { return false }
            return directories.allSatisfy { $0 == unified || CgroupSupport.pids(in: $0).isEmpty }
        }
        return directories.allSatisfy { CgroupSupport.pids(in: $0).isEmpty }
    }

    /// How many times the kernel's OOM killer killed a process of this run (the memory limit).
    var oomKills: Int {
        guard let memory else { return 0 }
        let file = memory.v2 ? "/memory.events" : "/memory.oom_control"
        guard let text = readSmallFile(memory.directory + file) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("oom_kill ") {
            return Int(line.dropFirst(9)) ?? 0
        }
        return 0
    }

    /// `remove`, on the removal thread, once the caller has gone on (`CgroupRemoval`).
    func removeLater() {
        CgroupRemoval.enqueue(self)
    }

    /// Kills what is left, waits (bounded) until the cgroups are empty and removes them.
    /// Returns false when one could not be removed (it is then left for `sweepStale`).
    @discardableResult
    func remove() -> Bool {
        guard !removed.exchange(true, ordering: .acquiringAndReleasing) else { return true }
        for fd in joinDescriptors { close(fd) }
        var pause: useconds_t = 100
        var waited: useconds_t = 0
        while !isEmpty && waited < 2_000_000 {
            killAll()
            usleep(pause)
            waited += pause
            pause = min(pause * 2, 50_000)
        }
        var all = true
        for directory in directories.reversed() where rmdir(directory) != 0 && errno != ENOENT { all = false }
        return all
    }
}

/// Which cgroup hierarchies this process can make run cgroups in, found once.
struct CgroupSupport: Sendable {
    /// v2: the directory to make run cgroups in, and the controllers they get.
    var unified: (directory: String, controllers: Set<String>)?
    /// v1: the directories (our own cgroup in each hierarchy) to make run cgroups in.
    var memoryV1: String?
    var pidsV1: String?
    /// One line per missing piece (shown once per run: docs/sandbox.md).
    var notes: [String] = []

    var isAvailable: Bool { unified != nil || memoryV1 != nil || pidsV1 != nil }
    var limitsMemory: Bool { unified?.controllers.contains("memory") == true || memoryV1 != nil }
    var limitsProcesses: Bool { unified?.controllers.contains("pids") == true || pidsV1 != nil }

    /// Whether a run with these limits gets a v2 cgroup: when v2 has a controller for one of
    /// them, or when no v1 hierarchy would hold the run (v2 then tracks its processes and kills
    /// them at once). On a hybrid machine whose v2 hierarchy has neither controller, v1 alone
    /// limits and tracks the run (its processes are killed by listing), and the child's join
    /// then never waits for the threadgroup lock (`RunCgroup.make`).
    func usesUnified(memoryBytes: Int, processes: Int) -> Bool {
        guard let unified else { return false }
        if memoryBytes > 0 && unified.controllers.contains("memory") || processes > 0 && unified.controllers.contains("pids") {
            return true
        }
        return !(memoryBytes > 0 && memoryV1 != nil || processes > 0 && pidsV1 != nil)
    }

    /// Whether a child's join of its cgroups takes the kernel's threadgroup lock, whose first
    /// taker after an idle moment waits for an RCU grace period (what `CgroupWarmUp` hides):
    /// only a v2 join does. Runs and compiles always limit both memory and processes.
    var joinsTakeThreadgroupLock: Bool { usesUnified(memoryBytes: 1, processes: 1) }

    static let current: CgroupSupport = {
        if let setting = getenv("LESSONS_CGROUPS").map({ String(cString: $0) }), setting == "off" {
            return CgroupSupport(notes: ["sandbox: cgroups turned off (LESSONS_CGROUPS=off): memory and processes are limited per process, not per run"])
        }
        return probe(mountInfo: readSmallFile("/proc/self/mountinfo") ?? "", ownCgroups: readSmallFile("/proc/self/cgroup") ?? "")
    }()

    /// `lessons-<pid>-<start time>-`: what every cgroup of this process is named with.
    static let ownerPrefix: String = "lessons-\(getpid())-\(ProcessStart.own)-"

    static func probe(mountInfo: String, ownCgroups: String) -> CgroupSupport {
        var support = CgroupSupport()
        let mounts = CgroupMounts.parse(mountInfo)
        // /proc/self/cgroup: "0::/path" (v2) and "N:memory:/path" (v1).
        var ownV2: String?
        var ownV1: [String: String] = [:]
        for line in ownCgroups.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[0] == "0" && fields[1].isEmpty { ownV2 = String(fields[2]); continue }
            for controller in fields[1].split(separator: ",") { ownV1[String(controller)] = String(fields[2]) }
        }
        if let mount = mounts.unified, let own = ownV2 {
            let directory = join(mount, own)
            if canCreate(in: directory) {
                let controllers = enableControllers(in: directory)
                support.unified = (directory, controllers)
            }
        }
        for (controller, keyPath) in [("memory", \CgroupSupport.memoryV1), ("pids", \CgroupSupport.pidsV1)] {
            if controller == "memory" && support.unified?.controllers.contains("memory") == true { continue }
            if controller == "pids" && support.unified?.controllers.contains("pids") == true { continue }
            guard let mount = mounts.v1[controller], let own = ownV1[controller] else { continue }
            let directory = join(mount, own)
            if canCreate(in: directory) { support[keyPath: keyPath] = directory }
        }
        if !support.limitsMemory {
            support.notes.append("sandbox: no cgroup for memory: the memory limit holds per process (RLIMIT_AS), not for the run as a whole")
        }
        if !support.limitsProcesses {
            support.notes.append("sandbox: no cgroup for processes: the process limit is RLIMIT_NPROC (per uid or user namespace)")
        }
        if !support.isAvailable {
            support.notes.append("sandbox: no cgroup of our own: a run's processes are killed through the tracer (and by uid when root)")
        }
        return support
    }

    private static func join(_ mount: String, _ path: String) -> String {
        path == "/" ? mount : mount + path
    }

    /// Makes and removes a probe cgroup: write access is what counts, not permissions' looks.
    private static func canCreate(in directory: String) -> Bool {
        let probe = directory + "/\(ownerPrefix)probe"
        guard mkdir(probe, 0o755) == 0 || errno == EEXIST else { return false }
        rmdir(probe)
        return true
    }

    /// The controllers run cgroups under `directory` get: memory and pids when available to
    /// `directory`. cgroup v2 allows controllers for children only in a cgroup without processes
    /// of its own (the root excepted): when ours has some (this process), we move into a leaf
    /// of our own first, like any program given a delegated cgroup.
    private static func enableControllers(in directory: String) -> Set<String> {
        let available = Set((readSmallFile(directory + "/cgroup.controllers") ?? "").split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
        let wanted = ["memory", "pids"].filter { available.contains($0) }
        guard !wanted.isEmpty else { return [] }
        let request = wanted.map { "+" + $0 }.joined(separator: " ")
        if write(directory + "/cgroup.subtree_control", request) { return Set(wanted) }
        guard errno == EBUSY else { return [] }
        let leaf = directory + "/lessons-grader-\(getpid())"
        guard mkdir(leaf, 0o755) == 0 || errno == EEXIST, write(leaf + "/cgroup.procs", "0") else { return [] }
        return write(directory + "/cgroup.subtree_control", request) ? Set(wanted) : []
    }

    /// Once per process: cgroups left by graders that died (named with a pid and start time
    /// that no longer run) are emptied and removed.
    static let staleSwept: Bool = {
        let support = CgroupSupport.current
        sweepStale(in: [support.unified?.directory, support.memoryV1, support.pidsV1].compactMap { $0 },
                   unified: support.unified?.directory)
        return true
    }()

    /// Removes the `lessons-<pid>-<start>-<n>` cgroups under `bases` whose grader no longer runs,
    /// killing what is inside first. Returns the directories removed.
    @discardableResult
    static func sweepStale(in bases: [String], unified: String?) -> [String] {
        var removed: [String] = []
        for base in bases {
            for name in ScratchDirectory.entries(of: base) where name.hasPrefix("lessons-") {
                // lessons-<pid>-<start>-<n>; a "lessons-grader-<pid>" leaf holds a grader itself.
                let parts = name.split(separator: "-")
                guard parts.count == 4, let pid = Int32(parts[1]), let start = UInt64(parts[2]) else { continue }
                if ProcessStart.of(pid) == start { continue }  // its grader still runs
                let directory = base + "/" + name
                if base == unified { _ = write(directory + "/cgroup.kill", "1") }
                RunCgroup.killListed(directory)
                if rmdir(directory) == 0 { removed.append(directory) }
            }
        }
        return removed
    }

    static func write(_ path: String, _ text: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } == bytes.count
    }

    static func pids(in directory: String) -> [Int32] {
        (readSmallFile(directory + "/cgroup.procs") ?? "").split(separator: "\n").compactMap { Int32($0) }
    }
}

/// The cgroup file systems mounted here (from /proc/self/mountinfo).
struct CgroupMounts {
    var unified: String?
    /// v1 controller name → mount point.
    var v1: [String: String] = [:]
    /// A cgroup hierarchy is mounted with `favordynmods` (in its mount or superblock options).
    var favoursDynamicChanges = false

    static func parse(_ mountInfo: String) -> CgroupMounts {
        var mounts = CgroupMounts()
        for line in mountInfo.split(separator: "\n") {
            // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS…] - FSTYPE SOURCE SUPEROPTIONS"
            let fields = line.split(separator: " ")
            guard let dash = fields.firstIndex(of: "-"), dash >= 5, fields.count >= dash + 4, fields[3] == "/" else { continue }
            let point = unescape(fields[4])
            let type = fields[dash + 1], superOptions = fields[dash + 3]
            if type == "cgroup2" || type == "cgroup",
               (fields[5].split(separator: ",") + superOptions.split(separator: ",")).contains("favordynmods") {
                mounts.favoursDynamicChanges = true
            }
            if type == "cgroup2" {
                if mounts.unified == nil { mounts.unified = point }
            } else if type == "cgroup" {
                for option in superOptions.split(separator: ",") where ["memory", "pids", "freezer"].contains(option) {
                    if mounts.v1[String(option)] == nil { mounts.v1[String(option)] = point }
                }
            }
        }
        return mounts
    }

    /// mountinfo writes a space, tab, newline or backslash in a path as \ooo (octal).
    static func unescape(_ text: Substring) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\"), i + 4 <= bytes.count,
               let value = UInt8(String(decoding: bytes[(i + 1)..<(i + 4)], as: UTF8.self), radix: 8) {
                out.append(value)
                i += 4
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// When a process started (clock ticks since boot, /proc/PID/stat field 22): with its pid, what
/// names one process for good (a pid alone is reused).
enum ProcessStart {
    static let own: UInt64 = of(getpid()) ?? 0

    static func of(_ pid: Int32) -> UInt64? {
        guard let stat = readSmallFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // After "PID (COMM) ": field 3 is the state; the start time is field 22.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }
}

/// Removing the cgroups of a run or a compile that has ended, after the caller has gone on:
/// reading cgroup.events and two rmdirs (one per hierarchy, each under the kernel's cgroup lock)
/// took ~0.5 ms after every compile and every run, between the compiler's end and the
/// program's start and between the program's end and the verdict. What is left of a run was
/// killed when its trace ended (cgroup.kill); this takes the empty directories away, in order,
/// on a thread of its own. `finish` waits for the queue (the tool's exit, and any exit() through
/// an atexit handler; a test that looks).
/// A process that dies first leaves its cgroups to the next one's `sweepStale`.
package enum CgroupRemoval {
    private struct Queue {
        var pending: [RunCgroup] = []
        var working = false
    }
    private static let queue = Mutex(Queue())

    /// Whatever way the process exits (a test runner, a tool that returns from main), exit()
    /// waits for the queue first.
    private static let drainedAtExit: Void = { atexit { CgroupRemoval.finish() } }()

    static func enqueue(_ cgroup: RunCgroup) {
        _ = drainedAtExit
        let start = queue.withLock { queue -> Bool in
            queue.pending.append(cgroup)
            guard !queue.working else { return false }
            queue.working = true
            return true
        }
        guard start else { return }
        Sandbox.detached { CgroupRemoval.work() }
    }

    private static func work() {
        while let next = queue.withLock({ queue -> RunCgroup? in
            if queue.pending.isEmpty { queue.working = false; return nil }
            return queue.pending.removeFirst()
        }) {
            _ = next.remove()
        }
    }

    /// Waits until every queued removal is done (at most `seconds`; `remove` itself gives up
    /// on a cgroup that will not empty after 2 s).
    package static func finish(seconds: Double = 5) {
        let deadline = monotonicNow() + seconds
        while queue.withLock({ $0.working || !$0.pending.isEmpty }) && monotonicNow() < deadline {
            usleep(200)
        }
    }
}
