// What to trace and how: the input of `Tracer.run`.

import CLessonsPtrace

/// Where the traced program's standard input comes from.
public enum TraceInput: Sendable {
    /// The tool's own standard input.
    case inherit
    /// `/dev/null`.
    case null
    /// These bytes, then end of file.
    case bytes([UInt8])
}

/// Caps for captured standard output and error, in bytes. Past a cap the output is cut,
/// the whole traced tree is killed and `TraceOutcome.outputLimitExceeded` is set.
package struct OutputCapture: Sendable {
    package var stdoutLimit: Int
    package var stderrLimit: Int

    package init(stdoutLimit: Int = 1 << 20, stderrLimit: Int = 64 << 10) {
        self.stdoutLimit = stdoutLimit
        self.stderrLimit = stderrLimit
    }
}

public struct TraceRequest: Sendable {
    /// Path to the program (not searched on $PATH).
    public var executable: String
    /// argv[1...]; argv[0] is the executable path.
    public var arguments: [String]
    /// argv[0] as the user typed it (`sh` for /usr/bin/sh, like a shell and strace pass it);
    /// nil = the executable path.
    public var programName: String?
    /// nil = inherit the tool's environment.
    public var environment: [String: String]?
    public var workingDirectory: String?
    public var stdin: TraceInput = .inherit
    /// nil = the program writes to the tool's stdout/stderr.
    package var capture: OutputCapture?
    /// The program's standard output is a pseudo-terminal instead of a pipe (`--tty`): the C
    /// library line-buffers it with a terminal's buffer, as at a shell prompt. Its output is
    /// captured as with a pipe, or, without `capture`, copied to the tool's standard output.
    public var stdoutTerminal = false
    /// false = record/stream only events after `main` (the tracer still sees start-up).
    public var includeStartup: Bool = false
    /// Follow fork, vfork and clone (processes and threads).
    public var followForks: Bool = true
    /// nil = every syscall stops; else a seccomp SECCOMP_RET_TRACE filter stops only on these.
    public var syscallFilter: Set<Int>?
    /// Wall-clock seconds; past it the whole traced tree is killed and `timedOut` is set.
    public var timeout: Double?
    /// The CPU to pin the tracer thread and the tracee to; nil = no pinning.
    public var pinCPU: Int?
    /// false = events go to `onEvent` only and memory stays flat however long the trace.
    public var recordEvents: Bool = true
    /// Most bytes the recorded events of this run may take (captured buffers up to a quarter
    /// of it); past it the tracer counts instead of keeping (`ProgramRun.cut`), so a program
    /// cannot make the tool hold more than this whatever it does. nil = no bound.
    public var keptBytesLimit: Int? = TraceRequest.defaultKeptBytesLimit
    /// false = no `cpuSeconds` or `peakMemoryBytes` in the outcome (both 0): every ptrace stop
    /// is then reported without the kernel summing the tracee's resource usage.
    public var measureResources: Bool = true
    /// What the child runs between fork and exec besides the tracer's own set-up (the
    /// sandbox's cgroups and confinement); nil = nothing.
    package var childSteps: ChildSteps?
    /// Kills every process of the run, also any the tracer does not follow (by the run's cgroup,
    /// by its uid). Called from the thread that ends the run at a limit (`traceEnded` false), and
    /// on the tracer's thread once the last traced process is gone (true: anything still alive
    /// then was never traced), before the trace returns.
    public var killRun: (@Sendable (_ traceEnded: Bool) -> Void)?
    /// Beyond strace: fault injection, source lines, library calls (TraceExtras.swift).
    public var extras = TraceExtraOptions()

    /// 64 MiB: some 100 000 plain events, or 256 64 KiB `write` buffers and then ~77 000 events
    /// (what they cost the process, CaptureBudget.swift).
    public static let defaultKeptBytesLimit = 64 << 20

    public init(executable: String, arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }
}

/// Steps a traced child runs between fork and exec for another layer (the sandbox), which the
/// tracer runs without knowing what they do: C functions (no Swift may run in the child) and
/// one value they read, copied and kept here for as long as a spawn may need it.
package final class ChildSteps: @unchecked Sendable {  // immutable after init
    /// First thing after fork, before the child can be traced.
    let start: lessons_child_step?
    /// Once the child is traced, before the seccomp filter and exec.
    let confine: lessons_child_step?
    let context: UnsafeMutableRawPointer

    /// `context` is a plain C value (no references): it is copied as bytes.
    package init<Context>(start: lessons_child_step?, confine: lessons_child_step?, context: Context) {
        precondition(_isPOD(Context.self), "a child step's context is read by C after fork: plain data only")
        self.start = start
        self.confine = confine
        self.context = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<Context>.size,
                                                        alignment: MemoryLayout<Context>.alignment)
        self.context.initializeMemory(as: Context.self, repeating: context, count: 1)
    }

    deinit { context.deallocate() }
}
