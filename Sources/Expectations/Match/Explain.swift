// Explanations: every failure in words a learner understands — which event was closest,
// which argument differs and how, how many were seen against how many were wanted.
// Never a matcher state.

import Syscalls

extension ScriptMatcher {
    // MARK: Events

    mutating func explainMissing(_ x: Expectation, _ event: EventPattern, _ count: Count, found: [Int],
                                 candidates: [Int], start: Int) -> MatchFailure {
        let scope = scopeWords(x.scope)
        let after = lastAnchor.map { "\(scope.isEmpty ? "" : ",") after the event that line \($0.line) matched" } ?? ""
        if !found.isEmpty || count.lowerBound > 1 {
            var text = "this exercise wants \(countWords(count, event))\(scope)\(after); your program made \(found.count)"
            var nearest: String?
            let from = found.last.map { firstIndex(in: candidates, atOrAfter: $0 + 1) } ?? start
            if let (i, reason) = nearestCandidate(x, event, candidates: candidates, from: from) {
                text += ". The closest other one: \(reason)"
                nearest = model.render(i)
            }
            return failure(x, text, nearest: nearest)
        }
        if let (i, reason) = nearestCandidate(x, event, candidates: candidates, from: start) {
            return failure(x, reason, nearest: model.render(i))
        }
        // Nothing of this kind after the cursor in scope: say where such events were, if anywhere.
        let what = eventNoun(event)
        if let i = candidates[..<start].last(where: { model.inScope($0, x.scope) }), let anchor = lastAnchor {
            return failure(x, "your program made \(what)\(scope), but only before the event that line \(anchor.line) matched; "
                           + "this exercise wants it afterwards", nearest: model.render(i))
        }
        if let i = candidates.first(where: { !model.inScope($0, x.scope) }) {
            return failure(x, "your program made \(what) only \(placeWords(i)); this exercise wants one\(scope.isEmpty ? " after main" : scope)",
                           nearest: model.render(i))
        }
        switch event {
        case .call(let call):
            return failure(x, "your program never called \(call.name)\(scope)")
        case .signal:
            return failure(x, "no signal was delivered to your program\(scope)")
        case .spawn(let thread):
            return failure(x, "your program never created a \(thread ? "thread" : "child process")\(scope)")
        }
    }

    mutating func explainTooMany(_ x: Expectation, _ event: EventPattern, _ count: Count, total: Int, before: Int,
                                 offending: Int?) -> MatchFailure {
        let scope = scopeWords(x.scope)
        let nearest = offending.map { model.render($0) }
        if case .none = count {
            let what: String
            switch event {
            case .call(let call):
                what = total == 1 ? "\(article(call.name)) \(call.name) call" : "\(total) \(call.name) calls"
            case .signal: what = total == 1 ? "a signal" : "\(total) signals"
            case .spawn(let thread):
                what = thread ? (total == 1 ? "a thread" : "\(total) threads") : (total == 1 ? "a child process" : "\(total) child processes")
            }
            return failure(x, "your program made \(what) that this exercise rules out\(scope)", nearest: nearest)
        }
        var text = "this exercise wants \(countWords(count, event))\(scope); your program made \(total)"
        if before > 0, let anchor = lastAnchor {
            text += " (\(before) of them before the event that line \(anchor.line) matched)"
        }
        return failure(x, text, nearest: nearest)
    }

    /// The candidate after `from` that matches the most parts of the pattern, and what differs.
    mutating func nearestCandidate(_ x: Expectation, _ event: EventPattern, candidates: [Int],
                                   from: Int) -> (Int, String)? {
        var best: (index: Int, score: Int)?
        var examined = 0
        var k = from
        while k < candidates.count, examined < 5000 {
            let i = candidates[k]
            k += 1
            guard model.inScope(i, x.scope) else { continue }
            examined += 1
            // Arguments weigh more than the return value: they show which call the learner meant.
            let parts = partsMatching(event, at: i)
            let returnPart: Int
            if case .call(let call) = event { returnPart = call.arguments.count } else { returnPart = -1 }
            let score = parts.reduce(0) { $0 + ($1 == returnPart ? 1 : 2) }
            if best == nil || score > best!.score { best = (i, score) }
        }
        guard let best else { return nil }
        return (best.index, describeDifference(event, at: best.index))
    }

