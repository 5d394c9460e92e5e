// The trace event model: what a traced program did, one event at a time.
// Every stage downstream of the tracer (rendering, matching, pictures, reports) reads these.

/// Whether an event happened while the loader and runtime started up, or once `main` ran.
public enum Phase: String, Codable, Sendable, Hashable {
    case startup
    case program
}

/// One system call, entry and exit merged.
public struct SyscallEvent: Codable, Sendable, Hashable {
    /// x86_64 syscall number.
    public var number: Int
    /// Its name from the kernel's table (`mmap`), or `syscall_<nr>` when unknown.
    public var name: String
    /// The six raw argument registers.
    public var arguments: [UInt64]
    /// The raw return value (`rax` at exit), nil when the call never returned
    /// (`exit_group`, a successful `execve` seen from the old image, the process killed).
    public var returnValue: Int64?
    /// Bytes the call read or wrote that a check may need, captured while the tracee was
    /// stopped: the buffer of `write`/`read` (up to `SyscallEvent.dataCaptureLimit` bytes),
    /// the path of `openat`/`execve`. Nil when nothing was captured or memory was unreadable.
    public var data: [UInt8]?
    /// The argument list exactly as strace prints it between the parentheses.
    public var renderedArguments: String
    /// Where each argument of `renderedArguments` ends, which register it shows and what it
    /// is, as the decoder wrote it (`decodedArguments` reads them).
    public var argumentSpans: [ArgumentSpan]
    /// The return value as strace prints it after ` = ` (`0x55d0c0a1e000`,
    /// `-1 ENOMEM (Cannot allocate memory)`, `?`), without the mark of an injected call.
    public var returnText: String
    /// True when the tracer made this call fail (or return) on purpose (module Tracing's
    /// FaultInjection.swift). The kernel never ran it (or, for `brk`, ran it as `brk(0)`):
    /// checks that read the kernel's answer (memory limits) skip it.
    public var injected: Bool

    public static let dataCaptureLimit = 65536

    public init(number: Int, name: String, arguments: [UInt64], returnValue: Int64?,
                data: [UInt8]? = nil, renderedArguments: String, argumentSpans: [ArgumentSpan] = [],
                returnText: String, injected: Bool = false) {
        self.number = number
        self.name = name
        self.arguments = arguments
        self.returnValue = returnValue
        self.data = data
        self.renderedArguments = renderedArguments
        self.argumentSpans = argumentSpans
        self.returnText = returnText
        self.injected = injected
    }

    /// The return exactly as strace prints it after ` = `: `returnText`, and ` (INJECTED)` after
    /// a call the tracer answered itself.
    public var renderedReturn: String { injected ? returnText + " (INJECTED)" : returnText }

    /// The arguments as strace prints them, each with the register it shows, its value and
    /// kind: `mmap(NULL, 4096, PROT_READ, …)` gives `NULL` (register 0, 0, an address), `4096`, ….
    /// Empty for an event built from text alone.
    public var decodedArguments: [SyscallArgument] {
        let utf8 = renderedArguments.utf8
        var start = 0
        return argumentSpans.map { span in
            let end = min(span.end, utf8.count)
            let from = utf8.index(utf8.startIndex, offsetBy: min(start, end))
            let text = String(decoding: utf8[from..<utf8.index(utf8.startIndex, offsetBy: end)], as: UTF8.self)
            start = end + 2  // past ", "
            let value = span.register >= 0 && span.register < arguments.count ? arguments[span.register] : 0
            return SyscallArgument(register: span.register, value: value, kind: span.kind, text: text)
        }
    }

    /// The printed argument that shows register `register`, if strace prints it.
    public func decodedArgument(register: Int) -> SyscallArgument? {
        decodedArguments.first { $0.register == register }
    }

    /// The return as a value: what the call returned, its errno, whether it was injected.
    public var result: SyscallReturn {
        SyscallReturn(value: returnValue, errno: errno, injected: injected, text: renderedReturn)
    }

    /// The errno when the call failed (`rax` in -4095...-1), else nil.
    public var errno: Int32? {
        guard let value = returnValue, ErrnoTable.isFailure(value) else { return nil }
        return Int32(-value)
    }

    /// True when the call returned and did not fail.
    public var succeeded: Bool { returnValue != nil && errno == nil }
}

