// The limits one untrusted run (and one compilation) gets: defaults roomy enough for every
// exercise's correct program and tight enough that a class's worth of runaway ones cannot
// take the machine, changed per exercise (`LimitOverrides`) or on the command line.

/// Limits of one run of a learner's program. Zero or negative values mean "no limit" for
/// that resource (use with care: only for trusted programs).
public struct RunLimits: Sendable, Codable, Hashable {
    /// CPU seconds of each process (RLIMIT_CPU) and of the whole tree (measured).
    public var cpuSeconds: Double = 2
    /// Wall-clock seconds; the whole tree is killed at the deadline.
    public var wallSeconds: Double = 6
    /// Address space of each process (RLIMIT_AS and RLIMIT_DATA).
    public var memoryBytes: Int = 256 << 20
    /// Processes and threads at once (RLIMIT_NPROC, counted for the run's own uid).
    public var processes: Int = 16
    /// Captured output; past a cap the output is cut, the tree killed, the status `output-limit`.
    public var stdoutBytes: Int = 1 << 20
    public var stderrBytes: Int = 64 << 10
    /// Largest file the program may write (RLIMIT_FSIZE; past it: SIGXFSZ / EFBIG).
    public var fileSizeBytes: Int = 1 << 20
    /// Open descriptors (RLIMIT_NOFILE).
    public var openFiles: Int = 64
    /// Size of the scratch directory (a private tmpfs when the machine allows a mount
    /// namespace), and how many files and directories it may hold. Writes past it: ENOSPC.
    public var scratchBytes: Int = 64 << 20
    public var scratchFiles: Int = 16384
    /// Whether the program may execute other programs (read-only).
    public var allowExec: Bool = false
    /// Whether the program may use the network. No exercise needs it.
    public var allowNetwork: Bool = false

    public init() {}

    /// The defaults, with the tighter limits tests and quick checks want.
    public init(cpuSeconds: Double = 2, wallSeconds: Double = 6, memoryBytes: Int = 256 << 20,
                processes: Int = 16, stdoutBytes: Int = 1 << 20, stderrBytes: Int = 64 << 10,
                fileSizeBytes: Int = 1 << 20, openFiles: Int = 64, allowExec: Bool = false,
                allowNetwork: Bool = false) {
        self.cpuSeconds = cpuSeconds
        self.wallSeconds = wallSeconds
        self.memoryBytes = memoryBytes
        self.processes = processes
        self.stdoutBytes = stdoutBytes
        self.stderrBytes = stderrBytes
        self.fileSizeBytes = fileSizeBytes
        self.openFiles = openFiles
        self.allowExec = allowExec
        self.allowNetwork = allowNetwork
    }

    /// What a run gets unless its exercise or the command line says otherwise.
    public static let defaults = RunLimits()
}

/// Limits of compiling one submission (the compiler is fed hostile input too).
public struct CompileLimits: Sendable, Codable, Hashable {
    public var wallSeconds: Double = 30
    /// Address space of the compiler processes.
    public var memoryBytes: Int = 2 << 30
    /// Diagnostics kept; the rest is cut.
    public var diagnosticsBytes: Int = 64 << 10
    /// Largest accepted source file.
    public var sourceBytes: Int = 256 << 10

    public init() {}

    public static let defaults = CompileLimits()
}