    /// For each part (arguments then the return value), whether it matches on its own.
    mutating func partsMatching(_ event: EventPattern, at i: Int) -> [Int] {
        var matching: [Int] = []
        switch event {
        case .call(let call):
            let info = ArgumentTable.arguments(of: call.name)
            let context = EvalContext(event: i, process: model.processes[i])
            for k in 0..<call.arguments.count {
                newlyBound.removeAll(keepingCapacity: true)
                if matchArgument(call.arguments[k].pattern, event: i, index: k, kind: info?[k].kind, context) {
                    matching.append(k)
                }
                rollback()
            }
            newlyBound.removeAll(keepingCapacity: true)
            if matchReturn(call.result, event: i, context) { matching.append(call.arguments.count) }
            rollback()
        case .signal(let pattern):
            guard case .signal(let signal) = model.run.events[i].kind else { return [] }
            if pattern.signal == nil || pattern.signal == signal.signal { matching.append(0) }
            if pattern.code == nil || pattern.code == signal.code { matching.append(1) }
        case .spawn:
            matching.append(0)
        }
        return matching
    }

    mutating func describeDifference(_ event: EventPattern, at i: Int) -> String {
        switch event {
        case .call(let call):
            let matching = Set(partsMatching(event, at: i))
            let info = ArgumentTable.arguments(of: call.name)
            let context = EvalContext(event: i, process: model.processes[i])
            for k in 0..<call.arguments.count where !matching.contains(k) {
                return describeArgument(call, k, info: info?[k], event: i, context)
            }
            if !matching.contains(call.arguments.count) { return describeReturn(call, event: i, context) }
            // Each part matches alone but not together: a capture used twice disagrees.
            return "its arguments do not fit together with the values captured earlier"
                + capturesSummary(call)
        case .signal(let pattern):
            guard case .signal(let signal) = model.run.events[i].kind else { return "" }
            let got = Constants.signalName(signal.signal)
            if let wanted = pattern.signal, wanted != signal.signal {
                return "your program received \(got); this exercise wants \(Constants.signalName(wanted))"
            }
            if let code = pattern.code, code != signal.code {
                let gotCode = Constants.codeName(signal.code, signal: signal.signal)
                let wantCode = Constants.codeName(code, signal: signal.signal)
                return "the \(got) came with si_code \(gotCode)\(meaning(gotCode)); this exercise wants \(wantCode)\(meaning(wantCode))"
            }
            if let address = pattern.address {
                let fault = signal.faultAddress.map { hex(Int64(bitPattern: $0)) } ?? "unknown"
                return "the fault address was \(fault); this exercise wants \(pattern.addressText ?? "") "
                    + describeValues(of: address, EvalContext(event: i, process: model.processes[i]))
            }
            return "the signal differs"
        case .spawn:
            return "a process appeared, but not where this line looks"
        }
    }

    func capturesSummary(_ call: CallPattern) -> String {
        var parts: [String] = []
        for slot in Set(captureSlots(in: .event(.call(call), .once))).sorted() {
            if let bound = bindings[slot] {
                parts.append("`$\(script.captureNames[slot])` is \(valuesText(bound.values))"
                              + (boundLine[slot].map { " (from line \($0))" } ?? ""))
            }
        }
        return parts.isEmpty ? "" : ": " + parts.joined(separator: ", ")
    }

