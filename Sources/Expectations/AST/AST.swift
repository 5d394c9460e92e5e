// The expectation language's syntax tree: what one `expect` block says, line by line.
// Every node that a failure can point at keeps its source text and location.

/// A place in the lesson file: 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Sendable, Hashable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// One line of a block: a statement, where it applies, and how it reads.
public struct Expectation: Sendable, Hashable {
    public var statement: Statement
    public var scope: Scope
    /// The line as written (comment and surrounding blanks removed).
    public var text: String
    public var position: SourcePosition
    /// Which of the exercise's hints (1-based) fits a failure of this line.
    public var hint: Int?
}

/// Which process and which phase a line looks at.
public struct Scope: Sendable, Hashable {
    public enum Process: String, Sendable, Hashable { case any, root, child }
    public enum Phase: String, Sendable, Hashable { case program, startup, always }
    public var process: Process = .any
    public var phase: Phase = .program
    public init(process: Process = .any, phase: Phase = .program) {
        self.process = process
        self.phase = phase
    }
}

public enum Statement: Sendable, Hashable {
    /// `mmap(…) = $p × 5`, `never munmap(…)`, `spawn`, `signal SIGSEGV`.
    case event(EventPattern, Count)
    /// `stdout == "…"`; `negated` for `never stdout contains "…"`.
    case output(OutputCheck, negated: Bool)
    /// `exited with 0`, `killed by SIGSEGV SEGV_ACCERR at …`.
    case outcome(Outcome)
    /// `break.growth >= 204800`, `$x in heap`.
    case condition(Expr, Pattern)
}

/// How many events a line wants.
public enum Count: Sendable, Hashable {
    /// No count written: the first matching event after the cursor.
    case once
    case exactly(Int)
    case atLeast(Int)
    case atMost(Int)
    case between(Int, Int)
    /// `never`.
    case none

    /// Matches needed after the cursor (the cursor moves past the last of them).
    var lowerBound: Int {
        switch self {
        case .once: return 1
        case .exactly(let n), .atLeast(let n): return n
        case .atMost, .none: return 0
        case .between(let low, _): return low
        }
    }

    /// The most matching events the whole run may have, nil for no limit.
    var upperBound: Int? {
        switch self {
        case .once, .atLeast: return nil
        case .exactly(let n), .atMost(let n): return n
        case .between(_, let high): return high
        case .none: return 0
        }
    }
}

public enum EventPattern: Sendable, Hashable {
    case call(CallPattern)
    /// `signal SIGSEGV SEGV_ACCERR at …`: a signal delivered to a process.
    case signal(SignalPattern)
    /// `spawn` / `spawn thread`: a new traced process (or thread) appeared.
    case spawn(thread: Bool)
}

public struct CallPattern: Sendable, Hashable {
    public var name: String
    public var arguments: [Argument]
    /// The list ended with `…`: later arguments are not checked.
    public var rest: Bool
    public var result: ReturnPattern
    /// The return pattern as written (`-1 ENOMEM`), empty when there is none.
    public var resultText: String
}

public struct Argument: Sendable, Hashable {
    public var pattern: Pattern
    public var text: String
    public var position: SourcePosition
}

public enum ReturnPattern: Sendable, Hashable {
    /// `_` or nothing written.
    case any
    /// `ok`.
    case success
    /// `-1`, `-1 _`, `-1 ENOMEM`.
    case failure(errno: Int32?)
    /// `?`.
    case noReturn
    /// A successful return value matching a pattern.
    case value(Pattern)
}

public struct SignalPattern: Sendable, Hashable {
    public var signal: Int32?
    public var code: Int32?
    public var address: Pattern?
    public var addressText: String?
}

public indirect enum Pattern: Sendable, Hashable {
    case any
    /// `$p` or `$p: pattern`: binds the first time, then must equal.
    case capture(Int, name: String, constraint: Pattern?)
    /// `PROT_READ|PROT_WRITE` (exact) or `MAP_ANONYMOUS|…` (contains).
    case flags(names: [String], value: Int64, contains: Bool)
    case string([UInt8])
    case regex(String)
    case compare(Comparison, Expr)
    case range(Expr, Expr, closed: Bool)
    /// `heap`: `heap.start ..< break.final`.
    case heap
    case value(Expr)
}

public enum Comparison: String, Sendable, Hashable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
}

public indirect enum Expr: Sendable, Hashable {
    case int(Int64)
    /// A named constant (`AT_FDCWD`), already resolved.
    case constant(String, Int64)
    case capture(Int, name: String)
    case state(StateValue)
    case add(Expr, Expr)
    case subtract(Expr, Expr)
    case multiply(Expr, Expr)
    case negate(Expr)
}

/// Values the trace implies.
public enum StateValue: String, Sendable, Hashable, CaseIterable {
    case heapStart = "heap.start"
    case currentBreak = "break"
    case breakMain = "break.main"
    case breakFinal = "break.final"
    case breakPeak = "break.peak"
    case breakGrowth = "break.growth"
    case page = "page"
}

public enum OutputStream: String, Sendable, Hashable { case stdout, stderr }

public struct OutputCheck: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case equals([UInt8])
        case contains([UInt8])
        case matches(regex: String, count: Count, each: [EachCapture])
    }
    public var stream: OutputStream
    public var kind: Kind
}

/// `each $x: pattern` — one regex group parsed as a number.
public struct EachCapture: Sendable, Hashable {
    public var slot: Int
    public var name: String
    public var constraint: Pattern?
    public var constraintText: String?
}

public enum Outcome: Sendable, Hashable {
    case exited(Pattern, text: String)
    case killed(signal: Int32, code: Int32?, address: Pattern?, addressText: String?)
}
