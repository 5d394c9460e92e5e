// One trace, on one thread: spawn, the ptrace event loop, the main marker, bookkeeping.
//
// Stops and what the loop does with them (status from wait4 with __WALL|__WNOTHREAD):
//   syscall stop (SIGTRAP|0x80)       PTRACE_GET_SYSCALL_INFO: entry → SyscallDecoder.entry, kept per tid;
//                                     exit → SyscallDecoder.exit, one merged event (exit and
//                                     exit_group, which never return, go out at entry as `= ?`)
//   seccomp stop (event 7)            the entry of a filtered call; PTRACE_SYSCALL to its exit stop
//   fork/vfork/clone (events 1-3)     note the child (it reports its own first stop, maybe earlier)
//   exec (event 4)                    a non-leader exec takes over the leader's tid; re-arm `main`
//   PTRACE_EVENT_STOP                 group-stop (SIGSTOP/TSTP/TTIN/TTOU) → PTRACE_LISTEN; else resume
//   other stops                       signal-delivery-stop: our int3 at `main`, or a signal passed on
//   exited / killed                   flush a pending call (`= ?`), the exit event, rusage
//
// The `main` marker: after each exec, an int3 at `main` (see MainMarker.swift); events of a
// process are `.startup` until it hits, `.program` after. A program that execs another image is
// re-armed: the new image's start-up is `.startup` again until its own `main`. An image without
// a `main` symbol is `.program` from its exec on. `ProgramRun.sawMain` says whether the first
// process reached its `main`; when it did not, recorded events are all marked `.program`.
// Everything before the first process's exec (our own set-up in the child) is never shown.

import CLessonsPtrace
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

/// State shared by the threads of one process (thread group).
final class TracedProcess {
    let tgid: Int32
    var parent: TracedProcess?
    /// Before the first process's exec nothing is shown: that is our set-up code in the child.
    var visible: Bool
    /// After exec the seccomp filter governs stops (PTRACE_CONT between traced calls).
    var execed: Bool
    var phase: Phase
    /// The armed int3: where, and the original word to put back.
    var breakpoint: (address: UInt64, word: UInt64)?
    var liveThreads = 0
    var reaped = false

    init(tgid: Int32, parent: TracedProcess?, visible: Bool, execed: Bool, phase: Phase) {
        self.tgid = tgid
        self.parent = parent
        self.visible = visible
        self.execed = execed
        self.phase = phase
    }
}

/// One traced thread.
final class Tracee {
    let tid: Int32
    var process: TracedProcess
    /// The entry of the call it is in, waiting for its exit stop.
    var pending: SyscallEntry?
    /// The phase the pending call began in, when an exec changed the process's phase under it
    /// (an `execve` made after `main` belongs to the program, though it returns in the new image).
    var pendingPhase: Phase?
    /// The pending call's event went out at its entry (exit and exit_group never return).
    var pendingShown = false
    var killed = false

    init(tid: Int32, process: TracedProcess) {
        self.tid = tid
        self.process = process
    }
}

final class TraceSession {
    private let request: TraceRequest
    private let onEvent: ((TraceEvent) -> Void)?
    private let onUnfinished: ((UnfinishedCall) -> Void)?
    /// The shown call that started last and has not returned while nothing else was shown: strace
    /// has its line open. Its return makes one line; any other shown event interrupts it.
    private var openCall: (tid: Int32, liveAtEntry: Int)?  // a tid, not a Tracee: no refcounting per call
    private let seccompMode: Bool
    private let killSwitch: KillSwitch
    /// Output, input and the clock (OutputPump.swift), while the trace runs.
    private var pump: OutputPump?
    private let extras: TraceExtras?  // nil unless asked: a plain trace pays nothing for them (TraceExtras.swift)

    private var tracees: [Int32: Tracee] = [:]
    private var lastTracee: Tracee?
    private var events: [TraceEvent] = []
    /// Bounds what `events` (and events held back for library calls) may take (CaptureBudget.swift).
    private var budget: CaptureBudget?
    private var heldBytes = 0
    private var sequence = 0
    private var rootPid: Int32 = 0
    private var rootProcess: TracedProcess?
    private var rootExit: ProcessExit?
    private var rootExeced = false
    private var sawMain = false
    private var cpuMicroseconds: Int64 = 0
    private var peakRSSKiB: Int64 = 0