    func describeArgument(_ call: CallPattern, _ k: Int, info: ArgumentInfo?, event i: Int,
                          _ context: EvalContext) -> String {
        let argument = call.arguments[k]
        let observed = observedArgument(event: i, index: k, kind: info?.kind)
        let wanted = wantedWords(argument.pattern, text: argument.text, context)
        let name = call.name
        switch argument.pattern {
        case .string, .regex:
            guard let data = data(of: i) else {
                return "the tracer could not read the bytes \(name) used (argument \(k + 1)), so \(argument.text) cannot be checked"
            }
            let seen = quote(String(decoding: data, as: UTF8.self))
            switch info?.role {
            case .path?: return "your program's \(name) used the path \(seen); this exercise wants \(wanted)"
            default:
                if name == "write" { return "your program wrote \(seen); this exercise wants \(wanted)" }
                return "your program's \(name) used the bytes \(seen); this exercise wants \(wanted)"
            }
        default:
            break
        }
        switch info?.role {
        case .length?:
            let sizeName = info?.name ?? "length"
            let bytes = Int64(bitPattern: model.argument(i, k))
            return "your program asked \(name) for \(bytes) bytes (\(sizeName)); this exercise wants \(wanted)\(pagesNote(bytes, argument.pattern, context))"
        case .protection?:
            return "your program asked \(name) for protection \(observed); this exercise wants \(wanted)"
        case .mapFlags?:
            return "your program called \(name) with the flags \(observed); this exercise wants \(wanted)"
        case .fileDescriptor?:
            return "your program passed \(name) the file descriptor \(observed) (\(info!.name)); this exercise wants \(wanted)"
        case .address?:
            return "your program passed \(name) the address \(observed) (\(info!.name)); this exercise wants \(wanted)"
        case .offset?:
            return "your program asked \(name) for offset \(observed); this exercise wants \(wanted)"
        default:
            let argName = info.map { " (\($0.name))" } ?? ""
            return "argument \(k + 1)\(argName) of your program's \(name) was \(observed); this exercise wants \(wanted)"
        }
    }

    /// "(two pages)" style help when lengths are page multiples.
    func pagesNote(_ got: Int64, _ pattern: Pattern, _ context: EvalContext) -> String {
        guard case .value(let expr) = pattern, case .one(let want) = eval(expr, context), want > 0, want % 4096 == 0 else {
            return ""
        }
        let pages = want / 4096
        let names = [1: "one page", 2: "two pages", 3: "three pages", 4: "four pages"]
        return " (\(names[Int(pages)] ?? "\(pages) pages") of 4096 bytes)"
    }

    func describeReturn(_ call: CallPattern, event i: Int, _ context: EvalContext) -> String {
        guard let syscall = model.run.events[i].syscall else { return "" }
        let rendered = syscall.renderedReturn
        let name = call.name
        let failedNote = syscall.errno.map { "failed with \(Constants.errnoName($0))" }
        switch call.result {
        case .any: return ""
        case .success:
            return "your program's \(name) \(failedNote ?? "did not return") (= \(rendered)); this exercise wants it to succeed"
        case .noReturn:
            return "your program's \(name) returned \(rendered); this exercise wants a call that never returns"
        case .failure(let errno):
            let wanted = errno.map { "fail with \(Constants.errnoName($0))" } ?? "fail"
            if let failedNote {
                return "your program's \(name) \(failedNote) (= \(rendered)); this exercise wants it to \(wanted)"
            }
            if syscall.returnValue == nil {
                return "your program's \(name) never returned; this exercise wants it to \(wanted)"
            }
            return "your program's \(name) succeeded (= \(rendered)); this exercise wants it to \(wanted)"
        case .value(let pattern):
            if let failedNote {
                return "your program's \(name) \(failedNote) (= \(rendered)); this exercise wants it to succeed and return "
                    + wantedWords(pattern, text: call.resultText, context)
            }
            if syscall.returnValue == nil {
                return "your program's \(name) never returned; this exercise wants it to return "
                    + wantedWords(pattern, text: call.resultText, context)
            }
            var text = "your program's \(name) returned \(rendered); this exercise wants "
                + wantedWords(pattern, text: call.resultText, context)
            if name == "brk", let before = model.breakBefore(i, process: context.process), let value = syscall.returnValue {
                text += value > before ? " (the break rose from \(hex(before)))"
                    : value == before ? " (the break stayed at \(hex(before)): brk did not move it)"
                    : " (the break fell from \(hex(before)))"
            }
            return text
        }
    }

