// The words explanations share: counts, scopes, places and streams in English and Korean,
// and how values are written (hex addresses, quoted output, articles).

import Syscalls

extension ScriptMatcher {
    /// A capture's values: one number, or "one of …".
    func valuesWords(_ values: [Int64]) -> String {
        if values.isEmpty { return say("no value (its line matched nothing)", "값 없음(그 줄이 아무것도 찾지 못함)") }
        if values.count == 1 { return number(values[0]) }
        let shown = values.prefix(5).map(number).joined(separator: ", ")
        let more = values.count > 5
        return say("one of " + shown + (more ? ", … (\(values.count) values)" : ""),
                   shown + (more ? ", … (값 \(values.count)개)" : "") + " 중 하나")
    }

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

    /// "이와 같은 brk 호출이 2번 이상 있어야 합니다".
    func koCountWords(_ count: Count, _ event: EventPattern) -> String {
        let noun: String
        let unit: String
        switch event {
        case .call(let call): noun = "이와 같은 \(call.name) 호출"; unit = "번"
        case .signal: noun = "이와 같은 시그널"; unit = "번"
        case .spawn(let thread): noun = thread ? "새 스레드" : "새 프로세스"; unit = "개"
        }
        let amount: String
        switch count {
        case .once: amount = (unit == "번" ? "한 번" : "한 개") + " 있어야 합니다"
        case .exactly(let n): amount = "정확히 \(n)\(unit) 있어야 합니다"
        case .atLeast(let n): amount = "\(n)\(unit) 이상 있어야 합니다"
        case .atMost(let n): amount = "\(n)\(unit) 이하여야 합니다"
        case .between(let a, let b): amount = "\(a)~\(b)\(unit) 있어야 합니다"
        case .none: amount = "없어야 합니다"
        }
        return "\(koSubject(noun)) \(amount)"
    }

    /// "프로그램은 1번 호출했습니다" / "프로그램에서는 1번 있었습니다".
    func koMade(_ n: Int, _ event: EventPattern) -> String {
        switch event {
        case .call: return "프로그램은 \(n)번 호출했습니다"
        case .signal: return "프로그램은 \(n)번 받았습니다"
        case .spawn: return "프로그램은 \(n)개 만들었습니다"
        }
    }

    func eventNoun(_ event: EventPattern) -> String {
        switch event {
        case .call(let call): return "\(call.name) calls"
        case .signal: return "signals"
        case .spawn(let thread): return thread ? "threads" : "child processes"
        }
    }

    func koEventNoun(_ event: EventPattern) -> String {
        switch event {
        case .call(let call): return "\(call.name) 호출"
        case .signal: return "시그널"
        case .spawn(let thread): return thread ? "스레드" : "자식 프로세스"
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

    /// The Korean scope comes first in the sentence: "자식 프로세스에서 main 이후에 " (with its trailing space).
    func koScopeWords(_ scope: Scope) -> String {
        var words = ""
        switch scope.process {
        case .any: break
        case .root: words += "첫 프로세스(자식이 아닌)에서 "
        case .child: words += "자식 프로세스에서 "
        }
        switch scope.phase {
        case .program: words += "main 이후에 "
        case .startup: words += "시작 단계(main 이전)에 "
        case .always: break
        }
        return words
    }

    func placeWords(_ i: Int) -> String {
        if !model.isProgramPhase[i] { return "during start-up, before main" }
        return model.processes[i] == model.root ? "in the first process" : "in a child process"
    }

    func koPlaceWords(_ i: Int) -> String {
        if !model.isProgramPhase[i] { return "시작 단계(main 이전)에" }
        return model.processes[i] == model.root ? "첫 프로세스에" : "자식 프로세스에"
    }

    func streamWords(_ stream: OutputStream, _ scope: Scope = Scope()) -> String {
        let name = say(stream == .stdout ? "standard output" : "standard error", stream == .stdout ? "표준 출력" : "표준 오류")
        switch scope.process {
        case .any: return name
        case .root: return say("\(name) written by the first process itself", "첫 프로세스가 직접 쓴 \(name)")
        case .child: return say("\(name) written by the child process", "자식 프로세스가 쓴 \(name)")
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