/// One argument of a call as strace prints it.
public struct SyscallArgument: Sendable, Hashable {
    /// What an argument is, as its decoder printed it.
    public enum Kind: UInt8, Codable, Sendable, Hashable {
        /// A number in decimal (`4096`, `-1`).
        case number
        /// An address in the tracee (`0x7f…`, `NULL`).
        case address
        /// A file descriptor (`3`, `AT_FDCWD`).
        case fd
        /// Named constants or flags (`PROT_READ|PROT_WRITE`, `SIGSEGV`, `F_GETFL`).
        case flags
        /// Bytes read from the tracee: a path, a buffer (`"hello\n"`).
        case string
        /// A struct or array read from the tracee (`{st_mode=S_IFREG|0644, …}`, `[3, 4]`).
        case structure
        /// strace's raw form: the register in hex.
        case raw
    }

    /// Which of the six argument registers it shows (clone prints them out of order).
    public var register: Int
    /// That register's value.
    public var value: UInt64
    public var kind: Kind
    /// Exactly what strace prints for it.
    public var text: String
}

/// Where one argument ends in a call's argument text (a UTF-8 offset; the next starts after
/// `, `), which register it shows, and what it is.
public struct ArgumentSpan: Codable, Sendable, Hashable {
    public var end: Int
    public var register: Int
    public var kind: SyscallArgument.Kind

    public init(end: Int, register: Int, kind: SyscallArgument.Kind) {
        self.end = end
        self.register = register
        self.kind = kind
    }
}

/// A call's return as values, with its strace text.
public struct SyscallReturn: Sendable, Hashable {
    /// `rax` at exit; nil when the call never returned.
    public var value: Int64?
    /// The errno when the call failed.
    public var errno: Int32?
    /// True when the tracer answered the call itself.
    public var injected: Bool
    /// The text strace prints after ` = `.
    public var text: String
}

/// A signal delivered to a traced process (`--- SIGSEGV {…} ---`).
public struct SignalEvent: Codable, Sendable, Hashable {
    public var signal: Int32
    public var code: Int32
    /// `si_addr` for faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP).
    public var faultAddress: UInt64?
    /// `si_pid`/`si_uid` for signals sent by a process, `si_status` for SIGCHLD.
    public var senderPid: Int32?
    public var senderUid: UInt32?
    public var childStatus: Int32?
    /// The `{…}` part exactly as strace prints it.
    public var rendered: String

    public init(signal: Int32, code: Int32, faultAddress: UInt64? = nil, senderPid: Int32? = nil,
                senderUid: UInt32? = nil, childStatus: Int32? = nil, rendered: String) {
        self.signal = signal
        self.code = code
        self.faultAddress = faultAddress
        self.senderPid = senderPid
        self.senderUid = senderUid
        self.childStatus = childStatus
        self.rendered = rendered
    }
}

/// How a traced process ended (`+++ exited with 0 +++`, `+++ killed by SIGSEGV +++`).
public enum ProcessExit: Codable, Sendable, Hashable {
    case exited(status: Int32)
    case killed(signal: Int32, coreDumped: Bool)
}

public enum TraceEventKind: Codable, Sendable, Hashable {
    case syscall(SyscallEvent)
    case signal(SignalEvent)
    /// A new traced process or thread appeared (fork, vfork, clone).
    case spawned(child: Int32, isThread: Bool)
    case exit(ProcessExit)
    /// A C library call made by the program's own code (`malloc(5000) = 0x…`), traced only
    /// when asked (`TraceRequest.extras.libraryCalls`). It comes before the events it caused,
    /// which carry its `sequence` in `TraceEvent.parentCall`.
    case libraryCall(LibraryCallEvent)
}

/// One call from the program's own code into a traced C library function, entry and return
/// merged (`malloc(5000) = 0x5581d2a4b2a0`, `free(0x5581d2a4b2a0)`).
public struct LibraryCallEvent: Codable, Sendable, Hashable {
    /// `malloc`, `calloc`, `realloc`, `free`, `mallopt`, `sbrk`, `mmap`, `munmap`.
    public var function: String
    /// The argument registers the function takes (rdi, rsi, rdx, rcx, r8, r9), as many as it has.
    public var arguments: [UInt64]
    /// `rax` at return; nil for a function returning nothing (`free`) or a call that never returned.
    public var returnValue: UInt64?
    /// False when the thread or process ended inside the call.
    public var returned: Bool
    /// The argument list as C would print it: `5000`, `0x5581d2a4b2a0, 100`, `NULL`.
    public var renderedArguments: String
    /// The text after ` = ` (`0x5581d2a4b2a0`, `NULL`, `0`, `?`), nil for `free`.
    public var renderedReturn: String?
    /// The return address in the program (the instruction after the call).
    public var returnAddress: UInt64