    /// The argument as strace printed it, or its number.
    func observedArgument(event i: Int, index k: Int, kind: ArgumentKind?) -> String {
        if let syscall = model.run.events[i].syscall {
            let parts = splitArguments(syscall.renderedArguments)
            if parts.count == syscall.arguments.count || (k < parts.count && parts.count <= 6 && k < parts.count) {
                if k < parts.count { return parts[k] }
            }
        }
        let value = argumentValue(event: i, index: k, kind: kind)
        return kind == .pointer || value > 65536 ? hex(value) : "\(value)"
    }

    /// The pattern in words, with the values of captures and state spelled out.
    func wantedWords(_ pattern: Pattern, text: String, _ context: EvalContext) -> String {
        switch pattern {
        case .any: return "anything"
        case .capture(let slot, let name, let constraint):
            if let bound = bindings[slot] {
                return "`$\(name)` = \(valuesText(bound.values))" + (boundLine[slot].map { " (captured on line \($0))" } ?? "")
            }
            return constraint.map { wantedWords($0, text: text, context) } ?? "anything"
        case .flags(let names, _, let contains):
            return contains ? "flags that include \(names.joined(separator: "|"))" : names.joined(separator: "|")
        case .string(let bytes): return quote(String(decoding: bytes, as: UTF8.self))
        case .regex(let source): return "something matching /\(source)/"
        case .compare(let op, let expr):
            let words: String
            switch op {
            case .equal: words = ""
            case .notEqual: words = "anything but "
            case .less: words = "less than "
            case .lessOrEqual: words = "at most "
            case .greater: words = "more than "
            case .greaterOrEqual: words = "at least "
            }
            return words + exprWords(expr, context)
        case .range(let low, let high, let closed):
            return "between \(exprWords(low, context)) and \(exprWords(high, context))" + (closed ? " (both included)" : " (not included)")
        case .heap:
            if let start = model.heapStart, let end = model.breakFinal {
                return "an address inside the heap (\(hex(start)) up to \(hex(end)))"
            }
            return "an address inside the heap (unknown: the trace has no brk call)"
        case .value(let expr): return exprWords(expr, context)
        }
    }

    func exprWords(_ expr: Expr, _ context: EvalContext) -> String {
        let source = exprSource(expr)
        switch expr {
        case .int(let v): return number(v)
        case .constant(let name, _): return name
        default:
            switch eval(expr, context) {
            case .one(let v): return "\(source) = \(number(v))" + stateNote(expr)
            case .many(let vs): return "\(source) = \(valuesText(vs))"
            case .unknown(let reason): return "\(source) (\(reason))"
            }
        }
    }

