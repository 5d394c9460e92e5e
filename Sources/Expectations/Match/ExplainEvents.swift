// Explanations of the event lines: which event was closest, which argument differs and how,
// how many were seen against how many were wanted. Never a matcher state. Every message
// is said in English and in Korean (`say(english, korean)`, Language.swift); syscall
// names, flags and numbers stay as they are. The words they share: Phrases.swift.

import Syscalls

extension ScriptMatcher {
    mutating func explainMissing(_ x: Expectation, _ event: EventPattern, _ count: Count, found: [Int],
                                 candidates: [Int], start: Int) -> MatchFailure {
        let scope = scopeWords(x.scope)
        let koScope = koScopeWords(x.scope)
        let after = lastAnchor.map { "\(scope.isEmpty ? "" : ",") after the event that line \($0.line) matched" } ?? ""
        let koAfter = lastAnchor.map { "\($0.line)번 줄이 찾은 이벤트 다음에 " } ?? ""
        if !found.isEmpty || count.lowerBound > 1 {
            var text = say("this exercise wants \(countWords(count, event))\(scope)\(after); your program made \(found.count)",
                           "이 연습에서는 \(koScope)\(koAfter)\(koCountWords(count, event)). \(koMade(found.count, event))")
            var nearest: String?
            var nearestIndex: Int?
            let from = found.last.map { firstIndex(in: candidates, atOrAfter: $0 + 1) } ?? start
            if let (i, reason) = nearestCandidate(x, event, candidates: candidates, from: from) {
                text += say(". The closest other one: \(reason)", ". 그 밖에 가장 비슷한 것: \(reason)")
                nearest = model.render(i)
                nearestIndex = i
            }
            return failure(x, text, nearest: nearest, at: nearestIndex)
        }
        if let (i, reason) = nearestCandidate(x, event, candidates: candidates, from: start) {
            return failure(x, reason, nearest: model.render(i), at: i)
        }
        // Nothing of this kind after the cursor in scope: say where such events were, if anywhere.
        let what = eventNoun(event)
        let koWhat = koEventNoun(event)
        if let i = candidates[..<start].last(where: { model.inScope($0, x.scope) }), let anchor = lastAnchor {
            return failure(x, say("your program made \(what)\(scope), but only before the event that line \(anchor.line) matched; "
                                  + "this exercise wants it afterwards",
                                  "프로그램에 \(koScope)\(koSubject(koWhat)) 있긴 했지만 \(anchor.line)번 줄이 찾은 이벤트보다 앞에만 있었습니다. "
                                  + "이 연습은 그 뒤에 오기를 원합니다"),
                           nearest: model.render(i), at: i)
        }
        if let i = candidates.first(where: { !model.inScope($0, x.scope) }) {
            return failure(x, say("your program made \(what) only \(placeWords(i)); this exercise wants one\(scope.isEmpty ? " after main" : scope)",
                                  "프로그램의 \(koTopic(koWhat)) \(koPlaceWords(i))만 있었습니다. "
                                  + "이 연습에서는 \(koScope.isEmpty ? "main 이후에 " : koScope)하나가 필요합니다"),
                           nearest: model.render(i), at: i)
        }
        switch event {
        case .call(let call):
            return failure(x, say("your program never called \(call.name)\(scope)",
                                  "프로그램이 \(koScope)\(koObject(call.name)) 한 번도 호출하지 않았습니다"))
        case .signal:
            return failure(x, say("no signal was delivered to your program\(scope)",
                                  "\(koScope)프로그램에 전달된 시그널이 없습니다"))
        case .spawn(let thread):
            return failure(x, say("your program never created a \(thread ? "thread" : "child process")\(scope)",
                                  "프로그램이 \(koScope)\(thread ? "스레드를" : "자식 프로세스를") 만들지 않았습니다"))
        }
    }

