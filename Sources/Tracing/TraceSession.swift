// One trace, on one thread: the session's state and how events leave it. Spawning is in
// TraceSession+Spawn, the stop loop in +Loop, process bookkeeping in +Processes.
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
    let request: TraceRequest
    let onEvent: ((TraceEvent) -> Void)?
    let onUnfinished: ((UnfinishedCall) -> Void)?
    /// The shown call that started last and has not returned while nothing else was shown: strace
    /// has its line open. Its return makes one line; any other shown event interrupts it.
    var openCall: (tid: Int32, liveAtEntry: Int)?  // a tid, not a Tracee: no refcounting per call
    let seccompMode: Bool
    let killSwitch: KillSwitch
    /// Output, input and the clock (OutputPump.swift), while the trace runs.
    var pump: OutputPump?
    let extras: TraceExtras?  // nil unless asked: a plain trace pays nothing for them (TraceExtras.swift)

    var tracees: [Int32: Tracee] = [:]
    var lastTracee: Tracee?
    var events: [TraceEvent] = []
    /// Bounds what `events` (and events held back for library calls) may take (CaptureBudget.swift).
    var budget: CaptureBudget?
    var heldBytes = 0
    var sequence = 0
    var rootPid: Int32 = 0
    var rootProcess: TracedProcess?
    var rootExit: ProcessExit?
    var rootExeced = false
    var sawMain = false
    var cpuMicroseconds: Int64 = 0
    var peakRSSKiB: Int64 = 0

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

    // MARK: - Events

    /// Whether an event of `tracee` in `phase` (default: its process's) goes out: its process
    /// is visible and the phase is wanted.
    @inline(__always)
    func isShown(_ tracee: Tracee, phase: Phase? = nil) -> Bool {
        let process = tracee.process
        return process.visible && (request.includeStartup || (phase ?? process.phase) == .program)
    }

    @inline(__always)
    func emit(_ tracee: Tracee, _ kind: TraceEventKind, phase: Phase? = nil) {
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
