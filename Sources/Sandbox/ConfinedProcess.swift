// Running a trusted program on untrusted input, untraced but confined like a run: the compiler,
// assembler and linker on a student's file (`.incbin "/etc/shadow"`, `#include` of another
// student's submission) read only what any student may read.
//
// The child (lessons_confined_spawn) joins a cgroup of its own, enters a user namespace when
// not root, a pid namespace whose pid 1 it becomes (everything it starts dies with it, and it
// dies with the waiting thread: PR_SET_PDEATHSIG), a mount namespace with a private /tmp where
// its working directory is bound at a fixed path, a network namespace (no network), Landlock
// (read and execute only the system and the toolchain; write only its working directory),
// its own uid when root, rlimits (CPU, address space, file size, processes) and seccomp.
import CLessonsPtrace
import CLessonsSandbox
import Glibc
import Synchronization
import Tracing

/// What a confined tool may touch, and for how long.
package struct Confinement: Sendable {
    /// The directory it works in, read-write (seen inside at `insideWorkDirectory`).
    package var workDirectory: String
    /// More read-write directories, seen inside at fixed paths (the Swift module cache).
    package var extraWritable: [Bind] = []
    /// Files or directories it may read and execute besides the system's (a compiler installed
    /// elsewhere: its own installation).
    package var extraReadable: [String] = []
    package var wallSeconds: Double
    package var cpuSeconds: Double
    package var memoryBytes: Int
    package var fileSizeBytes: Int
    package var processes: Int = 64
    package var openFiles: Int = 1024
    /// Called once the tool's process exists (forked; its set-up and exec under way), before the
    /// wait for its end: `check FILE` holds its own parsing back until then.
    package var onStarted: (@Sendable () -> Void)?
    /// A C compile without gcc's driver: the process (cc1) piped into `assemble`, then `link`,
    /// each an argv whose first word is an absolute path (lessons_confined_request).
    package var assembleAndLink: (assemble: [String], link: [String])?

    package struct Bind: Sendable, Hashable {
        package var machine: String
        package var inside: String
        package init(machine: String, inside: String) {
            self.machine = machine
            self.inside = inside
        }
    }

    package init(workDirectory: String, wallSeconds: Double, memoryBytes: Int, fileSizeBytes: Int) {
        self.workDirectory = workDirectory
        self.wallSeconds = wallSeconds
        self.cpuSeconds = wallSeconds
        self.memoryBytes = memoryBytes
        self.fileSizeBytes = fileSizeBytes
    }

    /// Where the work directory is bound inside, when the machine gives a mount namespace.
    package static let workInside = "/tmp/lessons-compile"

    /// What every confined tool may read (and execute): the system and the Swift toolchain.
    package static var systemReadable: [String] { compilerReadable }

    /// The working directory's path as the tool sees it (the same with no mount namespace).
    package var insideWorkDirectory: String {
        ConfinedProcess.binds ? Confinement.workInside : workDirectory
    }

    /// The path inside of one of `extraWritable` (its machine path with no mount namespace).
    package func inside(_ bind: Bind) -> String { ConfinedProcess.binds ? bind.inside : bind.machine }
}

package struct ConfinedResult: Sendable, Equatable {
    package enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
    }
    package var ending: Ending
    package var wallSeconds: Double
    /// The kernel killed a process of it at the cgroup's memory limit.
    package var outOfMemory: Bool
}

