// What the tracer does beyond strace, when asked: fault injection (FaultInjection.swift), source
// lines (SourceLines.swift) and library-call events (LibraryCalls.swift).
// TraceSession owns one `TraceExtras` only when the request asks for one of them (nil
// otherwise: a plain trace pays nothing); it calls these hooks at a few points of its loop.

import CLessonsPtrace
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

final class TraceExtras {
    let request: TraceRequest
    private let injections: [FaultInjection]
    /// Per process (tgid) and rule index and syscall: calls counted since `main`.
    private var injectionCounts: [Int32: [Int: [Int: Int]]] = [:]
    /// Threads whose current call was injected: the value to return at its exit stop
    /// (nil: keep what the kernel returned, for `brk`, see below).
    private var injected: [Int32: Int64?] = [:]
    let sources: SourceLines?
    let calls: LibraryCalls?

    /// What the skipped call becomes. strace's -1 (the kernel skips it with ENOSYS), unless
    /// the child runs under the sandbox, whose seccomp filter runs after the tracer's change
    /// and kills -1 (it reads as an x32 call): then `getpid`, which every filter allows and
    /// which changes nothing; its result is overwritten at the exit stop all the same.
    private var skipNumber: UInt64 { request.childSteps == nil ? UInt64(bitPattern: -1) : UInt64(Nr.getpid) }

    init?(request: TraceRequest) {
        guard !request.faultInjections.isEmpty || request.extras.sourceLines || request.extras.libraryCalls else { return nil }
        self.request = request
        injections = request.faultInjections
        sources = request.extras.sourceLines ? SourceLines() : nil
        calls = request.extras.libraryCalls ? LibraryCalls(sources: sources) : nil
    }

    // MARK: - Hooks called by TraceSession

    /// At a syscall entry (or seccomp) stop, after the entry was decoded.
    func entered(_ tracee: Tracee, number: Int) {
        guard !injections.isEmpty, tracee.process.phase == .program else { return }
        let tgid = tracee.process.tgid
        for (index, rule) in injections.enumerated() where rule.syscalls.contains(number) {
            let count = (injectionCounts[tgid]?[index]?[number] ?? 0) + 1
            injectionCounts[tgid, default: [:]][index, default: [:]][number] = count
            if rule.hits(invocation: count), injected[tracee.tid] == nil {
                if number == Nr.brk && ErrnoTable.isFailure(rule.returnValue) {
                    // The kernel's brk never returns -errno: it refuses by returning the current
                    // break, and glibc's brk()/sbrk() read "new break < asked" as ENOMEM (a -12
                    // would be taken for a huge new break). So ask for brk(0), which moves nothing
                    // and returns the current break: exactly how a real refusal looks.
                    if Registers.set(tracee.tid, .rdi, 0) { injected[tracee.tid] = .some(nil) }
                } else if Registers.set(tracee.tid, .origRax, skipNumber) {
                    // strace's way: an invalid syscall number makes the kernel skip the call.
                    injected[tracee.tid] = rule.returnValue
                }
            }
        }
    }

    /// At a syscall exit stop: the event for an injected call (nil when the call ran for real).
    func exited(_ tracee: Tracee, entry: SyscallEntry, returnValue: Int64, memory: TraceeMemory) -> SyscallEvent? {
        guard let replacement = injected.removeValue(forKey: tracee.tid) else { return nil }
        let value = replacement ?? returnValue
        if replacement != nil {
            _ = Registers.set(tracee.tid, .rax, UInt64(bitPattern: value))
        } else if let asked = entry.arguments.first {
            // brk: the caller may still hold its argument in rdi (glibc compares it with the result).
            _ = Registers.set(tracee.tid, .rdi, asked)
        }
        var call = SyscallDecoder.exit(entry, returnValue: value, memory: memory)
        // strace prints an injected return plainly (no fcntl flags), then ` (INJECTED)`
        call.returnText = SyscallDecoder.renderReturn(number: entry.number, value)
        call.injected = true
        return call
    }

    /// A thread is gone (its pending injection with it).
    func gone(_ tracee: Tracee) {
        injected.removeValue(forKey: tracee.tid)
        calls?.gone(tracee)
    }

