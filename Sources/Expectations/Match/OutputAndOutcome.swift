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
                return failure(x, say("the regex /\(source)/ cannot be used (the lesson has a mistake)",
                                      "레슨의 정규식 /\(source)/에 문제가 있어서 쓸 수 없습니다(레슨의 실수입니다)"))
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
                        return failure(x, say("in \(streamWords(check.stream)), the line \(quote(matchText)) has no value for `$\(capture.name)`",
                                              "\(streamWords(check.stream))의 줄 \(quote(matchText))에는 `$\(capture.name)`에 들어갈 값이 없습니다"))
                    }
                    guard let value = parseNumber(String(substring)) else {
                        for capture in each { bindings[capture.slot] = nil }
                        return failure(x, say("in \(streamWords(check.stream)), \(quote(String(substring))) (in \(quote(matchText))) is not a number",
                                              "\(streamWords(check.stream))에서 \(quote(matchText)) 안의 \(koTopic(quote(String(substring)))) 숫자가 아닙니다"))
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
            return failure(x, say("your program never created a child process, so there is no child to check",
                                  "프로그램이 자식 프로세스를 만들지 않아서 확인할 자식 프로세스가 없습니다"))
        }
        for pid in pids {
            if let failure = checkOutcome(x, outcome, pid: pid) { return failure }
        }
        return nil
    }

    mutating func checkOutcome(_ x: Expectation, _ outcome: Outcome, pid: Int32) -> MatchFailure? {
        let who = pid == model.root ? say("your program", "프로그램") : say("the child process \(pid)", "자식 프로세스 \(pid)")
        guard let exit = model.exit(of: pid) else {
            return failure(x, say("\(who) did not finish on its own: the checker had to stop it (too slow, or too much output)",
                                  "\(koSubject(who)) 스스로 끝나지 않아서 검사기가 멈춰야 했습니다(너무 느리거나 출력이 너무 많음)"))
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
                return failure(x, say("\(who) exited with status \(status); this exercise wants it to exit with \(text)",
                                      "\(who)의 종료 상태는 \(status)입니다. 이 연습은 종료 상태 \(koObject(text)) 원합니다"),
                               nearest: model.render(exit), at: model.exitIndexByPid[pid])
            case .killed(let signal, _):
                return failure(x, say("\(who) was killed by \(Constants.signalName(signal))\(signalDetails(signal, pid: pid)); "
                                      + "this exercise wants it to exit with \(text)",
                                      "\(koSubject(who)) \(Constants.signalName(signal)) 시그널\(signalDetails(signal, pid: pid))로 강제 종료되었습니다. "
                                      + "이 연습은 종료 상태 \(koObject(text)) 원합니다"),
                               nearest: renderDeath(signal, pid: pid, exit: exit))
            }
        case .killed(let wanted, let code, let address, let addressText):
            let wantedName = Constants.signalName(wanted)
            switch exit {
            case .exited(let status):
                return failure(x, say("\(who) exited with status \(status), but this exercise expects it to be killed by \(wantedName)",
                                      "\(who)의 종료 상태는 \(status)입니다. 이 연습은 \(wantedName) 시그널로 강제 종료되기를 원합니다"),
                               nearest: model.render(exit), at: model.exitIndexByPid[pid])
            case .killed(let signal, _):
                if signal != wanted {
                    return failure(x, say("\(who) was killed by \(Constants.signalName(signal)); this exercise expects \(wantedName)",
                                          "\(koSubject(who)) \(Constants.signalName(signal)) 시그널로 강제 종료되었습니다. 이 연습은 \(koObject(wantedName)) 원합니다"),
                                   nearest: renderDeath(signal, pid: pid, exit: exit))
                }
                let delivered = model.lastSignal(signal, process: pid)
                if let code {
                    let codeName = Constants.codeName(code, signal: wanted)
                    guard let delivered else {
                        return failure(x, say("the trace does not show the \(wantedName) being delivered, so its si_code is unknown",
                                              "트레이스에 \(koSubject(wantedName)) 전달된 기록이 없어서 si_code를 알 수 없습니다"),
                                       nearest: model.render(exit), at: model.exitIndexByPid[pid])
                    }
                    if delivered.code != code {
                        let got = Constants.codeName(delivered.code, signal: signal)
                        return failure(x, say("the \(wantedName) came with si_code \(got)\(meaning(got)); "
                                              + "this exercise wants \(codeName)\(meaning(codeName))",
                                              "\(wantedName)의 si_code는 \(koWas(got + meaning(got))). "
                                              + "이 연습은 \(koObject(codeName + meaning(codeName))) 원합니다"),
                                       nearest: renderDeath(signal, pid: pid, exit: exit))
                    }
                }
                if let address {
                    guard let fault = delivered?.faultAddress else {
                        return failure(x, say("the trace does not show the fault address of the \(wantedName)",
                                              "트레이스에 \(wantedName)의 폴트 주소가 없습니다"),
                                       nearest: renderDeath(signal, pid: pid, exit: exit))
                    }
                    newlyBound.removeAll(keepingCapacity: true)
                    let ok = match(address, Int64(bitPattern: fault), context)
                    rollback()
                    if !ok {
                        return failure(x, say("the fault address was \(hex(Int64(bitPattern: fault))); this exercise wants it in "
                                              + "\(addressText ?? "") \(describeValues(of: address, context))",
                                              "폴트 주소는 \(koWas(hex(Int64(bitPattern: fault)))). 이 연습은 "
                                              + "\(addressText ?? "") \(describeValues(of: address, context)) 범위 안의 주소를 원합니다"),
                                       nearest: renderDeath(signal, pid: pid, exit: exit))
                    }
                }
                return nil
            }
        }
    }

    func meaning(_ codeName: String) -> String {
        Constants.codeMeaning(codeName, language: language).map { " (\($0))" } ?? ""
    }

    func signalDetails(_ signal: Int32, pid: Int32) -> String {
        guard let delivered = model.lastSignal(signal, process: pid) else { return "" }
        var parts: [String] = []
        let code = Constants.codeName(delivered.code, signal: signal)
        if code.first?.isLetter == true { parts.append(code) }
        if let address = delivered.faultAddress { parts.append(say("at ", "주소 ") + hex(Int64(bitPattern: address))) }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: say(" ", ", ")) + ")"
    }

    func renderDeath(_ signal: Int32, pid: Int32, exit: ProcessExit) -> String {
        if let delivered = model.lastSignal(signal, process: pid) {
            return StraceFormat.signalText(delivered) + "\n" + model.render(exit)
        }
        return model.render(exit)
    }

    mutating func checkCondition(_ x: Expectation, _ expr: Expr, _ pattern: Pattern) -> MatchFailure? {
        let context = EvalContext(event: nil, process: model.root)
        let values = eval(expr, context)
        if case .unknown(let reason) = values { return failure(x, say("this cannot be checked: \(reason)", "확인할 수 없습니다: \(reason)")) }
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