    init(request: TraceRequest, onUnfinished: ((UnfinishedCall) -> Void)? = nil, onEvent: ((TraceEvent) -> Void)?) throws(TraceError) {
        guard !request.executable.isEmpty else {
            throw TraceError("no program given: name the program to trace", kind: .cannotRun)
        }
        self.request = request
        self.onEvent = onEvent
        self.killSwitch = KillSwitch(killRun: request.killRun)
        self.seccompMode = !(request.syscallFilter?.isEmpty ?? true)
        self.extras = TraceExtras(request: request)
        self.budget = request.keptBytesLimit.map { CaptureBudget(limit: $0) }
        // Library calls hold events back and source lines extend them: entries would not line up.
        self.onUnfinished = request.extras.sourceLines || request.extras.libraryCalls ? nil : onUnfinished
        extras?.attach(self)
    }

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
        if let cpu = request.pinCPU, lessons_pin_current_thread(Int32(cpu)) != 0 {
            throw TraceError("cannot pin the tracer to CPU \(cpu): \(String(cString: strerror(errno))); pick another CPU or turn pinning off")
        }

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

    private func spawnOnce(argv: [String], envp: [String]?, filter: [Int32], options: Int32, stdinFD: Int32,
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

    private func spawnError(_ failure: lessons_spawn_failure) -> TraceError {
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

    // MARK: - The loop

    private func loop() {
        var status: Int32 = 0
        var userUsec: Int64 = 0, systemUsec: Int64 = 0, rssKiB: Int64 = 0
        let waitOptions = Int32(LESSONS_WAIT_ALL | LESSONS_WAIT_NOTHREAD)
        let measure = request.measureResources
        while true {
            let pid = measure
                ? lessons_wait4(-1, &status, waitOptions, 1, &userUsec, &systemUsec, &rssKiB)
                : lessons_wait4(-1, &status, waitOptions, 1, nil, nil, nil)
            if pid < 0 {
                if errno == EINTR { continue }
                break  // ECHILD: every tracee is reaped.
            }
            let tracee: Tracee
            if let last = lastTracee, last.tid == pid {
                tracee = last
            } else if let known = tracees[pid] {
                tracee = known
            } else if lessons_wifstopped(status) != 0, let newcomer = adopt(pid) {
                tracee = newcomer
            } else {
                continue  // The death of a tid we never saw (or no longer track).
            }
            lastTracee = tracee
            if killSwitch.isRequested && !tracee.killed {
                tracee.killed = true
                kill(pid, SIGKILL)
            }

            if lessons_wifexited(status) != 0 || lessons_wifsignaled(status) != 0 {
                reap(tracee, status: status, userUsec: userUsec, systemUsec: systemUsec, rssKiB: rssKiB)
                if tracees.isEmpty {
                    // The last traced process is gone: the run is over, whatever else it started.
                    endRun()
                    break
                }
                continue
            }
            guard lessons_wifstopped(status) != 0 else { continue }
            let signal = lessons_wstopsig(status)
            if signal == SIGTRAP | 0x80 {
                syscallStop(tracee)
                continue
            }
            let event = lessons_wptrace_event(status)
            if event != 0 {
                eventStop(tracee, event: event, signal: signal)
                continue
            }
            signalDeliveryStop(tracee, signal: signal)
        }
        // Anything still listed vanished without a death report (a thread replaced by an exec).
        for tracee in tracees.values { killSwitch.remove(tracee.tid) }
        tracees.removeAll()
    }

    /// Once no traced process is left: kill whatever of the run is not traced (a process made
    /// with CLONE_UNTRACED, where the sandbox could not refuse it) and reap this thread's
    /// remaining children, so `wait4(-1)` can never wait on a process nobody will end.
    /// Bounded: a child that will not die (stuck in the kernel) is left to this process.
    private func endRun() {
        killSwitch.killUnfollowed(traceEnded: true)
        var status: Int32 = 0
        let options = Int32(LESSONS_WAIT_ALL | LESSONS_WAIT_NOTHREAD | LESSONS_WAIT_NOHANG)
        let deadline = monotonicSeconds() + 2
        var pause: useconds_t = 200
        while true {
            let pid = lessons_wait4(-1, &status, options, 1, nil, nil, nil)
            if pid > 0 { continue }
            if pid < 0 { break }  // ECHILD: nothing left
            if monotonicSeconds() > deadline { break }
            killSwitch.killUnfollowed(traceEnded: false)
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    /// PTRACE_SYSCALL, or PTRACE_CONT when the seccomp filter decides which calls stop.
    @inline(__always)
    func resume(_ tracee: Tracee, signal: Int32 = 0) {
        let request = seccompMode && tracee.process.execed && tracee.pending == nil
            ? LESSONS_PTRACE_CONT : LESSONS_PTRACE_SYSCALL
        _ = lessons_ptrace(Int32(request), tracee.tid, 0, UInt64(signal))  // ESRCH: it died; wait4 says how.
    }

    private func syscallStop(_ tracee: Tracee) {
        var stop = lessons_syscall_stop()
        if lessons_get_syscall_info(tracee.tid, &stop) == 0 {
            switch Int(stop.op) {
            case Int(LESSONS_SYSCALL_INFO_ENTRY):
                enter(tracee, stop: stop)
            case Int(LESSONS_SYSCALL_INFO_EXIT):
                if !tracee.pendingShown, let entry = tracee.pending.take() {
                    let memory = TraceeMemoryReader(pid: tracee.tid)
                    let call = extras?.exited(tracee, entry: entry, returnValue: stop.rval, memory: memory)
                        ?? SyscallDecoder.exit(entry, returnValue: stop.rval, memory: memory)
                    emit(tracee, .syscall(call), phase: tracee.pendingPhase)
                    tracee.pendingPhase = nil
                }
            default:
                break
            }
        } else if !tracee.pendingShown, let entry = tracee.pending.take() {
            // An exit stop whose return is gone with the thread (killed between the stop and now).
            emit(tracee, .syscall(SyscallDecoder.unavailable(entry)), phase: tracee.pendingPhase)
            tracee.pendingPhase = nil
        }
        resume(tracee)
    }

    @inline(__always)
    private func enter(_ tracee: Tracee, stop: lessons_syscall_stop) {
        let a = stop.args
        let entry = SyscallDecoder.entry(number: Int(stop.nr), arguments: [a.0, a.1, a.2, a.3, a.4, a.5],
                                         stackPointer: stop.stack_pointer, memory: TraceeMemoryReader(pid: tracee.tid))
        tracee.pending = entry
        tracee.pendingShown = false
        extras?.entered(tracee, number: Int(stop.nr))
        if onUnfinished != nil, isShown(tracee, phase: tracee.pendingPhase) {
            interruptOpenCall(by: tracee.tid)  // strace prints this call's start now
            openCall = (tracee.tid, tracees.count)
        }
        if entry.number == Self.exitThreadCall || entry.number == Self.exitGroupCall {
            // They never return: strace prints their whole line (`= ?`) now, before what the
            // other threads do while this one dies. The entry stays pending for reap().
            tracee.pendingShown = true
            emit(tracee, .syscall(SyscallDecoder.exit(entry, returnValue: nil, memory: TraceeMemoryReader(pid: tracee.tid))),
                 phase: tracee.pendingPhase)
        }
    }

    /// Another thread's open call is cut by something shown for thread `tid` (nil: anything else).
    @inline(__always)
    private func interruptOpenCall(by tid: Int32?) {
        guard let open = openCall else { return }
        openCall = nil
        guard open.tid != tid, let entry = tracees[open.tid]?.pending, let onUnfinished else { return }
        onUnfinished(UnfinishedCall(pid: open.tid, number: entry.number, name: SyscallTable.displayName(of: entry.number),
                                    printed: entry.straceEntryText, liveAtEntry: open.liveAtEntry))
    }

    private func eventStop(_ tracee: Tracee, event: Int32, signal: Int32) {
        switch Int(event) {
        case LESSONS_PTRACE_EVENT_SECCOMP:
            // A filtered call's entry (the syscall-entry-stop, when we also asked for one, came first).
            if tracee.pending == nil {
                var stop = lessons_syscall_stop()
                if lessons_get_syscall_info(tracee.tid, &stop) == 0 && stop.op == LESSONS_SYSCALL_INFO_SECCOMP {
                    enter(tracee, stop: stop)
                }
            }
            resume(tracee)
        case LESSONS_PTRACE_EVENT_FORK, LESSONS_PTRACE_EVENT_VFORK, LESSONS_PTRACE_EVENT_CLONE:
            var message: UInt = 0
            if lessons_ptrace_event_message(tracee.tid, &message) == 0 {
                let child = Int32(truncatingIfNeeded: message)
                if tracees[child] == nil { _ = adopt(child, creator: tracee) }
            }
            resume(tracee)
        case LESSONS_PTRACE_EVENT_EXEC:
            exec(tracee)
            resume(tracee)
        case LESSONS_PTRACE_EVENT_STOP:
            if signal == SIGSTOP || signal == SIGTSTP || signal == SIGTTIN || signal == SIGTTOU {
                // strace's `--- stopped by SIGSTOP ---` (it ends another thread's open line first)
                if let onUnfinished, isShown(tracee) {
                    interruptOpenCall(by: nil)
                    onUnfinished(.groupStop(pid: tracee.tid, signal: signal, liveAtEntry: tracees.count))
                }
                // A group-stop of a seized tracee: stay stopped, but keep reporting (SIGCONT, SIGKILL).
                _ = lessons_ptrace(Int32(LESSONS_PTRACE_LISTEN), tracee.tid, 0, 0)
            } else {
                resume(tracee)
            }
        default:
            resume(tracee)
        }
    }

    private func signalDeliveryStop(_ tracee: Tracee, signal: Int32) {
        if signal == SIGTRAP, let breakpoint = tracee.process.breakpoint {
            var ip: UInt64 = 0
            if lessons_get_instruction_pointer(tracee.tid, &ip) == 0, ip == breakpoint.address &+ 1 {
                // Our int3 at `main`: put the byte back, step back onto it, and swallow the trap.
                _ = lessons_ptrace(Int32(LESSONS_PTRACE_POKEDATA), tracee.tid, breakpoint.address, breakpoint.word)
                _ = lessons_set_instruction_pointer(tracee.tid, breakpoint.address)
                tracee.process.breakpoint = nil
                tracee.process.phase = .program
                if tracee.process === rootProcess { sawMain = true }
                extras?.reachedMain(tracee)
                resume(tracee)
                return
            }
        }
        if let extras, extras.signal(tracee, signal) { return }  // a library-call breakpoint's SIGTRAP is the tracer's, not the program's
        // Decoded only when it will be shown: our own SIGCONT before the exec never is.
        if isShown(tracee) {
            var siginfo = [UInt8](repeating: 0, count: 128)
            let gotInfo = siginfo.withUnsafeMutableBufferPointer { lessons_get_siginfo(tracee.tid, $0.baseAddress!) } == 0
            if gotInfo {
                emit(tracee, .signal(SyscallDecoder.signal(siginfo: siginfo)))
            }
        }
        resume(tracee, signal: signal)
    }

    // MARK: - Processes

    /// Starts tracking a new tid: seen first either in its creator's fork/clone event or in
    /// its own first stop (whichever the kernel reports first).
    private func adopt(_ tid: Int32, creator: Tracee? = nil) -> Tracee? {
        let ids = processIDs(of: tid)
        let tgid = ids?.tgid ?? tid
        let process: TracedProcess
        let isThread = tgid != tid
        if isThread, let group = tracees[tgid]?.process ?? (creator?.process.tgid == tgid ? creator?.process : nil) {
            process = group
        } else {
            let parent = creator?.process ?? ids.flatMap { tracees[$0.ppid]?.process }
            process = TracedProcess(tgid: tgid, parent: parent, visible: parent?.visible ?? true,
                                    execed: parent?.execed ?? true, phase: parent?.phase ?? .program)
            // A fork before `main` copies the int3 too.
            process.breakpoint = parent?.breakpoint
            if let parent { extras?.forked(process, from: parent) }  // a fork copies the library-call int3s too
        }
        process.liveThreads += 1
        let tracee = Tracee(tid: tid, process: process)
        tracees[tid] = tracee
        killSwitch.add(tid)
        if killSwitch.isRequested {
            tracee.killed = true
            kill(tid, SIGKILL)
        }
        let spawner = creator ?? tracees[process.parent?.tgid ?? -1] ?? tracees[tgid]
        if let spawner, spawner !== tracee {
            emit(spawner, .spawned(child: tid, isThread: isThread))
        }
        return tracee
    }

    private func exec(_ tracee: Tracee) {
        // A non-leader thread that execs takes over the leader's tid; the message is its old tid.
        var message: UInt = 0
        if lessons_ptrace_event_message(tracee.tid, &message) == 0 {
            let former = Int32(truncatingIfNeeded: message)
            if former != tracee.tid, let old = tracees[former] {
                supersede(leader: tracee, by: old)  // while the thread is still known by its tid
                tracees.removeValue(forKey: former)
                tracee.pending = old.pending
                tracee.pendingShown = false
                old.process.liveThreads -= 1
                killSwitch.remove(former)
                if lastTracee === old { lastTracee = nil }
            }
        }
        let process = tracee.process
        tracee.pendingPhase = process.phase
        process.execed = true
        if process === rootProcess && !rootExeced {
            rootExeced = true
            process.visible = true
            pump?.programStarted()  // its wall-clock limit counts from here
        }
        process.breakpoint = nil
        process.phase = .program
        extras?.execed(tracee)
        if let entry = auxvEntry(pid: tracee.tid),
           let image = try? ELFImage.load(path: "/proc/\(tracee.tid)/exe"),
           let address = image.mainAddress(atEntry: entry) {
            var word: UInt64 = 0
            if lessons_ptrace_peek(tracee.tid, address, &word) == 0,
               lessons_ptrace(Int32(LESSONS_PTRACE_POKEDATA), tracee.tid, address, (word & ~0xff) | 0xcc) == 0 {
                process.breakpoint = (address, word)
                process.phase = .startup
            }
        }
    }

    /// A thread that is not the leader exec'd: it takes the leader's pid. Shown as strace shows it:
    /// the leader's own pending call ends unreturned (`<... nanosleep resumed> <unfinished ...>) = ?`,
    /// strace's exit stop of the leader), then the thread's execve line is closed with
    /// ` <pid changed to L ...>` and the leader is `+++ superseded by execve in pid T +++`.
    private func supersede(leader: Tracee, by thread: Tracee) {
        if let call = leader.pending, !leader.pendingShown {
            leader.pending = nil
            emit(leader, .syscall(SyscallDecoder.exit(call, returnValue: nil, memory: TraceeMemoryReader(pid: leader.tid))),
                 phase: leader.pendingPhase)
            leader.pendingPhase = nil
        }
        let open = openCall
        let lineOpen = open?.tid == thread.tid
        if open?.tid == thread.tid || open?.tid == leader.tid { openCall = nil }
        guard let onUnfinished, let entry = thread.pending, isShown(thread) else { return }
        onUnfinished(UnfinishedCall(pid: thread.tid, number: entry.number, name: SyscallTable.displayName(of: entry.number),
                                    printed: entry.straceEntryText, liveAtEntry: lineOpen ? open!.liveAtEntry : tracees.count,
                                    supersededLeader: leader.tid, lineOpen: lineOpen))
    }

    /// SYS_exit ends one thread; SYS_exit_group the whole process.
    static let exitThreadCall = Nr.exit
    static let exitGroupCall = Nr.exitGroup

    private func reap(_ tracee: Tracee, status: Int32, userUsec: Int64, systemUsec: Int64, rssKiB: Int64) {
        var exit: ProcessExit = lessons_wifexited(status) != 0
            ? .exited(status: lessons_wexitstatus(status))
            : .killed(signal: lessons_wtermsig(status), coreDumped: lessons_wcoredump(status) != 0)
        // A thread that entered exit(N) ends with N. When the group exits (exit_group, a fatal
        // signal) before we reap that thread's zombie, the kernel's wait status carries the
        // group's status instead (wait_task_zombie), which would show a thread that returned
        // normally as killed by the group's SIGABRT. strace reaps fast enough to print N.
        if let entry = tracee.pending, entry.number == Self.exitThreadCall, tracee.tid != tracee.process.tgid,
           let code = entry.arguments.first {
            exit = .exited(status: Int32(truncatingIfNeeded: code & 0xff))
        }
        if let entry = tracee.pending, !tracee.pendingShown {
            tracee.pending = nil
            let call = SyscallDecoder.exit(entry, returnValue: nil, memory: TraceeMemoryReader(pid: tracee.tid))
            emit(tracee, .syscall(call), phase: tracee.pendingPhase)
        }
        extras?.gone(tracee)  // its open library calls end unreturned
        emit(tracee, .exit(exit))
        tracees.removeValue(forKey: tracee.tid)
        if lastTracee === tracee { lastTracee = nil }
        killSwitch.remove(tracee.tid)
        let process = tracee.process
        process.liveThreads -= 1
        if tracee.tid == process.tgid {
            process.reaped = true
            peakRSSKiB = max(peakRSSKiB, rssKiB)
            // wait4 reports the group plus the children it reaped: count a process here unless a
            // live traced parent will reap it (its time then arrives with the parent's).
            if let parent = process.parent, !parent.reaped {} else { cpuMicroseconds += userUsec + systemUsec }
        }
        if tracee.tid == rootPid { rootExit = exit }
        if tracees.isEmpty { extras?.allGone() }
    }

    // MARK: - Events

    /// Whether an event of `tracee` in `phase` (default: its process's) goes out: its process
    /// is visible and the phase is wanted.
    @inline(__always)
    private func isShown(_ tracee: Tracee, phase: Phase? = nil) -> Bool {
        let process = tracee.process
        return process.visible && (request.includeStartup || (phase ?? process.phase) == .program)
    }

    @inline(__always)
    private func emit(_ tracee: Tracee, _ kind: TraceEventKind, phase: Phase? = nil) {
        guard isShown(tracee, phase: phase) else { return }
        let process = tracee.process
        let phase = phase ?? process.phase
        if openCall != nil {
            switch kind {
            case .spawned: break  // prints nothing
            case .syscall where openCall?.tid == tracee.tid: openCall = nil  // the open call returned: one line
            default: interruptOpenCall(by: nil)
            }
        }
        var event = TraceEvent(sequence: sequence, pid: tracee.tid, processID: process.tgid, phase: phase, kind: kind)
        if let extras {  // source lines; events inside a library call wait for it
            event.source = extras.source(tracee, kind: kind)
            // Held events are kept too: past the budget they go out at once, out of their call.
            if heldBytes < (budget?.limit ?? Int.max), extras.hold(tracee, event) {
                heldBytes += event.keptBytes
                return
            }
        }
        deliver(event)
    }

    /// Publishes a finished event under the next sequence number; returns that number.
    @discardableResult
    func deliver(_ built: consuming TraceEvent) -> Int {
        var event = built
        event.sequence = sequence
        sequence += 1
        if event.parentCall != nil, heldBytes > 0 { heldBytes = max(0, heldBytes - event.keptBytes) }  // released from hold
        onEvent?(event)
        if request.recordEvents {
            if budget == nil || budget!.admit(&event) { events.append(event) }
        }
        return event.sequence
    }
}

/// Tgid and PPid of a tid, from /proc/TID/status.
private func processIDs(of tid: Int32) -> (tgid: Int32, ppid: Int32)? {
    let fd = open("/proc/\(tid)/status", O_RDONLY | O_CLOEXEC)
    if fd < 0 { return nil }
    defer { close(fd) }
    guard let bytes = FileReader(fd: fd).readAll(limit: 4096) else { return nil }
    var tgid: Int32?, ppid: Int32?
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
        if line.hasPrefix("Tgid:") { tgid = Int32(line.dropFirst(5).trimmingCharacters()) }
        if line.hasPrefix("PPid:") { ppid = Int32(line.dropFirst(5).trimmingCharacters()) }
    }
    guard let tgid, let ppid else { return nil }
    return (tgid, ppid)
}

private extension Substring {
    func trimmingCharacters() -> String {
        String(drop(while: { $0 == " " || $0 == "\t" }).prefix(while: { $0 != " " && $0 != "\t" }))
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

