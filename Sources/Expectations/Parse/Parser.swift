// The parser of the expectation language: one `expect` block → `ExpectationScript`.
//
// Grammar (docs/expectations.md has the full text with meanings and examples):
//
//     script     ::= line*
//     line       ::= statement? comment?
//     statement  ::= scope? 'never'? event count? hint?
//                  | scope? 'never'? output hint?
//                  | scope? outcome hint?
//                  | condition hint?
//     scope      ::= '[' tag (',' tag)* ']'
//     tag        ::= 'root' | 'child' | 'any' | 'startup' | 'always'
//     event      ::= call | signal | 'spawn' 'thread'?
//     call       ::= NAME '(' arguments? ')' ('=' return)?
//     arguments  ::= rest | pattern (',' pattern)* (',' rest)?
//     rest       ::= '…' | '...'
//     signal     ::= 'signal' (SIGNAME | '_')? (CODENAME | '_')? ('at' pattern)?
//     return     ::= '_' | 'ok' | '?' | '-1' (ERRNAME | '_')? ('(' text ')')? | pattern
//     count      ::= ('×' | 'x') (INT | '>=' INT | '<=' INT | INT '...' INT)
//     pattern    ::= '_' | capture (':' pattern)? | flags | STRING | REGEX
//                  | CMP expr | expr ('..<' | '...') expr | 'heap' | expr
//     flags      ::= CONST ('|' (CONST | INT))* ('|' rest)?
//     expr       ::= term (('+' | '-') term)*
//     term       ::= factor ('*' factor)*
//     factor     ::= INT | CONST | capture | state | '(' expr ')' | '-' factor
//     output     ::= ('stdout' | 'stderr') ('==' STRING | 'contains' STRING | 'matches' REGEX count? each?)
//     each       ::= 'each' capture (':' pattern)? (',' capture (':' pattern)?)*
//     outcome    ::= '+++'? ('exited' 'with' pattern | 'killed' 'by' SIGNAME (CODENAME | '_')? ('at' pattern)?) '+++'?
//     condition  ::= expr CMP expr | expr 'in' pattern
//     hint       ::= 'hint' INT

import Syscalls

/// One parsed `expect` block.
public struct ExpectationScript: Sendable, Hashable {
    public var expectations: [Expectation]
    /// The lesson file the block came from, for messages.
    public var file: String
    /// The line of the block's first line in that file.
    public var line: Int
    /// Capture names by slot.
    public var captureNames: [String]
    /// Set by the caller for hidden blocks: failures say a hidden check failed, never what.
    public var hidden: Bool = false

    /// Parses a block whose first line is line `line` of `file`.
    /// Throws `ExpectationDiagnostic` with the exact line and column of the first error.
    public static func parse(_ text: String, file: String, line: Int) throws -> ExpectationScript {
        var captures = CaptureTable()
        var expectations: [Expectation] = []
        var lineNumber = line
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { lineNumber += 1 }
            do throws(ExpectationError) {
                let lexer = Lexer(rawLine, line: lineNumber)
                let tokens = try lexer.tokenize()
                if tokens.count == 1 { continue }  // blank or comment only
                var parser = LineParser(lexer: lexer, tokens: tokens, captures: captures)
                let expectation = try parser.parseLine()
                captures = parser.captures
                expectations.append(expectation)
            } catch {
                throw ExpectationDiagnostic(file: file, line: error.position.line, column: error.position.column,
                                            message: error.message)
            }
        }
        return ExpectationScript(expectations: expectations, file: file, line: line, captureNames: captures.names)
    }
}

/// Capture names → slots, and which are bound so far (for the static check).
struct CaptureTable: Sendable {
    var names: [String] = []
    var slots: [String: Int] = [:]
    var bound: Set<Int> = []

    mutating func slot(_ name: String) -> Int {
        if let slot = slots[name] { return slot }
        names.append(name)
        slots[name] = names.count - 1
        return names.count - 1
    }
}