    func stateNote(_ expr: Expr) -> String {
        var notes: [String] = []
        func walk(_ e: Expr) {
            switch e {
            case .state(let s):
                switch s {
                case .currentBreak: notes.append("break is the program break just before this call")
                case .heapStart: notes.append("heap.start is where the heap begins")
                case .breakGrowth: notes.append("break.growth is how far the break rose after main, in total")
                default: break
                }
            case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b): walk(a); walk(b)
            case .negate(let a): walk(a)
            default: break
            }
        }
        walk(expr)
        return notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"
    }

    func exprSource(_ expr: Expr) -> String {
        switch expr {
        case .int(let v): return number(v)
        case .constant(let name, _): return name
        case .capture(_, let name): return "$\(name)"
        case .state(let s): return s.rawValue
        case .add(let a, let b): return "\(exprSource(a)) + \(exprSource(b))"
        case .subtract(let a, let b): return "\(exprSource(a)) - \(exprSource(b))"
        case .multiply(let a, let b): return "\(exprSource(a)) * \(exprSource(b))"
        case .negate(let a): return "-\(exprSource(a))"
        }
    }

    func describeValues(of pattern: Pattern, _ context: EvalContext) -> String {
        switch pattern {
        case .range(let low, let high, let closed):
            let l = eval(low, context).list
            let h = eval(high, context).list
            if l.count == 1, h.count == 1 { return "(\(hex(l[0])) \(closed ? "..." : "..<") \(hex(h[0])))" }
            return ""
        case .value(let e):
            return "(\(valuesText(eval(e, context).list)))"
        default:
            return ""
        }
    }

    // MARK: Output

    mutating func explainOutputEquals(_ x: Expectation, _ stream: OutputStream, _ bytes: [UInt8], _ wanted: [UInt8],
                                      negated: Bool, truncated: Bool) -> MatchFailure {
        let whose = streamWords(stream, x.scope)
        if negated { return failure(x, "\(whose) was exactly \(quote(bytes)), which this exercise rules out") }
        if bytes.isEmpty { return failure(x, "\(whose) was empty; this exercise wants \(quote(wanted))") }
        let got = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let want = String(decoding: wanted, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var text = "\(whose) differs from what this exercise wants"
        for n in 0..<max(got.count, want.count) {
            let g = n < got.count ? String(got[n]) : nil
            let w = n < want.count ? String(want[n]) : nil
            if g == w { continue }
            switch (g, w) {
            case (let g?, let w?):
                text += " at line \(n + 1): your program printed \(quote(g)), this exercise wants \(quote(w))"
            case (nil, let w?):
                text += ": it stops before line \(n + 1) (" + (w.isEmpty ? "an empty line" : quote(w)) + " is missing)"
            case (let g?, nil):
                text += ": line \(n + 1), " + (g.isEmpty ? "an empty line" : quote(g)) + ", is extra"
            default: break
            }
            break
        }
        if bytes.last != 10, wanted.last == 10, bytes + [10] == wanted { text = "\(whose) lacks the final newline" }
        if truncated { text += " (the output was cut at its size limit)" }
        return failure(x, text, nearest: "\(stream.rawValue): \(quote(bytes))")
    }

    func explainOutputContains(_ x: Expectation, _ stream: OutputStream, _ bytes: [UInt8], _ wanted: [UInt8],
                               negated: Bool) -> MatchFailure {
        let whose = streamWords(stream, x.scope)
        if negated {
            return failure(x, "\(whose) contains \(quote(wanted)), which this exercise rules out",
                           nearest: "\(stream.rawValue): \(quote(bytes))")
        }
        if bytes.isEmpty { return failure(x, "\(whose) was empty; this exercise wants it to contain \(quote(wanted))") }
        return failure(x, "\(whose) does not contain \(quote(wanted))", nearest: "\(stream.rawValue): \(quote(bytes))")
    }

    func explainOutputRegex(_ x: Expectation, _ stream: OutputStream, _ text: String, _ source: String, _ count: Count,
                            found: Int, negated: Bool) -> MatchFailure {
        let whose = streamWords(stream, x.scope)
        let nearest = "\(stream.rawValue): \(quote(text))"
        if negated {
            return failure(x, "\(whose) has \(found) match\(found == 1 ? "" : "es") of /\(source)/, which this exercise rules out",
                           nearest: nearest)
        }
        if found == 0 {
            return failure(x, "nothing in \(whose) matches /\(source)/" + (text.isEmpty ? " (it was empty)" : ""), nearest: nearest)
        }
        let wanted: String
        switch count {
        case .exactly(let n): wanted = "exactly \(n)"
        case .atLeast(let n): wanted = "at least \(n)"
        case .atMost(let n): wanted = "at most \(n)"
        case .between(let a, let b): wanted = "between \(a) and \(b)"
        case .once: wanted = "one"
        case .none: wanted = "no"
        }
        return failure(x, "\(whose) has \(found) match\(found == 1 ? "" : "es") of /\(source)/; this exercise wants \(wanted)",
                       nearest: nearest)
    }

    func explainEach(_ x: Expectation, _ capture: EachCapture, value: Int64, line: String, constraint: Pattern) -> MatchFailure {
        let context = EvalContext(event: nil, process: model.root)
        let wanted = wantedWords(constraint, text: capture.constraintText ?? "", context)
        return failure(x, "your program printed \(quote(line)): \(hex(value)) is not \(wanted)",
                       nearest: quote(line))
    }

    func explainCondition(_ x: Expectation, _ expr: Expr, _ pattern: Pattern, value: Int64, _ context: EvalContext) -> MatchFailure {
        let source = exprSource(expr)
        let wanted = wantedWords(pattern, text: "", context)
        var text = "\(source) is \(number(value))\(stateNote(expr)); this exercise wants \(wanted)"
        if case .state(.breakGrowth) = expr {
            text = "after main the program break rose by \(value) bytes in total; this exercise wants \(wanted)"
        }
        return failure(x, text)
    }

    // MARK: Words

    func countWords(_ count: Count, _ event: EventPattern) -> String {
        let noun: (Int) -> String = { n in
            switch event {
            case .call(let call): return n == 1 ? "\(call.name) call like this" : "\(call.name) calls like this"
            case .signal: return n == 1 ? "signal like this" : "signals like this"
            case .spawn(let thread): return thread ? (n == 1 ? "new thread" : "new threads") : (n == 1 ? "new process" : "new processes")
            }
        }
        switch count {
        case .once: return "one \(noun(1))"
        case .exactly(let n): return "exactly \(n) \(noun(n))"
        case .atLeast(let n): return "at least \(n) \(noun(n))"
        case .atMost(let n): return "at most \(n) \(noun(n))"
        case .between(let a, let b): return "between \(a) and \(b) \(noun(b))"
        case .none: return "no \(noun(2))"
        }
    }

    func eventNoun(_ event: EventPattern) -> String {
        switch event {
        case .call(let call): return "\(call.name) calls"
        case .signal: return "signals"
        case .spawn(let thread): return thread ? "threads" : "child processes"
        }
    }

    func scopeWords(_ scope: Scope) -> String {
        var words = ""
        switch scope.process {
        case .any: break
        case .root: words += " in the first process (not a child)"
        case .child: words += " in a child process"
        }
        switch scope.phase {
        case .program: words += " after main"
        case .startup: words += " during start-up (before main)"
        case .always: break
        }
        return words
    }

    func placeWords(_ i: Int) -> String {
        if !model.isProgramPhase[i] { return "during start-up, before main" }
        return model.processes[i] == model.root ? "in the first process" : "in a child process"
    }

    func streamWords(_ stream: OutputStream, _ scope: Scope = Scope()) -> String {
        let name = stream == .stdout ? "standard output" : "standard error"
        switch scope.process {
        case .any: return name
        case .root: return "\(name) written by the first process itself"
        case .child: return "\(name) written by the child process"
        }
    }
}