    mutating func explainTooMany(_ x: Expectation, _ event: EventPattern, _ count: Count, total: Int, before: Int,
                                 offending: Int?) -> MatchFailure {
        let scope = scopeWords(x.scope)
        let koScope = koScopeWords(x.scope)
        let nearest = offending.map { model.render($0) }
        if case .none = count {
            let text: String
            switch event {
            case .call(let call):
                text = say("your program made \(total == 1 ? "\(article(call.name)) \(call.name) call" : "\(total) \(call.name) calls") "
                           + "that this exercise rules out\(scope)",
                           "프로그램이 \(koScope)\(koObject(call.name)) \(total)번 호출했습니다. 이 연습에서는 이 호출이 없어야 합니다")
            case .signal:
                text = say("your program made \(total == 1 ? "a signal" : "\(total) signals") that this exercise rules out\(scope)",
                           "프로그램이 \(koScope)시그널을 \(total)번 받았습니다. 이 연습에서는 이 시그널이 없어야 합니다")
            case .spawn(let thread):
                let what = thread ? (total == 1 ? "a thread" : "\(total) threads") : (total == 1 ? "a child process" : "\(total) child processes")
                let noun = thread ? "스레드" : "자식 프로세스"
                text = say("your program made \(what) that this exercise rules out\(scope)",
                           "프로그램이 \(koScope)\(koObject(noun)) \(total)개 만들었습니다. 이 연습에서는 \(koSubject(noun)) 없어야 합니다")
            }
            return failure(x, text, nearest: nearest, at: offending)
        }
        var text = say("this exercise wants \(countWords(count, event))\(scope); your program made \(total)",
                       "이 연습에서는 \(koScope)\(koCountWords(count, event)). \(koMade(total, event))")
        if before > 0, let anchor = lastAnchor {
            text += say(" (\(before) of them before the event that line \(anchor.line) matched)",
                        " (그중 \(before)번은 \(anchor.line)번 줄이 찾은 이벤트보다 앞)")
        }
        return failure(x, text, nearest: nearest, at: offending)
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
            return say("its arguments do not fit together with the values captured earlier",
                       "인자 하나하나는 맞지만, 앞에서 캡처한 값들과 함께 놓으면 맞지 않습니다")
                + capturesSummary(call)
        case .signal(let pattern):
            guard case .signal(let signal) = model.run.events[i].kind else { return "" }
            let got = Constants.signalName(signal.signal)
            if let wanted = pattern.signal, wanted != signal.signal {
                let wantedName = Constants.signalName(wanted)
                return say("your program received \(got); this exercise wants \(wantedName)",
                           "프로그램이 받은 시그널은 \(got)입니다. 이 연습은 \(koObject(wantedName)) 원합니다")
            }
            if let code = pattern.code, code != signal.code {
                let gotCode = Constants.codeName(signal.code, signal: signal.signal)
                let wantCode = Constants.codeName(code, signal: signal.signal)
                return say("the \(got) came with si_code \(gotCode)\(meaning(gotCode)); this exercise wants \(wantCode)\(meaning(wantCode))",
                           "\(got)의 si_code는 \(koWas(gotCode + meaning(gotCode))). 이 연습은 \(koObject(wantCode + meaning(wantCode))) 원합니다")
            }
            if let address = pattern.address {
                let fault = signal.faultAddress.map { hex(Int64(bitPattern: $0)) } ?? say("unknown", "알 수 없음")
                let values = describeValues(of: address, EvalContext(event: i, process: model.processes[i]))
                return say("the fault address was \(fault); this exercise wants \(pattern.addressText ?? "") " + values,
                           "폴트 주소는 \(koWas(fault)). 이 연습이 원하는 주소: \(pattern.addressText ?? "") " + values)
            }
            return say("the signal differs", "시그널이 다릅니다")
        case .spawn:
            return say("a process appeared, but not where this line looks",
                       "프로세스가 생기긴 했지만 이 줄이 찾는 곳에서는 아닙니다")
        }
    }

    func capturesSummary(_ call: CallPattern) -> String {
        var parts: [String] = []
        for slot in Set(captureSlots(in: .event(.call(call), .once))).sorted() {
            if let bound = bindings[slot] {
                parts.append("`$\(script.captureNames[slot])` " + say("is ", "= ") + valuesWords(bound.values)
                              + (boundLine[slot].map { say(" (from line \($0))", " (\($0)번 줄에서)") } ?? ""))
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
                return say("the tracer could not read the bytes \(name) used (argument \(k + 1)), so \(argument.text) cannot be checked",
                           "추적기가 \(name)에 쓰인 바이트(인자 \(k + 1))를 읽지 못해서 \(koObject(argument.text)) 확인할 수 없습니다")
            }
            let seen = quote(String(decoding: data, as: UTF8.self))
            switch info?.role {
            case .path?:
                return say("your program's \(name) used the path \(seen); this exercise wants \(wanted)",
                           "프로그램의 \(name) 호출이 쓴 경로는 \(seen)입니다. 이 연습은 \(koObject(wanted)) 원합니다")
            default:
                if name == "write" {
                    return say("your program wrote \(seen); this exercise wants \(wanted)",
                               "프로그램이 write로 쓴 내용은 \(seen)입니다. 이 연습은 \(koObject(wanted)) 원합니다")
                }
                return say("your program's \(name) used the bytes \(seen); this exercise wants \(wanted)",
                           "프로그램의 \(name) 호출이 쓴 바이트는 \(seen)입니다. 이 연습은 \(koObject(wanted)) 원합니다")
            }
        default:
            break
        }
        switch info?.role {
        case .length?:
            let sizeName = info?.name ?? "length"
            let bytes = Int64(bitPattern: model.argument(i, k))
            // "8192바이트" reads better than a bare "8192" when the wanted length is a plain number.
            var koWanted = wanted
            if case .value(.int(let v)) = argument.pattern { koWanted = "\(v)바이트" }
            let pages = pagesNote(bytes, argument.pattern, context)
            return say("your program asked \(name) for \(bytes) bytes (\(sizeName)); this exercise wants \(wanted)\(pages)",
                       "프로그램이 \(name)에 \(bytes)바이트를 요청했습니다(\(sizeName) 인자). 이 연습은 \(koObject(koWanted + pages)) 원합니다")
        case .protection?:
            return say("your program asked \(name) for protection \(observed); this exercise wants \(wanted)",
                       "프로그램이 \(name)에 요청한 보호 속성은 \(observed)입니다. 이 연습은 \(koObject(wanted)) 원합니다")
        case .mapFlags?:
            return say("your program called \(name) with the flags \(observed); this exercise wants \(wanted)",
                       "프로그램이 \(name)에 넘긴 플래그는 \(observed)입니다. 이 연습은 \(koObject(wanted)) 원합니다")
        case .fileDescriptor?:
            return say("your program passed \(name) the file descriptor \(observed) (\(info!.name)); this exercise wants \(wanted)",
                       "프로그램이 \(name)에 넘긴 파일 디스크립터(\(info!.name) 인자)는 \(observed)입니다. 이 연습은 \(koObject(wanted)) 원합니다")
        case .address?:
            return say("your program passed \(name) the address \(observed) (\(info!.name)); this exercise wants \(wanted)",
                       "프로그램이 \(name)에 넘긴 주소(\(info!.name) 인자)는 \(observed)입니다. 이 연습은 \(koObject(wanted)) 원합니다")
        case .offset?:
            return say("your program asked \(name) for offset \(observed); this exercise wants \(wanted)",
                       "프로그램이 \(name)에 요청한 오프셋은 \(observed)입니다. 이 연습은 \(koObject(wanted)) 원합니다")
        default:
            let argName = info.map { " (\($0.name))" } ?? ""
            return say("argument \(k + 1)\(argName) of your program's \(name) was \(observed); this exercise wants \(wanted)",
                       "프로그램의 \(name) 호출에서 인자 \(k + 1)\(argName)의 값은 \(observed)입니다. 이 연습은 \(koObject(wanted)) 원합니다")
        }
    }

    /// "(two pages)" style help when lengths are page multiples.
    func pagesNote(_ got: Int64, _ pattern: Pattern, _ context: EvalContext) -> String {
        guard case .value(let expr) = pattern, case .one(let want) = eval(expr, context), want > 0, want % 4096 == 0 else {
            return ""
        }
        let pages = want / 4096
        let english = [1: "one page", 2: "two pages", 3: "three pages", 4: "four pages"]
        let korean = [1: "한 개", 2: "두 개", 3: "세 개", 4: "네 개"]
        return say(" (\(english[Int(pages)] ?? "\(pages) pages") of 4096 bytes)",
                   "(4096바이트 페이지 \(korean[Int(pages)] ?? "\(pages)개"))")
    }

    func describeReturn(_ call: CallPattern, event i: Int, _ context: EvalContext) -> String {
        guard let syscall = model.run.events[i].syscall else { return "" }
        let rendered = syscall.renderedReturn
        let name = call.name
        let subject = "프로그램의 \(name) 호출이"
        let failed = syscall.errno.map { Constants.errnoName($0) }
            .map { say("failed with \($0) (= \(rendered))", "\($0) 오류로 실패했습니다(= \(rendered))") }
        switch call.result {
        case .any: return ""
        case .success:
            let outcome = failed ?? say("did not return (= \(rendered))", "돌아오지 않았습니다(= \(rendered))")
            return say("your program's \(name) \(outcome); this exercise wants it to succeed",
                       "\(subject) \(outcome). 이 연습은 이 호출이 성공하기를 원합니다")
        case .noReturn:
            return say("your program's \(name) returned \(rendered); this exercise wants a call that never returns",
                       "\(subject) \(koObject(rendered)) 반환했습니다. 이 연습은 돌아오지 않는 호출을 원합니다")
        case .failure(let errno):
            let errnoName = errno.map { Constants.errnoName($0) }
            let wanted = say(errnoName.map { "fail with \($0)" } ?? "fail", errnoName.map { "\($0) 오류로 실패하기를" } ?? "실패하기를")
            if let failed {
                return say("your program's \(name) \(failed); this exercise wants it to \(wanted)",
                           "\(subject) \(failed). 이 연습은 이 호출이 \(wanted) 원합니다")
            }
            if syscall.returnValue == nil {
                return say("your program's \(name) never returned; this exercise wants it to \(wanted)",
                           "\(subject) 돌아오지 않았습니다. 이 연습은 이 호출이 \(wanted) 원합니다")
            }
            return say("your program's \(name) succeeded (= \(rendered)); this exercise wants it to \(wanted)",
                       "\(subject) 성공했습니다(= \(rendered)). 이 연습은 이 호출이 \(wanted) 원합니다")
        case .value(let pattern):
            let wanted = wantedWords(pattern, text: call.resultText, context)
            if let failed {
                return say("your program's \(name) \(failed); this exercise wants it to succeed and return \(wanted)",
                           "\(subject) \(failed). 이 연습은 이 호출이 성공해서 \(koObject(wanted)) 반환하기를 원합니다")
            }
            if syscall.returnValue == nil {
                return say("your program's \(name) never returned; this exercise wants it to return \(wanted)",
                           "\(subject) 돌아오지 않았습니다. 이 연습은 \(koObject(wanted)) 반환하기를 원합니다")
            }
            var text = say("your program's \(name) returned \(rendered); this exercise wants \(wanted)",
                           "\(subject) \(koObject(rendered)) 반환했습니다. 이 연습은 \(koObject(wanted)) 원합니다")
            if name == "brk", let before = model.breakBefore(i, process: context.process), let value = syscall.returnValue {
                let from = hex(before)
                text += value > before ? say(" (the break rose from \(from))", " (break가 \(from)에서 올라갔습니다)")
                    : value == before ? say(" (the break stayed at \(from): brk did not move it)",
                                            " (break가 \(from)에 그대로 있습니다: brk가 break를 옮기지 않았습니다)")
                    : say(" (the break fell from \(from))", " (break가 \(from)에서 내려갔습니다)")
            }
            return text
        }
    }

    /// The argument as strace printed it, or its number.
    func observedArgument(event i: Int, index k: Int, kind: ArgumentKind?) -> String {
        if let printed = model.run.events[i].syscall?.decodedArgument(register: k) { return printed.text }
        let value = argumentValue(event: i, index: k, kind: kind)
        return kind == .pointer ? hex(value) : number(value)
    }

    /// The pattern in words, with the values of captures and state spelled out.
    func wantedWords(_ pattern: Pattern, text: String, _ context: EvalContext) -> String {
        switch pattern {
        case .any: return say("anything", "아무 값")
        case .capture(let slot, let name, let constraint):
            if let bound = bindings[slot] {
                return "`$\(name)` = \(valuesWords(bound.values))"
                    + (boundLine[slot].map { say(" (captured on line \($0))", " (\($0)번 줄에서 캡처)") } ?? "")
            }
            return constraint.map { wantedWords($0, text: text, context) } ?? say("anything", "아무 값")
        case .flags(let names, _, let contains):
            let joined = names.joined(separator: "|")
            if contains { return say("flags that include \(joined)", "\(koObject(joined)) 포함하는 플래그") }
            return joined
        case .string(let bytes): return quote(String(decoding: bytes, as: UTF8.self))
        case .regex(let source): return say("something matching /\(source)/", "/\(source)/에 맞는 값")
        case .compare(let op, let expr):
            let value = exprWords(expr, context)
            switch op {
            case .equal: return value
            case .notEqual: return say("anything but \(value)", "\(value) 외의 값")
            case .less: return say("less than \(value)", "\(value)보다 작은 값")
            case .lessOrEqual: return say("at most \(value)", "\(value) 이하")
            case .greater: return say("more than \(value)", "\(value)보다 큰 값")
            case .greaterOrEqual: return say("at least \(value)", "\(value) 이상")
            }
        case .range(let low, let high, let closed):
            let (l, h) = (exprWords(low, context), exprWords(high, context))
            return say("between \(l) and \(h)" + (closed ? " (both included)" : " (not included)"),
                       "\(l) 이상 \(h) \(closed ? "이하" : "미만")")
        case .heap:
            if let start = model.heapStart, let end = model.breakFinal {
                return say("an address inside the heap (\(hex(start)) up to \(hex(end)))",
                           "힙 안의 주소(\(hex(start))부터 \(hex(end)) 전까지)")
            }
            return say("an address inside the heap (unknown: the trace has no brk call)",
                       "힙 안의 주소(트레이스에 brk 호출이 없어서 힙의 범위를 알 수 없음)")
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
            case .many(let vs): return "\(source) = \(valuesWords(vs))"
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
                case .currentBreak:
                    notes.append(say("break is the program break just before this call", "break는 이 호출 바로 전의 프로그램 break"))
                case .heapStart:
                    notes.append(say("heap.start is where the heap begins", "heap.start는 힙이 시작하는 주소"))
                case .breakGrowth:
                    notes.append(say("break.growth is how far the break rose after main, in total",
                                     "break.growth는 main 이후 break가 올라간 양의 합계"))
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
            return "(\(valuesWords(eval(e, context).list)))"
        default:
            return ""
        }
    }
}
