// Checks of what the whole run produced: its output (per process, with captured values),
// how it ended, and conditions over the state the trace implies.

import Syscalls

extension ScriptMatcher {
    func output(_ stream: OutputStream, _ scope: Scope) -> (bytes: [UInt8], truncated: Bool) {
        switch scope.process {
        case .any:
            return stream == .stdout ? (model.run.stdout, model.run.stdoutTruncated) : (model.run.stderr, model.run.stderrTruncated)
        case .root, .child:
            return (model.written(fd: stream == .stdout ? 1 : 2, process: scope.process), false)
        }
    }

    mutating func checkOutput(_ x: Expectation, _ check: OutputCheck, negated: Bool) -> MatchFailure? {
        let (bytes, truncated) = output(check.stream, x.scope)
        switch check.kind {
        case .equals(let wanted):
            let equal = bytes == wanted
            if equal == negated { return explainOutputEquals(x, check.stream, bytes, wanted, negated: negated, truncated: truncated) }
            return nil
        case .contains(let wanted):
            let found = wanted.isEmpty || bytes.firstRange(of: wanted) != nil
            if found == negated { return explainOutputContains(x, check.stream, bytes, wanted, negated: negated) }
            return nil
        case .matches(let source, let count, let each):
            guard let regex = regex(source) else {
                return failure(x, "the regex /\(source)/ cannot be used (the lesson has a mistake)")
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let matches = text.matches(of: regex)
            let n = matches.count
            let countOK = n >= count.lowerBound && (count.upperBound.map { n <= $0 } ?? true)
            if negated {
                if n > 0 { return explainOutputRegex(x, check.stream, text, source, count, found: n, negated: true) }
                return nil
            }
            if !countOK { return explainOutputRegex(x, check.stream, text, source, count, found: n, negated: false) }
            // each $x: pattern — group k parsed as a number.
            var collected = Array(repeating: [Int64](), count: each.count)
            for m in matches {
                for (k, capture) in each.enumerated() {
                    let groupIndex = k + 1
                    let matchText = String(text[m.range])
                    guard groupIndex < m.output.count, let substring = m.output[groupIndex].substring else {
                        for capture in each { bindings[capture.slot] = nil }
                        return failure(x, "in \(streamWords(check.stream)), the line \(quote(matchText)) has no value for `$\(capture.name)`")
                    }
                    guard let value = parseNumber(String(substring)) else {
                        for capture in each { bindings[capture.slot] = nil }
                        return failure(x, "in \(streamWords(check.stream)), \(quote(String(substring))) (in \(quote(matchText))) is not a number")
                    }
                    if let constraint = capture.constraint {
                        newlyBound.removeAll(keepingCapacity: true)
                        let ok = match(constraint, value, EvalContext(event: nil, process: model.root))
                        rollback()
                        if !ok {
                            for capture in each { bindings[capture.slot] = nil }
                            return explainEach(x, capture, value: value, line: matchText, constraint: constraint)
                        }
                    }
                    collected[k].append(value)
                    // Later captures of the same line may refer to this one (`$g: $s`).
                    bindings[capture.slot] = .one(value)
                }
                for capture in each { bindings[capture.slot] = nil }
            }
            for (k, capture) in each.enumerated() {
                bindings[capture.slot] = collected[k].count == 1 ? .one(collected[k][0]) : .many(collected[k])
                boundLine[capture.slot] = x.position.line
            }
            return nil
        }
    }

    mutating func checkOutcome(_ x: Expectation, _ outcome: Outcome) -> MatchFailure? {
        let pids: [Int32] = x.scope.process == .child ? model.children : [model.root]
        if pids.isEmpty {
            return failure(x, "your program never created a child process, so there is no child to check")
        }
        for pid in pids {
            if let failure = checkOutcome(x, outcome, pid: pid) { return failure }
        }
        return nil
    }

    mutating func checkOutcome(_ x: Expectation, _ outcome: Outcome, pid: Int32) -> MatchFailure? {
        let who = pid == model.root ? "your program" : "the child process \(pid)"
        guard let exit = model.exit(of: pid) else {
            return failure(x, "\(who) did not finish on its own: the checker had to stop it (too slow, or too much output)")
        }
        let context = EvalContext(event: nil, process: pid)
        switch outcome {
        case .exited(let pattern, let text):
            switch exit {
            case .exited(let status):
                newlyBound.removeAll(keepingCapacity: true)
                if match(pattern, Int64(status), context) {
                    newlyBound.removeAll(keepingCapacity: true)
                    return nil
                }
                rollback()
                return failure(x, "\(who) exited with status \(status); this exercise wants it to exit with \(text)",
                               nearest: model.render(exit))
            case .killed(let signal, _):
                return failure(x, "\(who) was killed by \(Constants.signalName(signal))\(signalDetails(signal, pid: pid)); "
                               + "this exercise wants it to exit with \(text)",
                               nearest: renderDeath(signal, pid: pid, exit: exit))
            }
        case .killed(let wanted, let code, let address, let addressText):
            let wantedName = Constants.signalName(wanted)
            switch exit {
            case .exited(let status):
                return failure(x, "\(who) exited with status \(status), but this exercise expects it to be killed by \(wantedName)",
                               nearest: model.render(exit))
            case .killed(let signal, _):
                if signal != wanted {
                    return failure(x, "\(who) was killed by \(Constants.signalName(signal)); this exercise expects \(wantedName)",
                                   nearest: renderDeath(signal, pid: pid, exit: exit))
                }
                let delivered = model.lastSignal(signal, process: pid)
                if let code {
                    let codeName = Constants.codeName(code, signal: wanted)
                    guard let delivered else {
                        return failure(x, "the trace does not show the \(wantedName) being delivered, so its si_code is unknown",
                                       nearest: model.render(exit))
                    }
                    if delivered.code != code {
                        let got = Constants.codeName(delivered.code, signal: signal)
                        return failure(x, "the \(wantedName) came with si_code \(got)\(meaning(got)); "
                                       + "this exercise wants \(codeName)\(meaning(codeName))",
                                       nearest: renderDeath(signal, pid: pid, exit: exit))
                    }
                }
                if let address {
                    guard let fault = delivered?.faultAddress else {
                        return failure(x, "the trace does not show the fault address of the \(wantedName)",
                                       nearest: renderDeath(signal, pid: pid, exit: exit))
                    }
                    newlyBound.removeAll(keepingCapacity: true)
                    let ok = match(address, Int64(bitPattern: fault), context)
                    rollback()
                    if !ok {
                        return failure(x, "the fault address was \(hex(Int64(bitPattern: fault))); this exercise wants it in "
                                       + "\(addressText ?? "") \(describeValues(of: address, context))",
                                       nearest: renderDeath(signal, pid: pid, exit: exit))
                    }
                }
                return nil
            }
        }
    }

    func meaning(_ codeName: String) -> String {
        Constants.codeMeaning(codeName).map { " (\($0))" } ?? ""
    }

    func signalDetails(_ signal: Int32, pid: Int32) -> String {
        guard let delivered = model.lastSignal(signal, process: pid) else { return "" }
        var parts: [String] = []
        let code = Constants.codeName(delivered.code, signal: signal)
        if code.first?.isLetter == true { parts.append(code) }
        if let address = delivered.faultAddress { parts.append("at \(hex(Int64(bitPattern: address)))") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: " ") + ")"
    }

    func renderDeath(_ signal: Int32, pid: Int32, exit: ProcessExit) -> String {
        if let delivered = model.lastSignal(signal, process: pid) {
            return "--- \(Constants.signalName(signal)) \(delivered.rendered) ---\n" + model.render(exit)
        }
        return model.render(exit)
    }

    mutating func checkCondition(_ x: Expectation, _ expr: Expr, _ pattern: Pattern) -> MatchFailure? {
        let context = EvalContext(event: nil, process: model.root)
        let values = eval(expr, context)
        if case .unknown(let reason) = values { return failure(x, "this cannot be checked: \(reason)") }
        for value in values.list {
            newlyBound.removeAll(keepingCapacity: true)
            if !match(pattern, value, context) {
                rollback()
                return explainCondition(x, expr, pattern, value: value, context)
            }
            for slot in newlyBound { boundLine[slot] = x.position.line }
            newlyBound.removeAll(keepingCapacity: true)
        }
        return nil
    }
}
