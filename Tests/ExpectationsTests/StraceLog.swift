// Turns recorded strace logs (RecordedTraces/, loaded by RecordedTraces.swift) into the `ProgramRun` the tracer would
// produce. Each log is one `strace -X verbose` run, which prints every decoded constant as its raw
// value followed by strace's name for it (`0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */`): the registers
// come from the raw values, strace's rendering from the names. Each call is then decoded from
// those registers by the tracer's own decoder (EventBuilder) and kept where it prints as strace
// printed it. Start-up is marked by comparing with an empty `main`.

@testable import Expectations
import EventBuilder
import Syscalls

enum StraceLog {
    /// One logical event: a syscall (unfinished/resumed halves joined), a signal or an exit.
    struct Entry {
        var pid: Int32
        /// The line as `-X verbose` prints it.
        var text: String
        /// As `-X raw` prints it: the values alone.
        var raw: String { StraceLog.form(text, .raw) }
        /// As strace prints it by default: the names where it has one.
        var pretty: String { StraceLog.form(text, .abbreviated) }
    }

    static func entries(_ log: String) -> [Entry] {
        var entries: [Entry] = []
        var pending: [Int32: Int] = [:]
        for line in log.split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let pid = Int32(line[..<space]) else { continue }
            var rest = String(line[line.index(after: space)...])
            if rest.hasPrefix("<... ") {
                guard let close = rest.firstRange(of: " resumed>"), let index = pending.removeValue(forKey: pid) else { continue }
                entries[index].text += String(rest[close.upperBound...])
                continue
            }
            if let unfinished = rest.firstRange(of: " <unfinished ...>") {
                rest = String(rest[..<unfinished.lowerBound])
                pending[pid] = entries.count
            }
            entries.append(Entry(pid: pid, text: rest))
        }
        return entries
    }

    enum Form { case raw, abbreviated }

    /// A `-X verbose` line in one of strace's other two forms: every `VALUE /* NAME */` becomes
    /// `VALUE` (`-X raw`) or `NAME` (the default). Comments strace prints in every form
    /// (`/* 36 vars */`, `/* 0.10 s */`) and anything inside a quoted string stay as they are.
    static func form(_ line: String, _ form: Form) -> String {
        let text = Array(line.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        let open = Array(" /* ".utf8)
        let close = Array(" */".utf8)
        var valueStart = 0  // where the current value begins in `out`
        var inString = false
        var i = 0
        func starts(_ token: [UInt8], at k: Int) -> Bool {
            k + token.count <= text.count && Array(text[k..<k + token.count]) == token
        }
        while i < text.count {
            let c = text[i]
            if inString {
                out.append(c)
                if c == UInt8(ascii: "\\"), i + 1 < text.count {
                    out.append(text[i + 1])
                    i += 2
                    continue
                }
                if c == UInt8(ascii: "\"") { inString = false }
                i += 1
                continue
            }
            if c == UInt8(ascii: "\""), inString == false {
                inString = true
                out.append(c)
                i += 1
                continue
            }
            if starts(open, at: i), let end = (i + open.count..<text.count).first(where: { starts(close, at: $0) }) {
                let comment = Array(text[i + open.count..<end])
                if isRemark(comment) {
                    out += text[i..<end + close.count]
                } else if form == .abbreviated {
                    out.replaceSubrange(valueStart..., with: comment)
                }
                i = end + close.count
                continue
            }
            out.append(c)
            if " ,({[=|".utf8.contains(c) { valueStart = out.count }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `36 vars`, `2 entries`, `0.10 s`: a remark strace prints in every form. The names it
    /// gives a value (`MAP_PRIVATE|MAP_ANONYMOUS`, `S_IFREG|0644`, `8192*1024`) hold no space.
    static func isRemark(_ comment: [UInt8]) -> Bool {
        comment.contains(UInt8(ascii: " "))
    }

    static func run(_ trace: RecordedTrace, startupCount: Int? = nil) -> ProgramRun {
        let startup = startupCount ?? StraceLog.startupCount()
        let log = entries(trace.log)
        let raw = log.map { Entry(pid: $0.pid, text: $0.raw) }

        let root = raw.first?.pid ?? 1
        // Swift fixtures carry a constructor's getppid() right before main (marker.c).
        let marker = trace.name.hasSuffix("-swift")
            ? raw.firstIndex { $0.pid == root && $0.text.hasPrefix("getppid(") } : nil
        var events: [TraceEvent] = []
        var rootSyscalls = 0
        var exit: ProcessExit?
        for (n, entry) in raw.enumerated() {
            if let marker, n == marker { continue }
            let prettyText = log[n].pretty
            var phase = Phase.program
            if entry.text.hasPrefix("---") {
                events.append(TraceEvent(sequence: events.count, pid: entry.pid, phase: .program,
                                         kind: .signal(signal(entry.text, pretty: prettyText))))
                continue
            }
            if entry.text.hasPrefix("+++") {
                let e = processExit(entry.text)
                if entry.pid == root { exit = e }
                events.append(TraceEvent(sequence: events.count, pid: entry.pid, phase: .program, kind: .exit(e)))
                continue
            }
            if let marker {
                if n < marker { phase = .startup }
            } else if entry.pid == root {
                if rootSyscalls < startup { phase = .startup }
                rootSyscalls += 1
            }
            guard let call = syscall(entry.text, pretty: prettyText) else { continue }
            events.append(TraceEvent(sequence: events.count, pid: entry.pid, phase: phase, kind: .syscall(call)))
            if ["clone", "clone3", "fork", "vfork"].contains(call.name), let child = call.returnValue, child > 0 {
                let isThread = call.name == "clone" && call.arguments[1] & 0x10000 != 0
                events.append(TraceEvent(sequence: events.count, pid: entry.pid, phase: .program,
                                         kind: .spawned(child: Int32(child), isThread: isThread)))
            }
        }
        return ProgramRun(events: events, rootPid: root, exit: exit, stdout: Array(trace.stdout.utf8),
                          stderr: Array(trace.stderr.utf8))
    }

    /// Syscalls the root makes before `main` (from the empty program's trace).
    static func startupCount() -> Int {
        let empty = entries(RecordedTraces.all["empty"]!.log)
        let calls = empty.filter { !$0.text.hasPrefix("---") && !$0.text.hasPrefix("+++") }
        return calls.firstIndex { $0.text.hasPrefix("exit_group(") } ?? calls.count
    }

    // MARK: Lines

    /// A call line's raw values: the registers (0 for a quoted string, whose bytes are `data`:
    /// the first string, or the second argument's), the return, strace's printed arguments and
    /// return, and which registers were strings.
    struct Call {
        var name: String
        var values: [UInt64]
        var data: [UInt8]?
        var stringRegisters: [Int]
        var returnValue: Int64?
        var renderedArguments: String
        var renderedReturn: String
    }

    static func parse(_ text: String, pretty: String?) -> Call? {
        guard let open = text.firstIndex(of: "("), let (args, result) = splitCall(text, open: open) else { return nil }
        let name = String(text[..<open])
        let parts = splitArguments(args)
        var values: [UInt64] = []
        var data: [UInt8]?
        var strings: [Int] = []
        for (k, part) in parts.enumerated() {
            var p = part
            if let eq = p.firstIndex(of: "="), name.hasPrefix("clone") { p = String(p[p.index(after: eq)...]) }
            if p.hasPrefix("\"") {
                if data == nil || k == 1 { data = decodeString(p) }
                strings.append(k)
                values.append(0)
            } else {
                values.append(number(p) ?? 0)
            }
        }
        while values.count < 6 { values.append(0) }
        let ret = result.trimmingCharacters(in: " ")
        var returnValue: Int64?
        if ret.hasPrefix("?") {
            returnValue = nil
        } else if ret.hasPrefix("-1 E") {
            let errnoName = String(ret.dropFirst(3).prefix { $0 != " " })
            returnValue = -Int64(Constants.errno(named: errnoName) ?? 1)
        } else {
            let first = String(ret.prefix { $0 != " " })
            returnValue = number(first).map { Int64(bitPattern: $0) }
        }
        var renderedArguments = args
        var renderedReturn = ret
        if let pretty, let popen = pretty.firstIndex(of: "("), pretty[..<popen] == text[..<open],
           let (pargs, presult) = splitCall(pretty, open: popen) {
            renderedArguments = pargs
            renderedReturn = presult.trimmingCharacters(in: " ")
        }
        return Call(name: name, values: values, data: data, stringRegisters: strings, returnValue: returnValue,
                    renderedArguments: renderedArguments, renderedReturn: renderedReturn)
    }

    /// The tracer's decoder on the call's registers (its one string at a stand-in address), when
    /// it prints exactly what strace printed; nil when it does not (or cannot: two strings,
    /// clone's named arguments).
    static func decoded(_ call: Call) -> SyscallEvent? {
        guard call.stringRegisters.count <= 1, !call.name.hasPrefix("clone") else { return nil }
        var registers = call.values
        if let k = call.stringRegisters.first { registers[k] = stringAddress }
        let event = EventBuilder.call(call.name, registers, call.returnValue,
                                      data: call.stringRegisters.isEmpty ? nil : call.data)
        guard event.renderedArguments == call.renderedArguments, event.renderedReturn == call.renderedReturn else { return nil }
        return event
    }

    /// The event of a call line: the decoder's when it agrees with strace (typed arguments),
    /// else one built from strace's text (every argument a number).
    static func syscall(_ text: String, pretty: String?) -> SyscallEvent? {
        guard let call = parse(text, pretty: pretty) else { return nil }
        if let event = decoded(call) { return event }
        var spans: [ArgumentSpan] = []
        var end = 0
        for (k, part) in splitArguments(call.renderedArguments).enumerated() {
            end += (k > 0 ? 2 : 0) + part.utf8.count
            spans.append(ArgumentSpan(end: end, register: k, kind: .number))
        }
        return SyscallEvent(number: SyscallTable.number(of: call.name) ?? 999, name: call.name,
                            arguments: call.values, returnValue: call.returnValue, data: call.data,
                            renderedArguments: call.renderedArguments, argumentSpans: spans, returnText: call.renderedReturn)
    }

    /// Where a call's one string argument is put for the decoder to read (the log prints the
    /// string, not its address).
    static let stringAddress: UInt64 = 0x7fff_ffff_e000

    /// Splits strace's argument text at top-level commas (not inside quotes, brackets or braces).
    static func splitArguments(_ text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var inString = false
        var escaped = false
        for c in text {
            if inString {
                current.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            switch c {
            case "\"": inString = true; current.append(c)
            case "(", "[", "{": depth += 1; current.append(c)
            case ")", "]", "}": depth -= 1; current.append(c)
            case "," where depth == 0:
                parts.append(current.trimmingCharacters(in: " "))
                current = ""
            default: current.append(c)
            }
        }
        let last = current.trimmingCharacters(in: " ")
        if !last.isEmpty || !parts.isEmpty { parts.append(last) }
        return parts
    }

    /// `mmap(NULL, 4096, …) = 0x7f…` → ("NULL, 4096, …", "0x7f…"), finding the `)` that closes the list.
    static func splitCall(_ text: String, open: String.Index) -> (String, String)? {
        var depth = 0
        var inString = false
        var escaped = false
        var i = open
        while i < text.endIndex {
            let c = text[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "(" || c == "[" || c == "{" {
                depth += 1
            } else if c == ")" || c == "]" || c == "}" {
                depth -= 1
                if depth == 0 {
                    let args = String(text[text.index(after: open)..<i])
                    let after = text[text.index(after: i)...]
                    guard let eq = after.firstIndex(of: "=") else { return (args, "?") }
                    return (args, String(after[after.index(after: eq)...]))
                }
            }
            i = text.index(after: i)
        }
        return nil
    }

    static func number(_ text: String) -> UInt64? {
        var t = text
        if let comment = t.firstRange(of: " /*") { t = String(t[..<comment.lowerBound]) }
        t = t.trimmingCharacters(in: " ")
        if t == "NULL" { return 0 }
        if t.contains("|") {
            var value: UInt64 = 0
            for part in t.split(separator: "|") {
                guard let v = number(String(part)) else { return nil }
                value |= v
            }
            return value
        }
        if t.hasPrefix("0x") { return UInt64(t.dropFirst(2), radix: 16) }
        if t.hasPrefix("0"), t.count > 1, t.allSatisfy(\.isNumber) { return UInt64(t.dropFirst(), radix: 8) }
        if let v = Int64(t) { return UInt64(bitPattern: v) }
        return nil
    }

    static func decodeString(_ literal: String) -> [UInt8] {
        var bytes: [UInt8] = []
        let s = Array(literal.utf8)
        var i = 1
        while i < s.count {
            let c = s[i]
            if c == UInt8(ascii: "\"") { break }
            if c == UInt8(ascii: "\\"), i + 1 < s.count {
                let e = s[i + 1]
                i += 2
                switch e {
                case UInt8(ascii: "n"): bytes.append(10)
                case UInt8(ascii: "t"): bytes.append(9)
                case UInt8(ascii: "r"): bytes.append(13)
                case UInt8(ascii: "v"): bytes.append(11)
                case UInt8(ascii: "f"): bytes.append(12)
                case UInt8(ascii: "x"):
                    let hex = String(decoding: s[i..<min(i + 2, s.count)], as: UTF8.self)
                    bytes.append(UInt8(hex, radix: 16) ?? 0)
                    i += 2
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    var value = Int(e - 48)
                    var n = 1
                    while n < 3, i < s.count, s[i] >= 48, s[i] <= 55 {
                        value = value * 8 + Int(s[i] - 48)
                        i += 1
                        n += 1
                    }
                    bytes.append(UInt8(value & 0xff))
                default: bytes.append(e)
                }
                continue
            }
            bytes.append(c)
            i += 1
        }
        return bytes
    }

    static func signal(_ text: String, pretty: String?) -> SignalEvent {
        // --- SIGSEGV {si_signo=11, si_code=0x2, si_addr=0x7ffff7fbf00a} ---
        let name = String(text.dropFirst(4).prefix { $0 != " " })
        var fields: [String: String] = [:]
        if let open = text.firstIndex(of: "{"), let close = text.lastIndex(of: "}") {
            for part in text[text.index(after: open)..<close].split(separator: ",") {
                let kv = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: " ") }
                if kv.count == 2 { fields[kv[0]] = kv[1] }
            }
        }
        let code = fields["si_code"].flatMap { number($0) }.map { Int32(truncatingIfNeeded: $0) } ?? 0
        let address = fields["si_addr"].flatMap { number($0) }
        var rendered = "{}"
        let source = pretty ?? text
        if let open = source.firstIndex(of: "{"), let close = source.lastIndex(of: "}") {
            rendered = String(source[open...close])
        }
        return SignalEvent(signal: Constants.signal(named: name) ?? 0, code: code, faultAddress: address,
                           senderPid: fields["si_pid"].flatMap { Int32($0) }, rendered: rendered)
    }

    static func processExit(_ text: String) -> ProcessExit {
        if text.hasPrefix("+++ exited with ") {
            return .exited(status: Int32(text.dropFirst(16).prefix { $0 != " " }) ?? 0)
        }
        let name = String(text.dropFirst("+++ killed by ".count).prefix { $0 != " " })
        return .killed(signal: Constants.signal(named: name) ?? 0, coreDumped: text.contains("core dumped"))
    }
}
