// Which kernel isolation mechanisms work on this machine, found by trying each one in a
// throw-away child (once per boot: kept in the cache, see IsolationState); and the policy
// handed to the child before exec.
import CLessonsPtrace
import CLessonsSandbox
import Glibc
import Synchronization

/// One isolation mechanism (`LESSONS_SANDBOX_*` in lessons_sandbox.h).
package struct IsolationMechanisms: OptionSet, Sendable, Hashable, CustomStringConvertible {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    /// prctl(PR_SET_NO_NEW_PRIVS).
    package static let noNewPrivileges = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_NO_NEW_PRIVS))
    /// setrlimit: CPU, AS, DATA, NPROC, FSIZE, NOFILE, CORE.
    package static let resourceLimits = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_RLIMITS))
    package static let networkNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_NET_NS))
    package static let ipcNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_IPC_NS))
    package static let userNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_USER_NS))
    package static let utsNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_UTS_NS))
    package static let landlock = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_LANDLOCK))
    /// setresuid/setresgid to a uid of the run's own (only when the tool runs as root).
    package static let separateUser = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_DROP_UID))
    package static let seccomp = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_SECCOMP))
    /// A mount namespace: the run's /tmp (holding its scratch directory) is a private, size-capped
    /// tmpfs, /dev/shm is private (root, or inside a user namespace).
    package static let mountNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_MOUNT_NS))
    /// A fresh /proc listing only the run's own processes (root only: a normal user needs a pid
    /// namespace of its own for that, which a traced program does not get).
    package static let privateProc = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_PRIVATE_PROC))
    /// A pid namespace for the programs the tool runs untraced (the compiler): everything they start dies with them.
    package static let pidNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_PID_NS))

    static let names: [(IsolationMechanisms, String)] = [
        (.noNewPrivileges, "no_new_privs"), (.resourceLimits, "rlimits"), (.userNamespace, "user-ns"),
        (.networkNamespace, "net-ns"), (.ipcNamespace, "ipc-ns"), (.utsNamespace, "uts-ns"), (.mountNamespace, "mount-ns"),
        (.privateProc, "private-proc"), (.pidNamespace, "pid-ns"), (.landlock, "landlock"), (.separateUser, "separate-uid"), (.seccomp, "seccomp"),
    ]

    package var description: String {
        IsolationMechanisms.names.filter { contains($0.0) }.map(\.1).joined(separator: " ")
    }
}

/// What this machine offers, measured once.
package struct Isolation: Sendable {
    package var available: IsolationMechanisms
    /// The kernel's Landlock ABI (0: none). 4 adds TCP rules, 6 adds signal scoping.
    package var landlockABI: Int
    /// One line per missing or partial mechanism: shown once per run, never silent.
    package var notes: [String]
    package var runningAsRoot: Bool

    /// Learned on first use: the mechanisms found working earlier on this boot (the cache's
    /// `sandbox-probe`) are taken as working, every other one is tried in a short-lived child.
    /// A cached mechanism that has stopped working makes the real child's set-up fail; then
    /// `relearn` probes everything again and the run is tried once more.
    package static var current: Isolation { IsolationState.shared.current }

    /// Tries every mechanism (forks a few short-lived children).
    static func probe() -> Isolation { probe(known: []) }

    /// Tries every mechanism not in `known`, which are taken as working.
    static func probe(known: IsolationMechanisms) -> Isolation {
        var available: UInt32 = 0
        var abi: Int32 = 0
        var buffer = [CChar](repeating: 0, count: 4096)
        let result = lessons_sandbox_probe_known(known.rawValue, &available, &abi, &buffer, buffer.count)
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var notes = text.split(separator: "\n").map { "sandbox: " + $0 }
        if result != 0 { notes.append("sandbox: probing the kernel's isolation features failed") }
        return Isolation(available: IsolationMechanisms(rawValue: available), landlockABI: Int(abi),
                         notes: notes, runningAsRoot: geteuid() == 0)
    }
}

/// Directories a sandboxed program may read: the system, its libraries (C and Swift runtime),
/// the kernel's views. Not /root, /home, /work, /tmp: other people's files and submissions.
let readableDirectories = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/opt/swift",
                           "/proc", "/sys", "/dev"]

/// Where a run lives inside its private /tmp (with a mount namespace): the same path for every
/// run, so nothing of the machine's scratch path shows inside, and traces repeat exactly.
public let runDirectoryInside = "/tmp/lessons-run"

