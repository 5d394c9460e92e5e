// Process bookkeeping: a new tid adopted (a fork's child, a thread), an exec (which may take
// over the leader's tid), a reaped thread or process and its exit event and rusage.

import CLessonsPtrace
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

extension TraceSession {
    // MARK: - Processes

    /// Starts tracking a new tid: seen first either in its creator's fork/clone event or in
    /// its own first stop (whichever the kernel reports first).
    func adopt(_ tid: Int32, creator: Tracee? = nil) -> Tracee? {
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

    func exec(_ tracee: Tracee) {
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
    func supersede(leader: Tracee, by thread: Tracee) {
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

    func reap(_ tracee: Tracee, status: Int32, userUsec: Int64, systemUsec: Int64, rssKiB: Int64) {
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
