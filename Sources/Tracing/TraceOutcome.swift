// What `Tracer.run` returns, and how it fails.

import Syscalls

public struct TraceOutcome: Sendable {
    /// Events (if recorded), how the first process ended, captured output.
    public var run: ProgramRun
    /// The timeout passed and the tree was killed.
    public var timedOut: Bool
    /// Standard output or error went past its cap and the tree was killed.
    public var outputLimitExceeded: Bool
    public var wallSeconds: Double
    /// User + system time of the traced tree (from `wait4`; a child its traced parent never
    /// waited for is not counted). 0 unless the request's `measureResources`.
    public var cpuSeconds: Double
    /// The largest resident set of any process of the traced tree. 0 unless `measureResources`.
    public var peakMemoryBytes: Int

    public init(run: ProgramRun, timedOut: Bool = false, outputLimitExceeded: Bool = false,
                wallSeconds: Double = 0, cpuSeconds: Double = 0, peakMemoryBytes: Int = 0) {
        self.run = run
        self.timedOut = timedOut
        self.outputLimitExceeded = outputLimitExceeded
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
        self.peakMemoryBytes = peakMemoryBytes
    }
}

/// A trace that could not happen. `description` is one line that says what to do.
public struct TraceError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Hashable {
        /// The program could not be started (missing, not executable, not a program, the
        /// working directory or the sandbox refused): the caller's input is at fault.
        case cannotRun
        /// Tracing itself failed (ptrace not permitted, a kernel without the needed features).
        case tracingFailed
    }

    public var description: String
    public var kind: Kind
    /// The errno behind it, when there is one.
    public var errorNumber: Int32?
    /// The sandbox's set-up in the child failed (before exec: nothing of the program ran).
    public var sandboxSetUp = false

    public init(_ description: String, kind: Kind = .tracingFailed, errorNumber: Int32? = nil) {
        self.description = description
        self.kind = kind
        self.errorNumber = errorNumber
    }
}
