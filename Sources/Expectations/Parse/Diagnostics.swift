// Everything that can be wrong with an expectation block, with its message, in one place.

/// A located error in an expectation block: `file:line:column: message`.
public struct ExpectationDiagnostic: Error, CustomStringConvertible, Sendable, Hashable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// A parse error before it knows its file.
struct ExpectationError: Error, Sendable, Hashable {
    var kind: Kind
    var position: SourcePosition

    init(_ kind: Kind, at position: SourcePosition) {
        self.kind = kind
        self.position = position
    }

    enum Kind: Sendable, Hashable {
        case captureNeedsName
        case badNumber(String)
        case numberTooLarge(String)
        case badEscape(String)
        case unterminatedString
        case unterminatedRegex
        case unexpectedCharacter(String)
        case expected(String, found: String)
        case unknownConstant(String)
        case unknownErrno(String)
        case unknownSignal(String)
        case unknownSignalCode(String)
        case codeDoesNotFitSignal(code: String, signal: String)
        case unknownName(String)
        case unknownScopeTag(String)
        case conflictingScope(String, String)
        case restNotLast
        case wrongArity(name: String, wants: Int, got: Int)
        case unboundCapture(String)
        case unboundCaptureInNever(String)
        case invalidRegex(String)
        case neverNotAllowed(String)
        case countWithNever
        case scopeNotAllowed
        case unknownStatement(String)
        case badHint
        case badCount
        case tooManyEachCaptures(groups: Int, captures: Int)
        case unknownSyscall(String)
    }

    var message: String {
        switch kind {
        case .captureNeedsName:
            return "`$` must be followed by a capture name, as in `$p`"
        case .badNumber(let text):
            return "`\(text)` is not a number (write decimal `4096` or hex `0x1000`)"
        case .numberTooLarge(let text):
            return "`\(text)` is too large for a 64-bit value"
        case .badEscape(let text):
            return "unknown escape `\(text)` in a string (use \\n \\t \\r \\0 \\\\ \\\" or \\xHH)"
        case .unterminatedString:
            return "this string has no closing `\"`"
        case .unterminatedRegex:
            return "this regex has no closing `/` (write `\\/` for a slash inside it)"
        case .unexpectedCharacter(let c):
            return "unexpected character `\(c)`"
        case .expected(let what, let found):
            return "expected \(what), found \(found)"
        case .unknownConstant(let name):
            return "unknown constant `\(name)` (known families: PROT_, MAP_, O_, AT_, MADV_, MREMAP_, MS_, SEEK_, GRND_, CLONE_)"
        case .unknownErrno(let name):
            return "unknown errno name `\(name)` (for example ENOMEM, EINVAL, EBADF)"
        case .unknownSignal(let name):
            return "unknown signal `\(name)` (for example SIGSEGV, SIGBUS, SIGILL)"
        case .unknownSignalCode(let name):
            return "unknown si_code `\(name)` (for example SEGV_MAPERR, SEGV_ACCERR)"
        case .codeDoesNotFitSignal(let code, let signal):
            return "`\(code)` is not a code of \(signal)"
        case .unknownName(let name):
            return "unknown name `\(name)` (state values: "
                + StateValue.allCases.map(\.rawValue).joined(separator: ", ") + ", heap; captures start with `$`)"
        case .unknownScopeTag(let tag):
            return "unknown scope `\(tag)` (use root, child, any, startup or always)"
        case .conflictingScope(let a, let b):
            return "scope tags `\(a)` and `\(b)` contradict each other"
        case .restNotLast:
            return "`…` stands for the remaining arguments, so it must come last"
        case .wrongArity(let name, let wants, let got):
            return "\(name) takes \(wants) argument\(wants == 1 ? "" : "s"); this line gives \(got)"
                + (got < wants ? " (end the list with `…` to skip the rest)" : "")
        case .unboundCapture(let name):
            return "`$\(name)` is used before any earlier line or argument binds it"
        case .unboundCaptureInNever(let name):
            return "`$\(name)` is not bound yet; a `never` line cannot bind captures (bind it on an earlier line or use `_`)"
        case .invalidRegex(let reason):
            return "invalid regex: \(reason)"
        case .neverNotAllowed(let what):
            return "`never` cannot be used with \(what)"
        case .countWithNever:
            return "`never` already says how many (none); remove the count"
        case .scopeNotAllowed:
            return "a condition has no process or phase scope; remove the `[…]`"
        case .unknownStatement(let word):
            return "`\(word)` does not start an expectation (expected a call like `mmap(…)`, `never`, `spawn`, "
                + "`signal`, `stdout`, `stderr`, `exited with`, `killed by`, or a condition like `break.growth >= 4096`)"
        case .badHint:
            return "`hint` must be followed by the hint's number, as in `hint 2`"
        case .badCount:
            return "a count is `× N`, `× >= N`, `× <= N` or `× A...B` with whole numbers"
        case .unknownSyscall(let name):
            if ["malloc", "free", "calloc", "realloc", "sbrk", "printf", "puts", "fopen", "exit", "sysconf",
                "getpagesize", "mallopt", "posix_memalign", "aligned_alloc"].contains(name) && name != "exit" {
                return "`\(name)` is a C library function, not a system call; expectations see the system calls it makes (brk, mmap, write, …)"
            }
            return "`\(name)` is not an x86_64 system call (names as strace prints them: mmap, munmap, brk, openat, write, …)"
        case .tooManyEachCaptures(let groups, let captures):
            return "the regex has \(groups) capture group\(groups == 1 ? "" : "s") but `each` names \(captures) captures"
        }
    }
}