extension lessons_sandbox_policy {
    /// The policy for one run: every available mechanism, the run's limits. `insideRoot`: where
    /// the run lives inside its private /tmp (nil: no private /tmp, the scratch directory is used
    /// where it is).
    static func make(limits: RunLimits, scratch: String, executable: String, uid: UInt32, gid: UInt32,
                     isolation: Isolation, extraReadable: [String], insideRoot: String?,
                     cgroup: RunCgroup?) throws -> lessons_sandbox_policy {
        var policy = lessons_sandbox_policy()
        policy.enabled = 1
        var mechanisms = isolation.available
        mechanisms.remove(.pidNamespace)  // a traced program keeps the machine's pids (docs/sandbox.md)
        if isolation.runningAsRoot {
            mechanisms.remove(.userNamespace)  // root makes the namespaces itself; no uid mapping needed
        }
        if insideRoot == nil { mechanisms.remove(.mountNamespace); mechanisms.remove(.privateProc) }
        policy.mechanisms = mechanisms.rawValue
        if let insideRoot {
            guard lessons_sandbox_policy_set_path(&policy, Int32(LESSONS_SANDBOX_PATH_INNER_ROOT), insideRoot) == 0 else {
                throw SandboxError("the run's directory inside its /tmp is too long (\(insideRoot))")
            }
        }
        if let cgroup { policy.setCgroups(cgroup.joinDescriptors) }
        guard lessons_sandbox_policy_set_path(&policy, Int32(LESSONS_SANDBOX_PATH_SCRATCH), scratch) == 0,
              lessons_sandbox_policy_set_path(&policy, Int32(LESSONS_SANDBOX_PATH_EXECUTABLE), executable) == 0 else {
            throw SandboxError("the scratch or program path is too long (\(scratch), \(executable)); set TMPDIR to a shorter directory")
        }
        for directory in readableDirectories + extraReadable {
            guard lessons_sandbox_policy_set_path(&policy, Int32(LESSONS_SANDBOX_PATH_READ_ONLY), directory) == 0 else {
                throw SandboxError("too many readable directories for the sandbox policy (at most \(LESSONS_SANDBOX_READ_PATHS))")
            }
        }
        policy.allow_exec = limits.allowExec ? 1 : 0
        policy.allow_network = limits.allowNetwork ? 1 : 0
        policy.uid = uid
        policy.gid = gid
        policy.joinSharedNetwork(isolation)
        func bytes(_ value: Int) -> UInt64 { value > 0 ? UInt64(value) : 0 }
        policy.cpu_seconds = limits.cpuSeconds > 0 ? UInt64(max(1, limits.cpuSeconds.rounded(.up))) : 0
        policy.memory_bytes = bytes(limits.memoryBytes)
        policy.processes = bytes(limits.processes)
        policy.file_size_bytes = bytes(limits.fileSizeBytes)
        policy.open_files = bytes(limits.openFiles)
        policy.scratch_bytes = bytes(limits.scratchBytes)
        policy.scratch_inodes = bytes(limits.scratchFiles)
        return policy
    }

    /// The descriptors the child joins its cgroups through, first thing (`RunCgroup.make`).
    mutating func setCgroups(_ descriptors: [Int32]) {
        let count = min(descriptors.count, Int(LESSONS_SANDBOX_CGROUPS))
        cgroup_count = Int32(count)
        withUnsafeMutableBytes(of: &cgroup_procs) { raw in
            let slots = raw.bindMemory(to: Int32.self)
            for index in 0..<count { slots[index] = descriptors[index] }
        }
    }
}

/// A fault of the sandbox itself (never the student's): one line that says what to do.
package struct SandboxError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// The machine's isolation as this process knows it: learned once (from the cache of this boot
/// where it can), learned again after a set-up failure.
final class IsolationState: Sendable {
    static let shared = IsolationState(file: MachineFacts.cacheDirectory + "/sandbox-probe")

    private struct State {
        var isolation: Isolation?
        /// Mechanisms taken from the cache without trying them.
        var trusted: IsolationMechanisms = []
    }
    private let state = Mutex(State())
    let file: String

    init(file: String) { self.file = file }

    var current: Isolation {
        state.withLock { state in
            if let isolation = state.isolation { return isolation }
            let key = MachineFacts.bootKey()
            let cached = MachineFacts.read(file, key: key).flatMap { UInt32($0) }.map(IsolationMechanisms.init(rawValue:)) ?? []
            let isolation = Isolation.probe(known: cached)
            // Only what was really found is kept; a cached claim that no longer holds fails the
            // real child's set-up, and `relearn` replaces it.
            let trusted = cached.intersection(isolation.available)
            if cached != isolation.available {
                MachineFacts.write(file, key: key, value: String(isolation.available.rawValue))
            }
            state.isolation = isolation
            state.trusted = trusted
            return isolation
        }
    }

    /// After a child's sandbox set-up failed: when some mechanism was taken from the cache untried,
    /// probes every mechanism again and stores the result. True when the isolation changed (the
    /// run is worth another try); false when nothing was trusted or the probe agrees.
    func relearn() -> Bool {
        state.withLock { state in
            guard let before = state.isolation, !state.trusted.isEmpty else { return false }
            let fresh = Isolation.probe()
            state.isolation = fresh
            state.trusted = []
            MachineFacts.write(file, key: MachineFacts.bootKey(), value: String(fresh.available.rawValue))
            return fresh.available != before.available
        }
    }
}

extension Isolation {
    /// The same machine without `mechanisms` (tests prove the layers behind one).
    func removing(_ mechanisms: IsolationMechanisms) -> Isolation {
        var copy = self
        copy.available.subtract(mechanisms)
        return copy
    }
}