/// "an mmap", "a munmap", "an openat".
func article(_ name: String) -> String {
    if let first = name.first, "aeiou".contains(first) { return "an" }
    if name.hasPrefix("mm") || name.hasPrefix("ms") || name.hasPrefix("ml") || name.hasPrefix("mp") || name.hasPrefix("mr") {
        return "an"
    }
    return "a"
}

func hex(_ v: Int64) -> String {
    v < 0 ? "-0x" + String(UInt64(bitPattern: v).magnitudeNegated, radix: 16) : "0x" + String(v, radix: 16)
}

extension UInt64 {
    var magnitudeNegated: UInt64 { 0 &- self }
}

/// Sizes in decimal, addresses (above 4 GiB) in hex.
func number(_ v: Int64) -> String { v >= 1 << 32 || v <= -(1 << 32) ? hex(v) : "\(v)" }

func valuesText(_ values: [Int64]) -> String {
    func one(_ v: Int64) -> String { number(v) }
    if values.isEmpty { return "no value (its line matched nothing)" }
    if values.count == 1 { return one(values[0]) }
    let shown = values.prefix(5).map(one).joined(separator: ", ")
    return "one of " + shown + (values.count > 5 ? ", … (\(values.count) values)" : "")
}

/// A string as a learner would type it: quoted, escapes shown, long ones shortened.
func quote(_ s: String) -> String {
    var out = "\""
    var n = 0
    for c in s.unicodeScalars {
        n += 1
        if n > 160 { out += "…"; break }
        switch c {
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        default:
            if c.value < 32 { out += "\\x" + String(c.value, radix: 16) } else { out.unicodeScalars.append(c) }
        }
    }
    return out + "\""
}

func quote(_ bytes: [UInt8]) -> String { quote(String(decoding: bytes, as: UTF8.self)) }

/// Splits strace's argument text at top-level commas (not inside quotes, brackets or braces).
func splitArguments(_ text: String) -> [String] {
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
