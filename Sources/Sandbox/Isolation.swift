// Which kernel isolation mechanisms work on this machine, found once per process by trying
// each one in a throw-away child; and the policy handed to the child before exec.
import CLessonsShims
import Glibc

/// One isolation mechanism (`LESSONS_SANDBOX_*` in lessons_sandbox.h).
public struct IsolationMechanisms: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// prctl(PR_SET_NO_NEW_PRIVS).
    public static let noNewPrivileges = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_NO_NEW_PRIVS))
    /// setrlimit: CPU, AS, DATA, NPROC, FSIZE, NOFILE, CORE.
    public static let resourceLimits = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_RLIMITS))
    public static let networkNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_NET_NS))
    public static let ipcNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_IPC_NS))
    public static let userNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_USER_NS))
    public static let utsNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_UTS_NS))
    public static let landlock = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_LANDLOCK))
    /// setresuid/setresgid to a uid of the run's own (only when the tool runs as root).
    public static let separateUser = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_DROP_UID))
    public static let seccomp = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_SECCOMP))
    /// A mount namespace: the scratch directory is a size-capped tmpfs, /dev/shm is private (root only).
    public static let mountNamespace = IsolationMechanisms(rawValue: UInt32(LESSONS_SANDBOX_MOUNT_NS))

    static let names: [(IsolationMechanisms, String)] = [
        (.noNewPrivileges, "no_new_privs"), (.resourceLimits, "rlimits"), (.userNamespace, "user-ns"),
        (.networkNamespace, "net-ns"), (.ipcNamespace, "ipc-ns"), (.utsNamespace, "uts-ns"), (.mountNamespace, "mount-ns"),
        (.landlock, "landlock"), (.separateUser, "separate-uid"), (.seccomp, "seccomp"),
    ]

    public var description: String {
        IsolationMechanisms.names.filter { contains($0.0) }.map(\.1).joined(separator: " ")
    }
}

/// What this machine offers, measured once.
public struct Isolation: Sendable {
    public var available: IsolationMechanisms
    /// The kernel's Landlock ABI (0: none). 4 adds TCP rules, 6 adds signal scoping.
    public var landlockABI: Int
    /// One line per missing or partial mechanism: shown once per run, never silent.
    public var notes: [String]
    public var runningAsRoot: Bool

    /// Probed on first use (forks a few short-lived children).
    public static let current: Isolation = probe()

    static func probe() -> Isolation {
        var available: UInt32 = 0
        var abi: Int32 = 0
        var buffer = [CChar](repeating: 0, count: 4096)
        let result = lessons_sandbox_probe(&available, &abi, &buffer, buffer.count)
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

extension lessons_sandbox_policy {
    /// The policy for one run: every available mechanism, the run's limits.
    static func make(limits: RunLimits, scratch: String, executable: String, uid: UInt32, gid: UInt32,
                     isolation: Isolation, extraReadable: [String]) throws -> lessons_sandbox_policy {
        var policy = lessons_sandbox_policy()
        policy.enabled = 1
        var mechanisms = isolation.available
        if isolation.runningAsRoot {
            mechanisms.remove(.userNamespace)  // root makes the namespaces itself; no uid mapping needed
        }
        policy.mechanisms = mechanisms.rawValue
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
}

/// A fault of the sandbox itself (never the student's): one line that says what to do.
public struct SandboxError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
