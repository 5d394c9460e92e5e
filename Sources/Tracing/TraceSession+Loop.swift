// The stop loop: one wait4 at a time, each stop handled as the table at the top of
// TraceSession.swift says (syscall entry and exit, ptrace events, signals).

import CLessonsPtrace
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

extension TraceSession {
    // MARK: - The loop

    func loop() {
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
    func endRun() {
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

    func syscallStop(_ tracee: Tracee) {
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
    func enter(_ tracee: Tracee, stop: lessons_syscall_stop) {
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
    func interruptOpenCall(by tid: Int32?) {
        guard let open = openCall else { return }
        openCall = nil
        guard open.tid != tid, let entry = tracees[open.tid]?.pending, let onUnfinished else { return }
        onUnfinished(UnfinishedCall(pid: open.tid, number: entry.number, name: SyscallTable.displayName(of: entry.number),
                                    printed: entry.straceEntryText, liveAtEntry: open.liveAtEntry))
    }

    func eventStop(_ tracee: Tracee, event: Int32, signal: Int32) {
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

    func signalDeliveryStop(_ tracee: Tracee, signal: Int32) {
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
}