package enum ConfinedProcess {
    /// Whether confined tools see their directories at fixed paths in a private /tmp (a mount namespace).
    package static var binds: Bool {
        Isolation.current.available.contains(.mountNamespace)
    }

    /// Runs `arguments[0]` (an absolute path) confined, its stdout and stderr into `output`.
    /// Throws `SandboxError` only when it could not be started (the tool's fault).
    package static func run(_ arguments: [String], environment: [String: String], confinement: Confinement,
                           output: Int32) throws -> ConfinedResult {
        do {
            return try runOnce(arguments, environment: environment, confinement: confinement, output: output)
        } catch let failure as SetUpFailure {
            // Nothing ran: when this boot's cached probe claimed a mechanism that no longer
            // works, learn again and try once more (the output file is still empty), unless the
            // paths the caller gave depend on what changed (binds).
            let bound = binds
            guard IsolationState.shared.relearn(), binds == bound else { throw failure.error }
            do {
                return try runOnce(arguments, environment: environment, confinement: confinement, output: output)
            } catch let again as SetUpFailure {
                throw again.error
            }
        }
    }

    /// The child's set-up failed before exec.
    private struct SetUpFailure: Error { var error: SandboxError }

    /// Confined processes running now (their relays' pids, not yet reaped), for `stopAll`.
    private static let running = Mutex<Set<Int32>>([])

    /// Kills every confined process running now (the relay takes its namespace's processes
    /// with it); each `run` then returns as for a process killed from outside, and removes its
    /// directories as always. For a command that ends while a compile it no longer needs runs.
    /// Under the lock: a pid leaves the set before its relay is reaped, so no pid killed here
    /// can have been handed to another process meanwhile.
    package static func stopAll() {
        running.withLock { pids in
            for pid in pids {
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
            }
        }
    }

    private static func runOnce(_ arguments: [String], environment: [String: String], confinement: Confinement,
                                output: Int32) throws -> ConfinedResult {
        // The child's move into its cgroup finds the lock warm, and so does the run that usually
        // follows a compile (CgroupWarmUp.swift).
        let warm = CgroupWarmUp.Hold()
        defer { warm.release() }
        let isolation = Isolation.current
        let root = isolation.runningAsRoot
        let identity = root && isolation.available.contains(.separateUser) ? RunIdentity.fresh() : nil
        // The tool's own uid writes its working directories.
        if let identity {
            for directory in [confinement.workDirectory] + confinement.extraWritable.map(\.machine) {
                try ScratchDirectory.chownTree(directory, uid: identity.uid, gid: identity.gid)
            }
        }
        let cgroup = try RunCgroup.make(memoryBytes: confinement.memoryBytes, processes: confinement.processes)
        defer { cgroup?.removeLater() }

        var policy = try lessons_sandbox_policy.confined(confinement, isolation: isolation, identity: identity, cgroup: cgroup)
        let started = monotonicNow()
        var pidfd: Int32 = -1, errorFD: Int32 = -1
        let env = environment.map { "\($0.key)=\($0.value)" }.sorted()
        let directory = binds ? nil : confinement.workDirectory  // with binds, the sandbox moves in
        let pid: Int32 = withCStringArray(arguments) { argv in
            withCStringArray(env) { envp in
                arguments[0].withCString { path in
                    withOptionalCString(directory ?? confinement.workDirectory) { cwd in
                        withUnsafePointer(to: &policy) { policyPointer in
                            withOptionalCStringArray(confinement.assembleAndLink?.assemble) { assemble in
                                withOptionalCStringArray(confinement.assembleAndLink?.link) { link in
                                    var request = lessons_confined_request(path: path, argv: argv, envp: envp, working_directory: cwd,
                                                                           stdin_fd: -1, stdout_fd: output, stderr_fd: output,
                                                                           sandbox: policyPointer, assemble_argv: assemble, link_argv: link)
                                    return lessons_confined_spawn(&request, &pidfd, &errorFD)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard pid > 0 else {
            throw SandboxError("cannot start \(arguments[0]) confined: fork failed: \(lastError())")
        }
        running.withLock { _ = $0.insert(pid) }
        confinement.onStarted?()
        defer {
            if pidfd >= 0 { close(pidfd) }
            close(errorFD)
        }

        let timedOut = Spawn.waitForEnd(pid, pidfd: pidfd, deadline: started + confinement.wallSeconds) {
            // The relay's death takes pid 1 and with it every process of the namespace; its
            // process group (it called setsid) and cgroup hold them too where there is none.
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            cgroup?.killAll()
        }
        // Nothing it started outlives it (without a pid namespace: its session's process group).
        kill(-pid, SIGKILL)
        running.withLock { _ = $0.remove(pid) }  // before its pid is free again
        let ended = Spawn.wait(pid) ?? .signaled(SIGKILL)  // reaped by someone else: its end is unknown
        let wall = monotonicNow() - started
        // A set-up failure before exec: the tool's fault, never the student's.
        var failure = lessons_spawn_failure()
        if lessons_read_spawn_failure(errorFD, &failure) != 0 {
            let message = withUnsafeBytes(of: failure.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            let reason = failure.error_number != 0 ? ": " + String(cString: strerror(failure.error_number)) : ""
            throw SetUpFailure(error: SandboxError("cannot run \(arguments[0]) confined (\(message)\(reason)); run the tool as root, or where user namespaces are allowed"))
        }
        let ending: ConfinedResult.Ending
        switch ended {
        case _ where timedOut: ending = .timedOut
        case .exited(let code): ending = .exited(code)
        case .signaled(let signal): ending = .signaled(signal)
        }
        return ConfinedResult(ending: ending, wallSeconds: wall, outOfMemory: (cgroup?.oomKills ?? 0) > 0)
    }
}

extension lessons_sandbox_policy {
    /// The policy of a confined tool: every mechanism the machine has, a pid namespace of its
    /// own, the system and the toolchain readable and executable, its directories writable.
    static func confined(_ confinement: Confinement, isolation: Isolation, identity: RunIdentity?,
                         cgroup: RunCgroup?) throws -> lessons_sandbox_policy {
        var policy = lessons_sandbox_policy()
        policy.enabled = 1
        var mechanisms = isolation.available
        if isolation.runningAsRoot { mechanisms.remove(.userNamespace) }
        if identity == nil { mechanisms.remove(.separateUser) }
        // A fresh /proc for the compiler's own pid namespace: it reads /proc/self, not others'.
        if mechanisms.contains(.pidNamespace) && mechanisms.contains(.mountNamespace) { mechanisms.insert(.privateProc) }
        else { mechanisms.remove(.privateProc) }
        policy.mechanisms = mechanisms.rawValue
        policy.allow_exec = 1
        policy.allow_network = 0
        policy.uid = identity?.uid ?? 0
        policy.gid = identity?.gid ?? 0
        policy.joinSharedNetwork(isolation)
        func too(_ path: String) -> SandboxError {
            SandboxError("the path \(path) is too long for the compiler's sandbox; set LESSONS_CACHE to a shorter folder")
        }
        guard lessons_sandbox_policy_set_path(&policy, Int32(LESSONS_SANDBOX_PATH_SCRATCH), confinement.insideWorkDirectory) == 0 else {
            throw too(confinement.workDirectory)
        }
        for directory in compilerReadable + confinement.extraReadable + swiftRuntimeDirectories {
            guard lessons_sandbox_policy_set_path(&policy, Int32(LESSONS_SANDBOX_PATH_READ_ONLY), directory) == 0 else {
                throw SandboxError("too many readable paths for the compiler's sandbox (at most \(LESSONS_SANDBOX_READ_PATHS)): \(confinement.extraReadable)")
            }
        }
        if mechanisms.contains(.mountNamespace) {
            var binds = [Confinement.Bind(machine: confinement.workDirectory, inside: Confinement.workInside)] + confinement.extraWritable
            // A compiler named by a path the private /tmp hides is bound back at its place.
            binds += confinement.extraReadable.filter { $0.hasPrefix("/tmp/") }.map { Confinement.Bind(machine: $0, inside: $0) }
            for bind in binds {
                guard lessons_sandbox_policy_add_bind(&policy, bind.machine, bind.inside) == 0 else {
                    throw too(bind.machine)
                }
            }
        }
        policy.cpu_seconds = UInt64(max(1, confinement.cpuSeconds.rounded(.up)))
        policy.memory_bytes = UInt64(max(0, confinement.memoryBytes))
        policy.processes = UInt64(max(0, confinement.processes))
        policy.file_size_bytes = UInt64(max(0, confinement.fileSizeBytes))
        policy.open_files = UInt64(max(0, confinement.openFiles))
        if let cgroup { policy.setCgroups(cgroup.joinDescriptors) }
        return policy
    }
}

/// What a compiler may read and execute: the system, its headers and libraries, the Swift
/// toolchain; /proc and /sys (its own, in its pid namespace) for what swift-frontend reads of itself.
/// Not /home, /root, /work, /tmp, /srv, /var: not other submissions, not the lessons' answers.
let compilerReadable = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", "/opt/swift", "/proc", "/sys", "/dev"]

func monotonicNow() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

private func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStringArray<R>(_ strings: [String]?, _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> R) -> R {
    guard let strings else { return body(nil) }
    return withCStringArray(strings) { body($0) }
}

private func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}
