// Explanations of the output lines (`stdout is …`, `stdout contains …`, `stdout matches …`),
// of `each` captures and of conditions, in English and Korean (`say`, Language.swift).

import Syscalls

extension ScriptMatcher {
    mutating func explainOutputEquals(_ x: Expectation, _ stream: OutputStream, _ bytes: [UInt8], _ wanted: [UInt8],
                                      negated: Bool, truncated: Bool) -> MatchFailure {
        let whose = streamWords(stream, x.scope)
        if negated {
            return failure(x, say("\(whose) was exactly \(quote(bytes)), which this exercise rules out",
                                  "\(koSubject(whose)) 정확히 \(koWas(quote(bytes))). 이 연습에서는 그러면 안 됩니다"))
        }
        if bytes.isEmpty {
            return failure(x, say("\(whose) was empty; this exercise wants \(quote(wanted))",
                                  "\(koSubject(whose)) 비어 있습니다. 이 연습은 \(koObject(quote(wanted))) 원합니다"))
        }
        let got = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let want = String(decoding: wanted, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var text = say("\(whose) differs from what this exercise wants", "\(koSubject(whose)) 이 연습이 원하는 것과 다릅니다")
        for n in 0..<max(got.count, want.count) {
            let g = n < got.count ? String(got[n]) : nil
            let w = n < want.count ? String(want[n]) : nil
            if g == w { continue }
            switch (g, w) {
            case (let g?, let w?):
                text += say(" at line \(n + 1): your program printed \(quote(g)), this exercise wants \(quote(w))",
                            ". \(n + 1)번째 줄: 프로그램은 \(koObject(quote(g))) 출력했고, 이 연습은 \(koObject(quote(w))) 원합니다")
            case (nil, let w?):
                let missing = w.isEmpty ? say("an empty line", "빈 줄") : quote(w)
                text += say(": it stops before line \(n + 1) (" + missing + " is missing)",
                            ": \(n + 1)번째 줄 앞에서 끝납니다(\(koSubject(missing)) 없습니다)")
            case (let g?, nil):
                let extra = g.isEmpty ? say("an empty line", "빈 줄") : quote(g)
                text += say(": line \(n + 1), " + extra + ", is extra",
                            ": \(n + 1)번째 줄 \(koTopic(extra)) 남는 줄입니다")
            default: break
            }
            break
        }
        if bytes.last != 10, wanted.last == 10, bytes + [10] == wanted {
            text = say("\(whose) lacks the final newline", "\(whose) 끝에 줄바꿈(\\n)이 없습니다")
        }
        if truncated { text += say(" (the output was cut at its size limit)", " (출력이 크기 제한에서 잘렸습니다)") }
        return failure(x, text, nearest: "\(stream.rawValue): \(quote(bytes))")
    }

    func explainOutputContains(_ x: Expectation, _ stream: OutputStream, _ bytes: [UInt8], _ wanted: [UInt8],
                               negated: Bool) -> MatchFailure {
        let whose = streamWords(stream, x.scope)
        if negated {
            return failure(x, say("\(whose) contains \(quote(wanted)), which this exercise rules out",
                                  "\(whose)에 \(koSubject(quote(wanted))) 들어 있습니다. 이 연습에서는 그러면 안 됩니다"),
                           nearest: "\(stream.rawValue): \(quote(bytes))")
        }
        if bytes.isEmpty {
            return failure(x, say("\(whose) was empty; this exercise wants it to contain \(quote(wanted))",
                                  "\(koSubject(whose)) 비어 있습니다. 이 연습은 \(koSubject(quote(wanted))) 들어 있기를 원합니다"))
        }
        return failure(x, say("\(whose) does not contain \(quote(wanted))", "\(whose)에 \(koSubject(quote(wanted))) 없습니다"),
                       nearest: "\(stream.rawValue): \(quote(bytes))")
    }

    func explainOutputRegex(_ x: Expectation, _ stream: OutputStream, _ text: String, _ source: String, _ count: Count,
                            found: Int, negated: Bool) -> MatchFailure {
        let whose = streamWords(stream, x.scope)
        let nearest = "\(stream.rawValue): \(quote(text))"
        if negated {
            return failure(x, say("\(whose) has \(found) match\(found == 1 ? "" : "es") of /\(source)/, which this exercise rules out",
                                  "\(whose)에서 /\(source)/에 맞는 부분이 \(found)개 있습니다. 이 연습에서는 하나도 없어야 합니다"),
                           nearest: nearest)
        }
        if found == 0 {
            return failure(x, say("nothing in \(whose) matches /\(source)/" + (text.isEmpty ? " (it was empty)" : ""),
                                  "\(whose)에서 /\(source)/에 맞는 부분이 없습니다" + (text.isEmpty ? " (비어 있었습니다)" : "")),
                           nearest: nearest)
        }
        let wanted: String
        switch count {
        case .exactly(let n): wanted = say("exactly \(n)", "정확히 \(n)개")
        case .atLeast(let n): wanted = say("at least \(n)", "\(n)개 이상")
        case .atMost(let n): wanted = say("at most \(n)", "\(n)개 이하")
        case .between(let a, let b): wanted = say("between \(a) and \(b)", "\(a)~\(b)개")
        case .once: wanted = say("one", "한 개")
        case .none: wanted = say("no", "0개")
        }
        return failure(x, say("\(whose) has \(found) match\(found == 1 ? "" : "es") of /\(source)/; this exercise wants \(wanted)",
                              "\(whose)에서 /\(source)/에 맞는 부분이 \(found)개입니다. 이 연습은 \(koObject(wanted)) 원합니다"),
                       nearest: nearest)
    }

    func explainEach(_ x: Expectation, _ capture: EachCapture, value: Int64, line: String, constraint: Pattern) -> MatchFailure {
        let context = EvalContext(event: nil, process: model.root)
        let wanted = wantedWords(constraint, text: capture.constraintText ?? "", context)
        return failure(x, say("your program printed \(quote(line)): \(hex(value)) is not \(wanted)",
                              "프로그램이 \(koObject(quote(line))) 출력했습니다: \(koTopic(hex(value))) \(koSubject(wanted)) 아닙니다"),
                       nearest: quote(line))
    }

    func explainCondition(_ x: Expectation, _ expr: Expr, _ pattern: Pattern, value: Int64, _ context: EvalContext) -> MatchFailure {
        let source = exprSource(expr)
        let wanted = wantedWords(pattern, text: "", context)
        var text = say("\(source) is \(number(value))\(stateNote(expr)); this exercise wants \(wanted)",
                       "\(koTopic(source)) \(number(value))\(stateNote(expr))입니다. 이 연습은 \(koObject(wanted)) 원합니다")
        if case .state(.breakGrowth) = expr {
            text = say("after main the program break rose by \(value) bytes in total; this exercise wants \(wanted)",
                       "main 이후 프로그램 break가 모두 \(value)바이트 올라갔습니다. 이 연습은 \(koObject(wanted)) 원합니다")
        }
        return failure(x, text)
    }
}