    public init(function: String, arguments: [UInt64], returnValue: UInt64?, returned: Bool,
                renderedArguments: String, renderedReturn: String?, returnAddress: UInt64) {
        self.function = function
        self.arguments = arguments
        self.returnValue = returnValue
        self.returned = returned
        self.renderedArguments = renderedArguments
        self.renderedReturn = renderedReturn
        self.returnAddress = returnAddress
    }

    /// `malloc(5000) = 0x5581d2a4b2a0`, `free(0x5581d2a4b2a0)`.
    public var text: String {
        "\(function)(\(renderedArguments))" + (renderedReturn.map { " = \($0)" } ?? "")
    }
}

/// One event of a trace, in the order the tracer observed it.
public struct TraceEvent: Codable, Sendable, Hashable {
    /// 0, 1, 2, … in observation order.
    public var sequence: Int
    /// The tid as the tracer sees it (equal to the pid for a single-threaded process).
    public var pid: Int32
    /// The thread-group id (the process the thread belongs to).
    public var processID: Int32
    public var phase: Phase
    public var kind: TraceEventKind
    /// The learner's source line that led to this event (`five.c:6 in main`), when the trace
    /// was asked for source lines (`TraceRequest.sourceLines`) and the line is known.
    public var source: EventSource?
    /// For an event that happened inside a traced library call (`TraceRequest.libraryCalls`):
    /// the `sequence` of that call's event, which comes first.
    public var parentCall: Int?

    public init(sequence: Int, pid: Int32, processID: Int32? = nil, phase: Phase, kind: TraceEventKind,
                source: EventSource? = nil, parentCall: Int? = nil) {
        self.sequence = sequence
        self.pid = pid
        self.processID = processID ?? pid
        self.phase = phase
        self.kind = kind
        self.source = source
        self.parentCall = parentCall
    }

    public var syscall: SyscallEvent? {
        if case .syscall(let call) = kind { return call }
        return nil
    }
}

/// The learner's source line that led to an event.
public struct EventSource: Sendable, Codable, Hashable {
    /// The file name as the debug information gives it (a base name: `anon.c`).
    public var file: String
    /// 1-based line in `file`.
    public var line: Int
    /// The function the line lies in (`main`, `grab(_:)`), when known.
    public var function: String?

    public init(file: String, line: Int, function: String? = nil) {
        self.file = file
        self.line = line
        self.function = function
    }

    /// `anon.c:7 in main` (or `anon.c:7`).
    public var description: String {
        "\(file):\(line)" + (function.map { " in \($0)" } ?? "")
    }
}

/// Everything a run produced: events, how the first process ended, and its output.
/// This is what expectations are matched against.
public struct ProgramRun: Codable, Sendable {
    /// Every recorded event (after `main` only, unless the tracer was asked for all).
    public var events: [TraceEvent]
    /// The pid of the first process (the program the tracer started).
    public var rootPid: Int32
    /// How the first process ended; nil if the tracer stopped it (timeout, limit).
    public var exit: ProcessExit?
    /// Standard output and error as read from the program's pipes (capped).
    public var stdout: [UInt8]
    public var stderr: [UInt8]
    /// True when output went past its cap and was cut.
    public var stdoutTruncated: Bool
    public var stderrTruncated: Bool
    /// Whether a `main` marker was found; when false, every event counts as `program`.
    public var sawMain: Bool
    /// Set when the recorded events reached the tracer's budget: what was not kept (TraceCut.swift).
    public var cut: TraceCut?

    public init(events: [TraceEvent], rootPid: Int32, exit: ProcessExit?, stdout: [UInt8] = [],
                stderr: [UInt8] = [], stdoutTruncated: Bool = false, stderrTruncated: Bool = false,
                sawMain: Bool = true) {
        self.events = events
        self.rootPid = rootPid
        self.exit = exit
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
        self.sawMain = sawMain
    }
}