struct LineParser {
    let lexer: Lexer
    let tokens: [Token]
    var index = 0
    var captures: CaptureTable
    /// Inside a `never` line captures cannot bind.
    var inNever = false
    /// Nesting of `(` and unary `-` in the expression being parsed, and its operators: both
    /// bounded, so a hostile line cannot overflow the stack (parsing, matching or freeing a
    /// deep `Expr` all recurse). Found by scripts/fuzz-parsers.sh: 5000 `(` crashed the parser.
    var expressionDepth = 0
    var expressionOperators = 0
    static let maxExpressionDepth = 64
    static let maxExpressionOperators = 256

    init(lexer: Lexer, tokens: [Token], captures: CaptureTable) {
        self.lexer = lexer
        self.tokens = tokens
        self.captures = captures
    }

    // MARK: Tokens

    var current: Token { tokens[index] }
    func peek(_ offset: Int = 1) -> Token { tokens[min(index + offset, tokens.count - 1)] }
    mutating func advance() { if index < tokens.count - 1 { index += 1 } }
    func position(_ token: Token) -> SourcePosition { lexer.position(token.start) }

    func isSymbol(_ s: String, _ token: Token? = nil) -> Bool {
        if case .symbol(let t) = (token ?? current).kind { return t == s }
        return false
    }
    func isWord(_ w: String, _ token: Token? = nil) -> Bool {
        if case .word(let t) = (token ?? current).kind { return t == w }
        return false
    }
    var word: String? {
        if case .word(let w) = current.kind { return w }
        return nil
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: return "the end of the line"
        default: return "`\(lexer.text(token.start, token.end))`"
        }
    }

    func error(_ kind: ExpectationError.Kind, _ token: Token? = nil) -> ExpectationError {
        ExpectationError(kind, at: position(token ?? current))
    }

    mutating func expectSymbol(_ s: String, _ what: String? = nil) throws(ExpectationError) {
        guard isSymbol(s) else { throw error(.expected(what ?? "`\(s)`", found: describe(current))) }
        advance()
    }

    mutating func expectWord(_ w: String) throws(ExpectationError) {
        guard isWord(w) else { throw error(.expected("`\(w)`", found: describe(current))) }
        advance()
    }

    // MARK: Lines

    /// statement ::= scope? 'never'? event count? hint? | scope? 'never'? output hint?
    ///             | scope? outcome hint? | condition hint?
    mutating func parseLine() throws(ExpectationError) -> Expectation {
        let first = current
        var scope = Scope()
        var hasScope = false
        if isSymbol("[") {
            scope = try parseScope()
            hasScope = true
        }
        let neverToken = current
        let never = isWord("never")
        if never {
            advance()
            inNever = true
        }
        let statement: Statement
        let head = current
        switch current.kind {
        case .end:
            throw error(.expected("an expectation after \(never ? "`never`" : "the scope")", found: describe(current)))
        case .word("stdout"), .word("stderr"):
            statement = .output(try parseOutput(), negated: never)
        case .symbol("+++"), .word("exited"), .word("killed"):
            if never { throw error(.neverNotAllowed("how the program ended; say what it should do instead"), neverToken) }
            statement = .outcome(try parseOutcome())
        case .word("spawn"), .word("signal"):
            let event = current.kind == .word("spawn") ? try parseSpawn() : .signal(try parseSignal())
            statement = .event(event, try parseCountSuffix(never: never))
        case .word(let name) where isSymbol("(", peek()) && !isState(name):
            let call = try parseCall()
            statement = .event(.call(call), try parseCountSuffix(never: never))
        default:
            if never { throw error(.neverNotAllowed("a condition; write the opposite comparison"), neverToken) }
            if hasScope { throw error(.scopeNotAllowed, first) }
            if case .word(let w) = head.kind, !isState(w), !w.hasPrefix("heap"), w.uppercased() != w {
                throw error(.unknownStatement(w), head)
            }
            statement = try parseCondition()
        }
        let hint = try parseHint()
        guard case .end = current.kind else {
            throw error(.expected("the end of the line", found: describe(current)))
        }
        let text = lexer.text(first.start, current.start).trimmingTrailingSpaces()
        return Expectation(statement: statement, scope: scope, text: text, position: position(first), hint: hint)
    }

    func isState(_ name: String) -> Bool { StateValue(rawValue: name) != nil || name == "heap" }

    /// scope ::= '[' tag (',' tag)* ']'
    /// tag   ::= 'root' | 'child' | 'any' | 'startup' | 'always'
    mutating func parseScope() throws(ExpectationError) -> Scope {
        try expectSymbol("[")
        var scope = Scope()
        var processTag: String?
        var phaseTag: String?
        while true {
            guard let tag = word else { throw error(.expected("a scope tag (root, child, any, startup, always)", found: describe(current))) }
            switch tag {
            case "root", "child", "any":
                if let previous = processTag { throw error(.conflictingScope(previous, tag)) }
                processTag = tag
                scope.process = Scope.Process(rawValue: tag)!
            case "startup", "always":
                if let previous = phaseTag { throw error(.conflictingScope(previous, tag)) }
                phaseTag = tag
                scope.phase = tag == "startup" ? .startup : .always
            default:
                throw error(.unknownScopeTag(tag))
            }
            advance()
            if isSymbol(",") { advance(); continue }
            try expectSymbol("]", "`,` or `]`")
            return scope
        }
    }

    /// count ::= ('×' | 'x') (INT | '>=' INT | '<=' INT | INT '...' INT)
    mutating func parseCountSuffix(never: Bool) throws(ExpectationError) -> Count {
        let marker = current
        guard isSymbol("×") || isWord("x") else { return never ? .none : .once }
        if never { throw error(.countWithNever, marker) }
        advance()
        return try parseCountBound()
    }

    mutating func parseCountBound() throws(ExpectationError) -> Count {
        func integer(_ parser: inout LineParser) throws(ExpectationError) -> Int {
            guard case .integer(let v) = parser.current.kind, v >= 0, v <= Int64(Int32.max) else {
                throw parser.error(.badCount)
            }
            parser.advance()
            return Int(v)
        }
        if isSymbol(">=") { advance(); return .atLeast(try integer(&self)) }
        if isSymbol("<=") { advance(); return .atMost(try integer(&self)) }
        let low = try integer(&self)
        if isSymbol("...") {
            advance()
            let high = try integer(&self)
            guard high >= low else { throw error(.badCount) }
            return .between(low, high)
        }
        return low == 0 ? .none : .exactly(low)
    }

    /// hint ::= 'hint' INT
    mutating func parseHint() throws(ExpectationError) -> Int? {
        guard isWord("hint") else { return nil }
        advance()
        guard case .integer(let n) = current.kind, n >= 1, n < 1000 else { throw error(.badHint) }
        advance()
        return Int(n)
    }

    // MARK: Events

    /// call      ::= NAME '(' arguments? ')' ('=' return)?
    /// arguments ::= rest | pattern (',' pattern)* (',' rest)?
    mutating func parseCall() throws(ExpectationError) -> CallPattern {
        let nameToken = current
        guard let name = word else { throw error(.expected("a syscall name", found: describe(current))) }
        advance()
        try expectSymbol("(")
        var arguments: [Argument] = []
        var rest = false
        if !isSymbol(")") {
            while true {
                if isSymbol("...") {
                    advance()
                    rest = true
                    guard isSymbol(")") else { throw error(.restNotLast) }
                    break
                }
                let start = current
                let pattern = try parsePattern()
                arguments.append(Argument(pattern: pattern, text: lexer.text(start.start, current.start).trimmingTrailingSpaces(),
                                          position: position(start)))
                if isSymbol(",") { advance(); continue }
                break
            }
        }
        try expectSymbol(")", "`,` or `)`")
        guard Syscalls.SyscallTable.number(of: name) != nil || LibraryCallNames.matchable.contains(name) else {  // a library function (`malloc`) is matched like a call
            throw error(.unknownSyscall(name), nameToken)
        }
        if let known = ArgumentTable.arguments(of: name) {
            let fewest = ArgumentTable.minimumArguments(of: name) ?? known.count
            if (!rest && arguments.count < fewest) || arguments.count > known.count {
                throw error(.wrongArity(name: name, wants: arguments.count < fewest ? fewest : known.count,
                                        got: arguments.count), nameToken)
            }
        }
        var result = ReturnPattern.any
        var resultText = ""
        if isSymbol("=") {
            advance()
            let start = current
            result = try parseReturn()
            resultText = lexer.text(start.start, current.start).trimmingTrailingSpaces()
        }
        return CallPattern(name: name, arguments: arguments, rest: rest, result: result, resultText: resultText)
    }

    /// return ::= '_' | 'ok' | '?' | '-1' (ERRNAME | '_')? ('(' text ')')? | pattern
    mutating func parseReturn() throws(ExpectationError) -> ReturnPattern {
        if isSymbol("_") { advance(); return .any }
        if isWord("ok") { advance(); return .success }
        if isSymbol("?") { advance(); return .noReturn }
        if isSymbol("-"), case .integer(1) = peek().kind {
            advance(); advance()
            var errno: Int32?
            if isSymbol("_") {
                advance()
            } else if let name = word, name.first == "E" {
                guard let value = Constants.errno(named: name) else { throw error(.unknownErrno(name)) }
                errno = value
                advance()
            }
            if isSymbol("(") {
                // strace's "(Cannot allocate memory)": skipped.
                var depth = 0
                repeat {
                    if isSymbol("(") { depth += 1 }
                    if isSymbol(")") { depth -= 1 }
                    if case .end = current.kind { throw error(.expected("`)`", found: describe(current))) }
                    advance()
                } while depth > 0
            }
            return .failure(errno: errno)
        }
        return .value(try parsePattern())
    }

    /// event ::= 'spawn' 'thread'?
    mutating func parseSpawn() throws(ExpectationError) -> EventPattern {
        try expectWord("spawn")
        if isWord("thread") { advance(); return .spawn(thread: true) }
        return .spawn(thread: false)
    }

    /// signal ::= 'signal' (SIGNAME | '_')? (CODENAME | '_')? ('at' pattern)?
    mutating func parseSignal() throws(ExpectationError) -> SignalPattern {
        try expectWord("signal")
        var pattern = SignalPattern()
        var signalName: String?
        if isSymbol("_") {
            advance()
        } else if let name = word, name.hasPrefix("SIG") {
            guard let number = Constants.signal(named: name) else { throw error(.unknownSignal(name)) }
            pattern.signal = number
            signalName = name
            advance()
        }
        pattern.code = try parseSignalCode(signal: signalName)
        if isWord("at") {
            advance()
            let start = current
            pattern.address = try parsePattern()
            pattern.addressText = lexer.text(start.start, current.start).trimmingTrailingSpaces()
        }
        return pattern
    }

    mutating func parseSignalCode(signal: String?) throws(ExpectationError) -> Int32? {
        if isSymbol("_") { advance(); return nil }
        guard let name = word, name != "at", name != "hint", name != "x", name.uppercased() == name else { return nil }
        guard let code = Constants.signalCode(named: name) else { throw error(.unknownSignalCode(name)) }
        if let owner = Constants.signal(forCode: name), let signal, owner != signal {
            throw error(.codeDoesNotFitSignal(code: name, signal: signal))
        }
        advance()
        return code
    }

    // MARK: Outcome and output

    /// outcome ::= '+++'? ('exited' 'with' pattern | 'killed' 'by' SIGNAME (CODENAME | '_')? ('at' pattern)?) '+++'?
    mutating func parseOutcome() throws(ExpectationError) -> Outcome {
        let framed = isSymbol("+++")
        if framed { advance() }
        let outcome: Outcome
        if isWord("exited") {
            advance()
            try expectWord("with")
            let start = current
            let pattern = try parsePattern()
            outcome = .exited(pattern, text: lexer.text(start.start, current.start).trimmingTrailingSpaces())
        } else if isWord("killed") {
            advance()
            try expectWord("by")
            guard let name = word, name.hasPrefix("SIG") else {
                throw error(.expected("a signal name like SIGSEGV", found: describe(current)))
            }
            guard let signal = Constants.signal(named: name) else { throw error(.unknownSignal(name)) }
            advance()
            let code = try parseSignalCode(signal: name)
            var address: Pattern?
            var addressText: String?
            if isWord("at") {
                advance()
                let start = current
                address = try parsePattern()
                addressText = lexer.text(start.start, current.start).trimmingTrailingSpaces()
            }
            outcome = .killed(signal: signal, code: code, address: address, addressText: addressText)
        } else {
            throw error(.expected("`exited with` or `killed by`", found: describe(current)))
        }
        if framed, isSymbol("+++") { advance() }
        return outcome
    }

    /// output ::= ('stdout' | 'stderr') ('==' STRING | 'contains' STRING | 'matches' REGEX count? each?)
    mutating func parseOutput() throws(ExpectationError) -> OutputCheck {
        let stream: OutputStream = isWord("stdout") ? .stdout : .stderr
        advance()
        if isSymbol("==") || isSymbol("=") {
            advance()
            return OutputCheck(stream: stream, kind: .equals(try parseStringLiteral()))
        }
        if isWord("contains") {
            advance()
            return OutputCheck(stream: stream, kind: .contains(try parseStringLiteral()))
        }
        if isWord("matches") {
            advance()
            guard case .regex(let source) = current.kind else {
                throw error(.expected("a regex like /got (0x[0-9a-f]+)/", found: describe(current)))
            }
            let regexToken = current
            let groups = try validateRegex(source, regexToken)
            advance()
            var count = Count.atLeast(1)
            if isSymbol("×") || isWord("x") {
                advance()
                count = try parseCountBound()
            }
            var each: [EachCapture] = []
            if isWord("each") {
                advance()
                each = try parseEach()
                if each.count > groups {
                    throw error(.tooManyEachCaptures(groups: groups, captures: each.count), regexToken)
                }
            }
            return OutputCheck(stream: stream, kind: .matches(regex: source, count: count, each: each))
        }
        throw error(.expected("`==`, `contains` or `matches` after \(stream.rawValue)", found: describe(current)))
    }

    mutating func parseStringLiteral() throws(ExpectationError) -> [UInt8] {
        guard case .string(let bytes) = current.kind else {
            throw error(.expected("a string in double quotes", found: describe(current)))
        }
        advance()
        return bytes
    }

    /// each ::= 'each' capture (':' pattern)? (',' capture (':' pattern)?)*
    mutating func parseEach() throws(ExpectationError) -> [EachCapture] {
        var result: [EachCapture] = []
        while true {
            guard case .capture(let name) = current.kind else {
                throw error(.expected("a capture like `$x`", found: describe(current)))
            }
            if inNever { throw error(.neverNotAllowed("`each` captures")) }
            let slot = captures.slot(name)
            captures.bound.insert(slot)
            advance()
            var constraint: Pattern?
            var text: String?
            if isSymbol(":") {
                advance()
                let start = current
                constraint = try parsePattern()
                text = lexer.text(start.start, current.start).trimmingTrailingSpaces()
            }
            result.append(EachCapture(slot: slot, name: name, constraint: constraint, constraintText: text))
            if isSymbol(",") { advance(); continue }
            return result
        }
    }

    static let maximumRegexNesting = 64
    static let maximumRegexLength = 4096

    /// Compiles the regex once to report its errors here; returns its number of capture groups.
    func validateRegex(_ source: String, _ token: Token) throws(ExpectationError) -> Int {
        // Swift's regex parser recurses per open bracket or group: thousands of them overflow the
        // stack (found by the parser fuzzer), so refuse deep nesting before compiling.
        var depth = 0, deepest = 0, escaped = false
        for character in source.unicodeScalars {
            if escaped { escaped = false; continue }
            switch character {
            case "\\": escaped = true
            case "(", "[": depth += 1; deepest = max(deepest, depth)
            case ")", "]": depth = max(depth - 1, 0)
            default: break
            }
        }
        if deepest > Self.maximumRegexNesting || source.unicodeScalars.count > Self.maximumRegexLength {
            throw ExpectationError(.invalidRegex("it is nested more than \(Self.maximumRegexNesting) deep or longer than \(Self.maximumRegexLength) characters"),
                                   at: position(token))
        }
        do {
            _ = try Regex(source)
        } catch {
            throw ExpectationError(.invalidRegex("\(error)"), at: position(token))
        }
        return countGroups(source)
    }

    /// condition ::= expr CMP expr | expr 'in' pattern
    mutating func parseCondition() throws(ExpectationError) -> Statement {
        let left = try parseExpr()
        if isWord("in") {
            advance()
            return .condition(left, try parsePattern())
        }
        guard case .symbol(let s) = current.kind, let comparison = Comparison(rawValue: s) else {
            throw error(.expected("a comparison (`>=`, `==`, …) or `in`", found: describe(current)))
        }
        advance()
        return .condition(left, .compare(comparison, try parseExpr()))
    }

    // MARK: Patterns and expressions

    /// pattern ::= '_' | capture (':' pattern)? | flags | STRING | REGEX
    ///           | CMP expr | expr ('..<' | '...') expr | 'heap' | expr
    mutating func parsePattern() throws(ExpectationError) -> Pattern {
        switch current.kind {
        case .symbol("_"):
            advance()
            return .any
        case .capture(let name):
            let next = peek()
            let continuesAsExpression = isSymbol("+", next) || isSymbol("-", next) || isSymbol("*", next)
                || isSymbol("..<", next) || isSymbol("...", next)
            if !continuesAsExpression {
                let slot = captures.slot(name)
                if inNever && !captures.bound.contains(slot) { throw error(.unboundCaptureInNever(name)) }
                advance()
                var constraint: Pattern?
                if isSymbol(":") {
                    advance()
                    constraint = try parsePattern()
                }
                captures.bound.insert(slot)
                return .capture(slot, name: name, constraint: constraint)
            }
        case .string(let bytes):
            advance()
            return .string(bytes)
        case .regex(let source):
            _ = try validateRegex(source, current)
            advance()
            return .regex(source)
        case .symbol(let s):
            if let comparison = Comparison(rawValue: s) {
                advance()
                return .compare(comparison, try parseExpr())
            }
        case .word("heap"):
            advance()
            return .heap
        case .word(let name) where name.uppercased() == name && isSymbol("|", peek()):
            return try parseFlags()
        default:
            break
        }
        let low = try parseExpr()
        if isSymbol("..<") || isSymbol("...") {
            let closed = isSymbol("...")
            advance()
            return .range(low, try parseExpr(), closed: closed)
        }
        return .value(low)
    }

    /// flags ::= CONST ('|' (CONST | INT))* ('|' rest)?
    mutating func parseFlags() throws(ExpectationError) -> Pattern {
        var names: [String] = []
        var value: Int64 = 0
        var contains = false
        while true {
            switch current.kind {
            case .word(let name):
                guard let constant = Constants.arguments[name] else { throw error(.unknownConstant(name)) }
                names.append(name)
                value |= constant.value
            case .integer(let v):
                names.append(lexer.text(current.start, current.end))
                value |= v
            case .symbol("...") where !names.isEmpty:
                contains = true
                advance()
                return .flags(names: names, value: value, contains: contains)
            default:
                throw error(.expected("a flag name like PROT_READ", found: describe(current)))
            }
            advance()
            if isSymbol("|") { advance(); continue }
            return .flags(names: names, value: value, contains: contains)
        }
    }

    /// expr ::= term (('+' | '-') term)*
    mutating func parseExpr() throws(ExpectationError) -> Expr {
        var left = try parseTerm()
        while isSymbol("+") || isSymbol("-") {
            let add = isSymbol("+")
            try countOperator()
            advance()
            let right = try parseTerm()
            left = add ? .add(left, right) : .subtract(left, right)
        }
        return left
    }

    /// term ::= factor ('*' factor)*
    mutating func parseTerm() throws(ExpectationError) -> Expr {
        var left = try parseFactor()
        while isSymbol("*") {
            try countOperator()
            advance()
            left = .multiply(left, try parseFactor())
        }
        return left
    }

    mutating func countOperator() throws(ExpectationError) {
        expressionOperators += 1
        guard expressionOperators <= Self.maxExpressionOperators else {
            throw error(.expected("an expression of at most \(Self.maxExpressionOperators) operators", found: "a longer one"))
        }
    }

    /// factor ::= INT | CONST | capture | state | '(' expr ')' | '-' factor
    mutating func parseFactor() throws(ExpectationError) -> Expr {
        let token = current
        if case .symbol(let symbol) = token.kind, symbol == "(" || symbol == "-" {
            guard expressionDepth < Self.maxExpressionDepth else {
                throw error(.expected("an expression nested at most \(Self.maxExpressionDepth) deep", found: "deeper nesting"))
            }
            expressionDepth += 1
            try countOperator()
        }
        defer { if case .symbol(let symbol) = token.kind, symbol == "(" || symbol == "-" { expressionDepth -= 1 } }
        switch token.kind {
        case .integer(let v):
            advance()
            return .int(v)
        case .capture(let name):
            let slot = captures.slot(name)
            guard captures.bound.contains(slot) else { throw error(.unboundCapture(name)) }
            advance()
            return .capture(slot, name: name)
        case .word(let name):
            if let state = StateValue(rawValue: name) {
                advance()
                return .state(state)
            }
            if name.uppercased() == name, name.first?.isLetter == true || name.first == "_" {
                guard let constant = Constants.arguments[name] else { throw error(.unknownConstant(name)) }
                advance()
                return .constant(name, constant.value)
            }
            throw error(.unknownName(name))
        case .symbol("("):
            advance()
            let inner = try parseExpr()
            try expectSymbol(")")
            return inner
        case .symbol("-"):
            advance()
            return .negate(try parseFactor())
        default:
            throw error(.expected("a value (a number, a constant, a `$capture` or a state like `break`)", found: describe(token)))
        }
    }
}

/// Counts the capturing groups of a regex source: `(` not escaped, not in a class, not `(?…` (but `(?<name>` counts).
func countGroups(_ source: String) -> Int {
    let s = Array(source.unicodeScalars)
    var count = 0
    var i = 0
    var inClass = false
    while i < s.count {
        let c = s[i]
        if c == "\\" { i += 2; continue }
        if inClass {
            if c == "]" { inClass = false }
        } else if c == "[" {
            inClass = true
        } else if c == "(" {
            if i + 1 < s.count, s[i + 1] == "?" {
                if i + 2 < s.count, s[i + 2] == "<" || s[i + 2] == "P",
                   i + 3 < s.count, s[i + 3] != "=", s[i + 3] != "!" {
                    count += 1
                }
            } else {
                count += 1
            }
        }
        i += 1
    }
    return count
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return String(s)
    }
}