    /// A process exec'd a new image: its counters and breakpoints start over.
    func execed(_ tracee: Tracee) {
        injectionCounts.removeValue(forKey: tracee.process.tgid)
        sources?.forget(tracee.process.tgid)
        calls?.execed(tracee)
    }

    /// The process reached `main` (the loader has mapped the libraries).
    func reachedMain(_ tracee: Tracee) {
        sources?.reachedMain(tid: tracee.tid)
        calls?.reachedMain(tracee)
    }

    /// A new process was forked from `parent` (it carries the parent's breakpoints in its memory).
    func forked(_ child: TracedProcess, from parent: TracedProcess) {
        calls?.forked(child, from: parent)
    }

    /// The session to emit and resume through (library calls need it).
    func attach(_ session: TraceSession) {
        calls?.session = session
    }

    /// A signal-delivery stop: true when it is ours (a library-call breakpoint or the single
    /// step over one), handled and resumed.
    func signal(_ tracee: Tracee, _ signal: Int32) -> Bool {
        calls?.signal(tracee, signal) ?? false
    }

    /// Whether `event` waits for the library call its thread is inside.
    func hold(_ tracee: Tracee, _ event: TraceEvent) -> Bool {
        calls?.hold(tracee, event) ?? false
    }

    /// Every tracee is gone: stop the tracer's own tools (addr2line) so the loop's wait4 can finish.
    func allGone() {
        sources?.finish()
    }

    /// The source line to attach to an event of `tracee`, when asked for.
    func source(_ tracee: Tracee, kind: TraceEventKind) -> EventSource? {
        guard let sources, tracee.process.phase == .program else { return nil }
        switch kind {
        case .syscall, .signal:
            if let site = calls?.currentCallSite(tracee) {
                return sources.describe(tgid: tracee.process.tgid, pid: tracee.tid, address: site)
            }
            return sources.locate(tracee)
        default: return nil
        }
    }
}

/// The registers of a stopped tracee, one at a time (the C side finds each one's offset).
enum Registers {
    enum Slot {
        case rbp, rax, rdi, rsi, rdx, rcx, r8, r9, r10, origRax, rip, rsp

        var register: lessons_register {
            switch self {
            case .rbp: LESSONS_REGISTER_RBP
            case .rax: LESSONS_REGISTER_RAX
            case .rdi: LESSONS_REGISTER_RDI
            case .rsi: LESSONS_REGISTER_RSI
            case .rdx: LESSONS_REGISTER_RDX
            case .rcx: LESSONS_REGISTER_RCX
            case .r8: LESSONS_REGISTER_R8
            case .r9: LESSONS_REGISTER_R9
            case .r10: LESSONS_REGISTER_R10
            case .origRax: LESSONS_REGISTER_ORIG_RAX
            case .rip: LESSONS_REGISTER_RIP
            case .rsp: LESSONS_REGISTER_RSP
            }
        }
    }

    static let singleStep = Int32(LESSONS_PTRACE_SINGLESTEP)

    static func get(_ tid: Int32, _ slot: Slot) -> UInt64? {
        var value: UInt64 = 0
        return lessons_get_register(tid, Int32(slot.register.rawValue), &value) == 0 ? value : nil
    }

    @discardableResult
    static func set(_ tid: Int32, _ slot: Slot, _ value: UInt64) -> Bool {
        lessons_set_register(tid, Int32(slot.register.rawValue), value) == 0
    }
}

/// The request's options for what the tracer does beyond strace. All off by default.
public struct TraceExtraOptions: Sendable {
    /// Calls to fail on purpose (`--inject=mmap:error=ENOMEM:when=2`); empty = none.
    public var faultInjections: [FaultInjection] = []
    /// Name the learner's source line of each event after `main` (`TraceEvent.source`).
    public var sourceLines = false
    /// Trace the C library calls of the program's own code (`.libraryCall` events):
    /// malloc, calloc, realloc, free, mallopt, sbrk, mmap, munmap.
    public var libraryCalls = false
    public init() {}
}

extension TraceRequest {
    /// Calls to fail on purpose (`--inject=mmap:error=ENOMEM:when=2`); empty = none.
    public var faultInjections: [FaultInjection] {
        get { extras.faultInjections }
        set { extras.faultInjections = newValue }
    }
}
