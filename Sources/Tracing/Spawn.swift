// Starting one of the tool's own programs (addr2line, swift-demangle, the learner's $EDITOR)
// and waiting for it, in one place: the descriptors it gets (pipes made close-on-exec
// atomically, so no other child started at the same moment inherits an end), the tracer's
// bookkeeping of its own children, waiting with or without a deadline, and the reading of the
// wait status. A learner's program never comes through here: it is traced (Tracer) or confined.
// The confined compiler (Sandbox's ConfinedProcess) is started by the sandbox's C code, since
// its confinement (namespaces, Landlock, rlimits, its cgroup, its uid) is applied between fork
// and exec where posix_spawn has no say; from its pid on it is waited for here like the others.

import CLessonsPtrace
import Glibc

package enum Spawn {
    /// Where one of the child's standard streams goes.
    package enum Stream: Sendable {
        /// The tool's own (a terminal for $EDITOR).
        case inherit
        /// `/dev/null`.
        case null
        /// A pipe whose other end the caller gets (`Child.input` / `Child.output`).
        case pipe
    }

    /// How a child ended.
    package enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)

        /// From a `waitpid` status.
        package init(waitStatus status: Int32) {
            self = (status & 0x7f) == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
        }

        /// As a shell reports it: the exit code, or 128 + the signal.
        package var shellStatus: Int32 {
            switch self {
            case .exited(let code): return code
            case .signaled(let signal): return 128 + signal
            }
        }
    }

    /// A started child and the caller's ends of its pipes (-1 where there is none).
    package struct Child {
        package var pid: pid_t
        /// Writes to the child's standard input.
        package var input: Int32
        /// Reads the child's standard output.
        package var output: Int32
        /// Started by the tracer's thread: kept out of the run's kill sweep until `forget`.
        var tracerOwned: Bool
    }

    /// Starts `arguments[0]` (a path) with `arguments`; `environment` nil: the tool's own.
    /// `tracerOwned`: the child belongs to the tracer (addr2line, swift-demangle), not to the
    /// traced run, and must survive the run's kill sweep; it is registered under the same
    /// lock as its spawn so the sweep never sees it unregistered. Nil when it cannot start.
    /// `directory`: where it starts (nil: the tool's own working directory).
    static func start(_ arguments: [String], environment: [String]? = nil, directory: String? = nil, stdin: Stream,
                      stdout: Stream, stderr: Stream = .null, tracerOwned: Bool = false) -> Child? {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        func closeAll() { for fd in toChild + fromChild where fd >= 0 { close(fd) } }
        if case .pipe = stdin, lessons_pipe(&toChild, O_CLOEXEC) != 0 { return nil }
        if case .pipe = stdout, lessons_pipe(&fromChild, O_CLOEXEC) != 0 { closeAll(); return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let directory, lessons_spawn_addchdir(&actions, directory) != 0 { closeAll(); return nil }
        switch stdin {
        case .inherit: break
        case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        case .pipe: posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        }
        for (fd, stream) in [(Int32(1), stdout), (2, stderr)] {
            switch stream {
            case .inherit: break
            case .null: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            case .pipe: posix_spawn_file_actions_adddup2(&actions, fromChild[1], fd)
            }
        }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let envp: [UnsafeMutablePointer<CChar>?]? = environment.map { $0.map { strdup($0) } + [nil] }
        defer { for pointer in envp ?? [] { free(pointer) } }
        var pid: pid_t = 0
        let spawn = { () -> Int32 in
            if let envp { return posix_spawn(&pid, arguments[0], &actions, nil, argv, envp) }
            return posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        }
        let rc = tracerOwned
            ? KillSwitch.tracerChildren.withLock { owned in
                let rc = spawn()
                if rc == 0 { owned.insert(pid) }
                return rc
            }
            : spawn()
        // The child's ends are the child's.
        if toChild[0] >= 0 { close(toChild[0]) }
        if fromChild[1] >= 0 { close(fromChild[1]) }
        guard rc == 0 else {
            if toChild[1] >= 0 { close(toChild[1]) }
            if fromChild[0] >= 0 { close(fromChild[0]) }
            return nil
        }
        return Child(pid: pid, input: toChild[1], output: fromChild[0], tracerOwned: tracerOwned)
    }

    /// Waits for `pid` to end (through signals that interrupt the wait). Nil when it is not
    /// this process's child to wait for (someone else reaped it).
    package static func wait(_ pid: pid_t) -> Ending? {
        var status: Int32 = 0
        var reaped: pid_t
        repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR
        return reaped == pid ? Ending(waitStatus: status) : nil
    }

    /// Waits until `pid` (a child of this process) has ended, leaving it to be reaped with
    /// `wait`: its pid, and so its process group, cannot be reused meanwhile. At `deadline`
    /// (monotonic seconds) `expire` is called (it kills what must die) and the wait goes on
    /// until the end. `pidfd` (-1 when there is none) wakes the wait at the end; without it the
    /// wait polls, from 1 ms up to 20 ms. True when the deadline passed.
    package static func waitForEnd(_ pid: pid_t, pidfd: Int32 = -1, deadline: Double, expire: () -> Void) -> Bool {
        var pause: useconds_t = 1000
        while true {
            if lessons_child_ended(pid, 0) != 0 { return false }
            let left = deadline - monotonicSeconds()
            if left <= 0 {
                expire()
                _ = lessons_child_ended(pid, 1)
                return true
            }
            if pidfd >= 0 {
                var ready = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
                _ = poll(&ready, 1, Int32(min(left * 1000 + 1, 60_000)))
            } else {
                usleep(pause)
                pause = min(pause * 2, 20_000)
            }
        }
    }

    /// A tracer-owned child that has ended (or will be reaped by whoever waits for children
    /// next) leaves the tracer's bookkeeping.
    static func forget(_ child: Child) {
        if child.tracerOwned { KillSwitch.tracerChildren.withLock { _ = $0.remove(child.pid) } }
    }

    /// Runs `arguments` to its end and returns how it ended and, with `stdout: .pipe`, the
    /// first `cap` bytes it wrote there (the rest is read and dropped, so the child is never
    /// stopped by a full pipe). `deadline` (seconds from now): the child is killed (SIGKILL)
    /// if it has not closed its output and ended by then.
    /// Nil when it cannot start.
    package static func run(_ arguments: [String], environment: [String]? = nil, directory: String? = nil,
                           stdin: Stream = .null, stdout: Stream, stderr: Stream = .null, cap: Int = 1 << 16,
                           deadline: Double? = nil) -> (ending: Ending?, output: [UInt8])? {
        run(arguments, environment: environment, directory: directory, stdin: stdin, stdout: stdout, stderr: stderr,
            cap: cap, deadline: deadline, tracerOwned: false)
    }

    static func run(_ arguments: [String], environment: [String]? = nil, directory: String? = nil, stdin: Stream = .null,
                    stdout: Stream, stderr: Stream = .null, cap: Int = 1 << 16, deadline: Double? = nil,
                    tracerOwned: Bool) -> (ending: Ending?, output: [UInt8])? {
        let end = deadline.map { monotonicSeconds() + $0 }
        guard let child = start(arguments, environment: environment, directory: directory, stdin: stdin, stdout: stdout,
                                stderr: stderr, tracerOwned: tracerOwned) else { return nil }
        defer { forget(child) }
        if child.input >= 0 { close(child.input) }
        var bytes: [UInt8] = []
        var expired = false
        if child.output >= 0 {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                if let end {
                    let left = end - monotonicSeconds()
                    if left <= 0 {
                        expired = true
                        break
                    }
                    var ready = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
                    if poll(&ready, 1, Int32(min(left * 1000 + 1, 60_000))) <= 0 { continue }  // the clock again
                }
                let n = chunk.withUnsafeMutableBytes { read(child.output, $0.baseAddress!, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                if bytes.count < cap { bytes.append(contentsOf: chunk[0..<min(n, cap - bytes.count)]) }
            }
            close(child.output)
        }
        if let end, !expired {
            expired = waitForEnd(child.pid, deadline: end) { kill(child.pid, SIGKILL) }
        }
        if expired { kill(child.pid, SIGKILL) }
        return (wait(child.pid), bytes)
    }
}
