// Fault injection with strace's syntax: `mmap:error=ENOMEM:when=2`.
//
// As strace does it: at the chosen call's entry stop the syscall number (`orig_rax`) is set
// to -1, so the kernel skips the call; at its exit stop `rax` is set to `-errno` (or to the
// `retval=`), and the event's return is rendered with strace's ` (INJECTED)` suffix.
//
// Grammar (a subset of strace's `-e inject=`):
//   SET:error=ERRNO[:when=EXPR]     SET:retval=VALUE[:when=EXPR]
//   SET   a call name or a comma list of them (`mmap`, `mmap,brk`); `%memory` style classes too
//   EXPR  first | first+ | first+step | first..last | first..last+step   (1-based, strace's `when=`)
// Without `when=` every call of the set is hit (strace's default).
//
// Counting differs from strace in one way, on purpose: calls are counted per process from its
// `main` on (start-up calls of the loader and libc are never counted nor hit), because the
// question a learner asks is about *their* calls ("the second allocation fails"); injecting into
// the loader would kill the program before its first line.

import Syscalls

public struct FaultInjection: Sendable, Hashable, CustomStringConvertible {
    /// Syscall numbers the rule applies to.
    public var syscalls: Set<Int>
    /// What the call returns instead: `-errno` for `error=`, the value for `retval=`.
    public var returnValue: Int64
    /// 1-based: the first invocation hit.
    public var first: Int
    /// The last invocation hit (nil: no end).
    public var last: Int?
    /// Every `step`-th invocation from `first` (0: only `first`… `last` one at a time when `last` is set,
    /// else only `first`).
    public var step: Int
    /// The text it was parsed from.
    public var spec: String

    public var description: String { spec }

    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Parses one rule. Errors are one line naming the part that is wrong and what is accepted.
    public static func parse(_ text: String) throws(ParseError) -> FaultInjection {
        var spec = text.trimmingSpaces
        if spec.hasPrefix("inject=") { spec.removeFirst("inject=".count) }
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard let setText = parts.first, !setText.isEmpty else {
            throw ParseError(description: "--inject=\(text): name the call first, e.g. mmap:error=ENOMEM:when=2")
        }
        let syscalls: Set<Int>
        do { syscalls = try SyscallTable.numbers(selection: setText) } catch {
            throw ParseError(description: "--inject=\(text): \(error)")
        }
        guard !syscalls.isEmpty else { throw ParseError(description: "--inject=\(text): no system call named \(setText)") }
        var rule = FaultInjection(syscalls: syscalls, returnValue: 0, first: 1, last: nil, step: 1, spec: spec)
        var sawResult = false
        for part in parts.dropFirst() {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2 else {
                throw ParseError(description: "--inject=\(text): '\(part)' is not KEY=VALUE (error=, retval=, when=)")
            }
            let (key, value) = (pieces[0], pieces[1])
            switch key {
            case "error":
                guard !sawResult else { throw ParseError(description: "--inject=\(text): give error= or retval=, once") }
                sawResult = true
                if let number = ErrnoTable.number(of: value.uppercased()) {
                    rule.returnValue = -Int64(number)
                } else if let number = Int32(value), number > 0, number < 4096 {
                    rule.returnValue = -Int64(number)
                } else {
                    throw ParseError(description: "--inject=\(text): unknown errno '\(value)' (e.g. ENOMEM, EACCES, or a number 1…4095)")
                }
            case "retval":
                guard !sawResult else { throw ParseError(description: "--inject=\(text): give error= or retval=, once") }
                sawResult = true
                let parsed: Int64?
                if value.hasPrefix("0x") || value.hasPrefix("0X") {
                    parsed = UInt64(value.dropFirst(2), radix: 16).map { Int64(bitPattern: $0) }
                } else {
                    parsed = Int64(value)
                }
                guard let number = parsed else {
                    throw ParseError(description: "--inject=\(text): retval=\(value) is not a number")
                }
                rule.returnValue = number
            case "when":
                try parseWhen(value, into: &rule, text: text)
            default:
                throw ParseError(description: "--inject=\(text): unknown key '\(key)' (this tool knows error=, retval=, when=)")
            }
        }
        guard sawResult else {
            throw ParseError(description: "--inject=\(text): say what the call returns: error=ENOMEM or retval=N")
        }
        return rule
    }

    private static func parseWhen(_ value: String, into rule: inout FaultInjection, text: String) throws(ParseError) {
        let bad = ParseError(description: "--inject=\(text): when=\(value) is not FIRST, FIRST+, FIRST+STEP, FIRST..LAST or FIRST..LAST+STEP (1-based)")
        var rest = Substring(value)
        func number(_ s: Substring) throws(ParseError) -> Int {
            guard let n = Int(s), n >= 1, n <= 65535 else { throw bad }
            return n
        }
        var stepText: Substring?
        if let plus = rest.firstIndex(of: "+") {
            stepText = rest[rest.index(after: plus)...]
            rest = rest[..<plus]
        }
        if let dot = rest.firstIndex(of: "."), rest[rest.index(after: dot)...].hasPrefix(".") {
            rule.first = try number(rest[..<dot])
            rule.last = try number(rest[rest.index(dot, offsetBy: 2)...])
            guard rule.last! >= rule.first else { throw bad }
            rule.step = 1
        } else {
            rule.first = try number(rest)
            rule.last = stepText == nil ? rule.first : nil
            rule.step = 1
        }
        if let stepText, !stepText.isEmpty { rule.step = try number(stepText) }
    }

    /// Whether the `invocation`-th call (1-based) is hit.
    public func hits(invocation: Int) -> Bool {
        guard invocation >= first else { return false }
        if let last, invocation > last { return false }
        return (invocation - first) % max(step, 1) == 0
    }
}

private extension String {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
