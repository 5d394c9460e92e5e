// Starting the traced program: the child made by the C shim (fork, the sandbox's set-up,
// PTRACE_TRACEME, exec), its output pumped, the loop run, and the outcome put together; a
// failure before exec said in the words of the stage that failed.

import CLessonsPtrace
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

extension TraceSession {
    // MARK: - Spawning

    func run() throws(TraceError) -> TraceOutcome {
        let started = monotonicSeconds()
        killSwitch.tracerStarted()
        // A tool of ours (addr2line) that died must give us EPIPE, not kill the tool with
        // SIGPIPE: blocked for this thread (a thread-directed SIGPIPE then stays pending here).
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
        // Pinning only makes tracing faster (no wake-up sent across CPUs): a CPU that is gone
        // since it was chosen (taken offline, or the cpuset narrowed) leaves the run unpinned,
        // never failed.
        if let cpu = request.pinCPU { _ = lessons_pin_current_thread(Int32(cpu)) }

        // Standard streams for the child.
        var childFDs: [Int32] = []          // closed in the parent after the spawn
        defer { for fd in childFDs { close(fd) } }
        var stdinFD: Int32 = -1, stdinWriter: Int32 = -1, stdinRest: [UInt8] = []
        switch request.stdin {
        case .inherit: break
        case .null:
            stdinFD = open("/dev/null", O_RDONLY | O_CLOEXEC)
            if stdinFD < 0 { throw TraceError("cannot open /dev/null: \(String(cString: strerror(errno)))") }
            childFDs.append(stdinFD)
        case .bytes(let bytes):
            var fds: [Int32] = [-1, -1]
            if lessons_pipe(&fds, O_CLOEXEC) != 0 { throw TraceError("cannot create the input pipe: \(String(cString: strerror(errno)))") }
            stdinFD = fds[0]
            childFDs.append(stdinFD)
            stdinWriter = fds[1]
            // Small inputs fit the pipe's buffer: write them now and close. Bigger ones are fed by the pump.
            let upFront = min(bytes.count, 65536)
            var written = 0
            while written < upFront {
                let n = bytes.withUnsafeBytes { write(stdinWriter, $0.baseAddress! + written, upFront - written) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                written += n
            }
            if written == bytes.count {
                close(stdinWriter)
                stdinWriter = -1
            } else {
                stdinRest = Array(bytes[written...])
                _ = fcntl(stdinWriter, F_SETFL, fcntl(stdinWriter, F_GETFL) | O_NONBLOCK)
            }
        }
        var stdoutRead: Int32 = -1, stdoutWrite: Int32 = -1, stderrRead: Int32 = -1, stderrWrite: Int32 = -1
        if request.capture != nil {
            var fds: [Int32] = [-1, -1]
            if lessons_pipe(&fds, O_CLOEXEC) != 0 { throw TraceError("cannot create the output pipe: \(String(cString: strerror(errno)))") }
            (stdoutRead, stdoutWrite) = (fds[0], fds[1])
            if lessons_pipe(&fds, O_CLOEXEC) != 0 {
                close(stdoutRead); close(stdoutWrite)
                throw TraceError("cannot create the output pipe: \(String(cString: strerror(errno)))")
            }
            (stderrRead, stderrWrite) = (fds[0], fds[1])
            childFDs += [stdoutWrite, stderrWrite]
            _ = fcntl(stdoutRead, F_SETFL, fcntl(stdoutRead, F_GETFL) | O_NONBLOCK)
            _ = fcntl(stderrRead, F_SETFL, fcntl(stderrRead, F_GETFL) | O_NONBLOCK)
        }
        if request.stdoutTerminal {  // `--tty`: a pseudo-terminal takes the stdout pipe's place
            var controller: Int32 = -1, terminal: Int32 = -1
            if lessons_open_pty(&controller, &terminal) != 0 {
                let reason = String(cString: strerror(errno))
                for fd in [stdoutRead, stderrRead] where fd >= 0 { close(fd) }
                throw TraceError("cannot open a pseudo-terminal for the program's output: \(reason); run without --tty")
            }
            if stdoutRead >= 0 { close(stdoutRead) }
            if stdoutWrite >= 0 { close(stdoutWrite); childFDs.removeAll { $0 == stdoutWrite } }
            (stdoutRead, stdoutWrite) = (controller, terminal)
            childFDs.append(terminal)
            _ = fcntl(stdoutRead, F_SETFL, fcntl(stdoutRead, F_GETFL) | O_NONBLOCK)
        }

        var options = LESSONS_PTRACE_O_TRACESYSGOOD | LESSONS_PTRACE_O_TRACEEXEC | LESSONS_PTRACE_O_EXITKILL
        if request.followForks {
            options |= LESSONS_PTRACE_O_TRACEFORK | LESSONS_PTRACE_O_TRACEVFORK | LESSONS_PTRACE_O_TRACECLONE
        }
        if seccompMode { options |= LESSONS_PTRACE_O_TRACESECCOMP }
        let filter = (request.syscallFilter ?? []).sorted().map { Int32(truncatingIfNeeded: $0) }

        var errorFD: Int32 = -1
        var failure = lessons_spawn_failure()
        let argv = [request.programName ?? request.executable] + request.arguments
        let envp = request.environment.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" } }
        var pid: pid_t = -1
        // A child killed from outside before its seize stop ran none of the program: try again once.
        for attempt in 0..<2 {
            pid = spawnOnce(argv: argv, envp: envp, filter: filter, options: Int32(options), stdinFD: stdinFD,
                            stdoutWrite: stdoutWrite, stderrWrite: stderrWrite, errorFD: &errorFD, failure: &failure)
            let killedEarly = pid < 0 && Int(failure.stage) == Int(LESSONS_SPAWN_STAGE_SETUP)
                && failure.wait_status != 0 && lessons_wifsignaled(failure.wait_status) != 0
            if !killedEarly || attempt == 1 { break }
        }
        for fd in childFDs { close(fd) }
        childFDs = []
        if pid < 0 {
            for fd in [stdoutRead, stderrRead, stdinWriter] where fd >= 0 { close(fd) }
            throw spawnError(failure)
        }
        defer { close(errorFD) }

        rootPid = pid
        let root = TracedProcess(tgid: pid, parent: nil, visible: false, execed: false, phase: .startup)
        rootProcess = root
        let rootTracee = Tracee(tid: pid, process: root)
        root.liveThreads = 1
        tracees[pid] = rootTracee
        killSwitch.add(pid)

        if request.capture != nil || stdinWriter >= 0 || request.timeout != nil || request.stdoutTerminal {
            let output = OutputPump(stdout: stdoutRead, stdoutLimit: request.capture?.stdoutLimit ?? 0,
                                    stderr: stderrRead, stderrLimit: request.capture?.stderrLimit ?? 0,
                                    stdinFD: stdinWriter, stdinBytes: stdinRest,
                                    wallLimit: request.timeout, started: started, killSwitch: killSwitch,
                                    stdoutRelay: request.stdoutTerminal && request.capture == nil ? 1 : -1)
            if output.start() { pump = output } else {
                killSwitch.request(.timeout)
            }
        }

        loop()

        let streams = pump?.finish()
        pump = nil
        let wall = monotonicSeconds() - started

        if !rootExeced {
            var report = lessons_spawn_failure()
            if lessons_read_spawn_failure(errorFD, &report) != 0 {
                throw spawnError(report)
            }
            if killSwitch.setupTimedOut {
                throw TraceError("setting up \(request.executable) took longer than \(Int(OutputPump.setupSeconds)) s before it could start (the machine is overloaded, or a kernel mechanism stalled); nothing of the program ran; try again")
            }
        }
        if !sawMain && request.recordEvents {
            for index in events.indices { events[index].phase = .program }
        }
        var run = ProgramRun(events: events, rootPid: rootPid, exit: rootExit, sawMain: sawMain)
        run.cut = budget?.cut
        if let streams {
            run.stdout = streams.stdout.bytes
            run.stderr = streams.stderr.bytes
            run.stdoutTruncated = streams.stdout.truncated
            run.stderrTruncated = streams.stderr.truncated
        }
        return TraceOutcome(run: run, timedOut: killSwitch.timedOut,
                            outputLimitExceeded: killSwitch.outputLimitExceeded,
                            wallSeconds: wall, cpuSeconds: Double(cpuMicroseconds) / 1e6,
                            peakMemoryBytes: Int(peakRSSKiB) * 1024)
    }

    func spawnOnce(argv: [String], envp: [String]?, filter: [Int32], options: Int32, stdinFD: Int32,
                           stdoutWrite: Int32, stderrWrite: Int32, errorFD: inout Int32,
                           failure: inout lessons_spawn_failure) -> pid_t {
        return withCStrings(argv) { argvPointer in
            withOptionalCStrings(envp) { envpPointer in
                filter.withUnsafeBufferPointer { filterBuffer in
                    withExtendedLifetime(request.childSteps) {
                        request.executable.withCString { path in
                            withOptionalCString(request.workingDirectory) { directory in
                                var spawn = lessons_spawn_request(
                                    path: path, argv: argvPointer, envp: envpPointer,
                                    working_directory: directory,
                                    stdin_fd: stdinFD, stdout_fd: stdoutWrite, stderr_fd: stderrWrite,
                                    start: request.childSteps?.start,
                                    confine: request.childSteps?.confine,
                                    step_context: request.childSteps.map { UnsafeRawPointer($0.context) },
                                    syscall_filter: seccompMode ? filterBuffer.baseAddress : nil,
                                    syscall_filter_count: Int32(seccompMode ? filterBuffer.count : 0),
                                    ptrace_options: options)
                                return lessons_spawn_traced(&spawn, &errorFD, &failure)
                            }
                        }
                    }
                }
            }
        }
    }

    func spawnError(_ failure: lessons_spawn_failure) -> TraceError {
        let message = withUnsafeBytes(of: failure.message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let code = failure.error_number
        let reason = code != 0 ? String(cString: strerror(code)) : "unknown error"
        let program = request.executable
        switch Int(failure.stage) {
        case Int(LESSONS_SPAWN_STAGE_EXEC):
            let advice: String
            switch code {
            case ENOENT: advice = "check the path (a script's #! interpreter must exist too)"
            case EACCES: advice = "make it executable (chmod +x) or check the directories on its path"
            case ENOEXEC: advice = "it is not a program: give a compiled executable or a script starting with #!"
            case ENOTDIR: advice = "a part of the path is not a directory"
            default: advice = "check that it is a program for this machine"
            }
            return TraceError("cannot run \(program): \(reason): \(advice)", kind: .cannotRun, errorNumber: code)
        case Int(LESSONS_SPAWN_STAGE_SANDBOX):
            var error = TraceError("cannot run \(program) in the sandbox: \(message)", kind: .cannotRun, errorNumber: code)
            error.sandboxSetUp = true
            return error
        case Int(LESSONS_SPAWN_STAGE_SETUP):
            var text = code != 0 ? "cannot run \(program): \(message): \(reason)" : "cannot run \(program): \(message)"
            if let directory = request.workingDirectory, message.contains("working directory") { text += " (\(directory))" }
            return TraceError(text, kind: .cannotRun, errorNumber: code)
        case Int(LESSONS_SPAWN_STAGE_SEIZE):
            return TraceError("cannot trace \(program): \(message): \(reason); ptrace must be allowed (see /proc/sys/kernel/yama/ptrace_scope, or the container's seccomp profile)", errorNumber: code)
        case Int(LESSONS_SPAWN_STAGE_SECCOMP):
            return TraceError("cannot trace \(program): \(message): \(reason); trace without a syscall filter", errorNumber: code)
        default:
            return TraceError("cannot start \(program): \(message): \(reason)", errorNumber: code)
        }
    }
}

// MARK: - C strings for the spawn request

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { for pointer in pointers { free(pointer) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStrings<R>(_ strings: [String]?, _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> R) -> R {
    guard let strings else { return body(nil) }
    return withCStrings(strings) { body($0) }
}

private func withOptionalCString<R>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}
