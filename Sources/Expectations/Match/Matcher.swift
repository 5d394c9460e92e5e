// The matcher: checks parsed expectation blocks against a traced run, line by line,
// and turns every failure into plain words for a learner (ExplainEvents.swift,
// ExplainOutput.swift, and the words they share in Phrases.swift).
//
// Cost: every event line scans only the events of its own kind (one syscall number,
// signals, or spawns) from the cursor, so a block costs O(lines × events) at worst and
// O(events) in the usual case; nothing backtracks.

import Syscalls

/// One expectation that did not hold.
public struct MatchFailure: Sendable, Codable, Hashable {
    /// The expectation line as written.
    public var expectation: String
    /// Its line in the lesson file.
    public var line: Int
    /// What went wrong, in plain words for a learner.
    public var explanation: String
    /// The nearest observed event, strace-rendered (`mmap(NULL, 4096, …) = 0x7f…`).
    public var nearest: String?
    /// From a hidden block: show learners only that a hidden check failed.
    public var hidden: Bool
    /// Which of the exercise's hints (1-based) fits this failure, when the line names one.
    public var hint: Int?
    /// The learner's source line that led to the nearest event, when the trace named it
    /// (`TraceRequest.extras.sourceLines`).
    public var nearestSource: EventSource?
    /// The nearest event's number (`TraceEvent.sequence`), when `nearest` is one event of the trace.
    public var nearestEvent: Int?

    public init(expectation: String, line: Int, explanation: String, nearest: String? = nil, hidden: Bool = false,
                hint: Int? = nil, nearestSource: EventSource? = nil, nearestEvent: Int? = nil) {
        self.expectation = expectation
        self.line = line
        self.explanation = explanation
        self.nearest = nearest
        self.hidden = hidden
        self.hint = hint
        self.nearestSource = nearestSource
        self.nearestEvent = nearestEvent
    }
}

public struct MatchResult: Sendable, Codable, Hashable {
    public var passed: Bool
    public var failures: [MatchFailure]

    public init(passed: Bool, failures: [MatchFailure]) {
        self.passed = passed
        self.failures = failures
    }
}

public enum Matcher {
    /// Matches every block against the run; blocks are independent (own cursor, own captures).
    /// Explanations are in `language` (English unless told otherwise).
    public static func match(_ scripts: [ExpectationScript], against run: ProgramRun,
                             language: FeedbackLanguage = .english) -> MatchResult {
        let model = TraceModel(run)
        var failures: [MatchFailure] = []
        for script in scripts {
            var matcher = ScriptMatcher(script: script, model: model, language: language)
            let found = matcher.run()
            if found.isEmpty || ScriptMatcher.alternativeMatches(script, model, firstFailure: matcher.firstFailure) {
                continue
            }
            failures.append(contentsOf: found)
        }
        return MatchResult(passed: failures.isEmpty, failures: failures)
    }

    /// The same, with the language as the tool's options carry it: `"en"`, `"ko"`, `"ko_KR.UTF-8"`.
    public static func match(_ scripts: [ExpectationScript], against run: ProgramRun, language code: String) -> MatchResult {
        match(scripts, against: run, language: FeedbackLanguage(code: code))
    }
}

/// A capture's value: one, or every value of a counted line (kept sorted too, so that
/// "is this one of them" stays logarithmic however many there are).
enum Bound: Hashable {
    case one(Int64)
    case many([Int64], sorted: [Int64])

    static func many(_ values: [Int64]) -> Bound { .many(values, sorted: values.sorted()) }

    var values: [Int64] {
        switch self {
        case .one(let v): return [v]
        case .many(let vs, _): return vs
        }
    }

    func contains(_ v: Int64) -> Bool {
        switch self {
        case .one(let w): return v == w
        case .many(_, let sorted):
            var low = 0
            var high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] < v { low = mid + 1 } else { high = mid }
            }
            return low < sorted.count && sorted[low] == v
        }
    }
}

/// The values of an expression; unknown when it needs state the trace does not have.
enum Values {
    case one(Int64)
    case many([Int64])
    case unknown(String)

    var list: [Int64] {
        switch self {
        case .one(let v): return [v]
        case .many(let vs): return vs
        case .unknown: return []
        }
    }
}

/// Where an expression is evaluated: at an event (for `break`), or after the run.
struct EvalContext {
    var event: Int?
    var process: Int32
}

struct ScriptMatcher {
    let script: ExpectationScript
    let model: TraceModel
    var bindings: [Bound?]
    /// The line that bound each capture, for explanations.
    var boundLine: [Int?]
    var poisoned: [Bool]
    var newlyBound: [Int] = []
    var cursor = 0
    /// The last event line that moved the cursor, and the event it matched.
    var lastAnchor: (line: Int, event: Int)?
    var regexCache: [String: Regex<AnyRegexOutput>] = [:]
    /// How the kernel reads each argument of the call being matched (looked up once per line).
    var currentKinds: [ArgumentKind?] = []
    var currentLine = 0
    /// The language of explanations.
    let language: FeedbackLanguage

    init(script: ExpectationScript, model: TraceModel, language: FeedbackLanguage = .english) {
        self.script = script
        self.model = model
        self.language = language
        bindings = Array(repeating: nil, count: script.captureNames.count)
        boundLine = Array(repeating: nil, count: script.captureNames.count)
        poisoned = Array(repeating: false, count: script.captureNames.count)
        skips = Array(repeating: 0, count: script.expectations.count)
    }

    /// Matches of each line (by index) to pass over before taking one: only for lines
    /// without a count, when looking for another way to bind their captures.
    var skips: [Int] = []
    /// The index of the first line that failed.
    var firstFailure: Int?

    mutating func run() -> [MatchFailure] {
        var failures: [MatchFailure] = []
        for (index, expectation) in script.expectations.enumerated() {
            currentLine = index
            let slots = captureSlots(in: expectation.statement)
            if slots.contains(where: { poisoned[$0] }) {
                // It depends on a value an earlier failed line would have bound: it cannot be judged.
                for slot in slots where bindings[slot] == nil { poisoned[slot] = true }
                continue
            }
            if let failure = check(expectation) {
                for slot in slots where bindings[slot] == nil { poisoned[slot] = true }
                failures.append(failure)
                if firstFailure == nil { firstFailure = index }
            }
        }
        return failures
    }

    /// The first match binds a line's captures. When a later line fails because of them
    /// (`mmap(…) = $a` took a mapping that was never unmapped, while a later one was), try the
    /// next matches of the lines that bound them, a bounded number of times. True when one
    /// of those choices makes the whole block pass; the first run's failures are reported otherwise.
    static func alternativeMatches(_ script: ExpectationScript, _ model: TraceModel, firstFailure: Int?) -> Bool {
        guard let failed = firstFailure else { return false }
        let lines = script.expectations
        // Slots each line introduces (first mention).
        var seen = Set<Int>()
        var introduced: [Set<Int>] = []
        for line in lines {
            let slots = Set(captureSlots(in: line.statement))
            introduced.append(slots.subtracting(seen))
            seen.formUnion(slots)
        }
        let used = Set(captureSlots(in: lines[failed].statement))
        let binders = (0..<failed).reversed().filter { k in
            guard case .event(_, .once) = lines[k].statement else { return false }
            return !introduced[k].isDisjoint(with: used)
        }
        guard !binders.isEmpty else { return false }
        // Each attempt is a full pass over the block: keep the total work near-linear.
        var budget = min(64, max(2, 4_000_000 / max(1, model.count)))
        for binder in binders {
            var skip = 1
            while budget > 0 {
                budget -= 1
                var matcher = ScriptMatcher(script: script, model: model)
                matcher.skips[binder] = skip
                let failures = matcher.run()
                if failures.isEmpty { return true }
                // No further match for the binder itself: its alternatives are exhausted.
                if matcher.firstFailure == binder { break }
                skip += 1
            }
        }
        return false
    }

    mutating func check(_ x: Expectation) -> MatchFailure? {
        switch x.statement {
        case .event(let event, let count): return checkEvent(x, event, count)
        case .output(let output, let negated): return checkOutput(x, output, negated: negated)
        case .outcome(let outcome): return checkOutcome(x, outcome)
        case .condition(let expr, let pattern): return checkCondition(x, expr, pattern)
        }
    }

    /// `at`: the index of the nearest event, whose source line (if known) the failure carries.
    func failure(_ x: Expectation, _ explanation: String, nearest: String? = nil, at index: Int? = nil) -> MatchFailure {
        MatchFailure(expectation: x.text, line: x.position.line, explanation: explanation, nearest: nearest,
                     hidden: script.hidden, hint: x.hint, nearestSource: index.flatMap { model.source($0) },
                     nearestEvent: index.map { model.run.events[$0].sequence })
    }

    // MARK: Events

    mutating func checkEvent(_ x: Expectation, _ event: EventPattern, _ count: Count) -> MatchFailure? {
        let candidates = model.candidates(for: event)
        if case .call(let call) = event { currentKinds = kinds(of: call) }
        let start = firstIndex(in: candidates, atOrAfter: cursor)
        let need = count.lowerBound
        let upper = count.upperBound
        var taken: [Int] = []
        var after = 0
        var firstExtra: Int?
        var collected: [Int: [Int64]] = [:]
        var skipped = 0
        var k = start
        while k < candidates.count {
            let i = candidates[k]
            k += 1
            guard model.inScope(i, x.scope), matchEvent(event, at: i) else { continue }
            if case .once = count {
                if skipped < skips[currentLine] {
                    skipped += 1
                    rollback()
                    continue
                }
                for slot in newlyBound { boundLine[slot] = x.position.line }
                newlyBound.removeAll(keepingCapacity: true)
                cursor = i + 1
                lastAnchor = (x.position.line, i)
                return nil
            }
            after += 1
            if taken.count < need { taken.append(i) } else if firstExtra == nil { firstExtra = i }
            for slot in newlyBound { collected[slot, default: []].append(bindings[slot]!.values[0]) }
            rollback()
            if upper == nil, taken.count >= need, collected.isEmpty { break }
        }
        var before = 0
        var firstBefore: Int?
        if upper != nil {
            for k in 0..<start {
                let i = candidates[k]
                guard model.inScope(i, x.scope), matchEvent(event, at: i) else { continue }
                rollback()
                before += 1
                if firstBefore == nil { firstBefore = i }
            }
        }
        if taken.count < need {
            return explainMissing(x, event, count, found: taken, candidates: candidates, start: start)
        }
        if let upper, before + after > upper {
            let offending = firstBefore ?? firstExtra ?? taken.first
            return explainTooMany(x, event, count, total: before + after, before: before, offending: offending)
        }
        if need > 0, let last = taken.last {
            cursor = last + 1
            lastAnchor = (x.position.line, last)
        }
        for (slot, values) in collected {
            bindings[slot] = values.count == 1 ? .one(values[0]) : .many(values)
            boundLine[slot] = x.position.line
        }
        // A counted line that matched nothing still binds its captures, to no value at all.
        for slot in captureSlots(in: x.statement) where bindings[slot] == nil {
            bindings[slot] = .many([])
            boundLine[slot] = x.position.line
        }
        return nil
    }

    mutating func rollback() {
        for slot in newlyBound { bindings[slot] = nil }
        newlyBound.removeAll(keepingCapacity: true)
    }

    func firstIndex(in candidates: [Int], atOrAfter position: Int) -> Int {
        var low = 0
        var high = candidates.count
        while low < high {
            let mid = (low + high) / 2
            if candidates[mid] < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func kinds(of call: CallPattern) -> [ArgumentKind?] {
        let info = ArgumentTable.arguments(of: call.name)
        return (0..<call.arguments.count).map { k in info.flatMap { k < $0.count ? $0[k].kind : nil } }
    }

    /// Whether event `i` matches; on success the captures it bound are in `newlyBound`.
    /// For calls, `currentKinds` must describe `event`'s arguments.
    mutating func matchEvent(_ event: EventPattern, at i: Int) -> Bool {
        newlyBound.removeAll(keepingCapacity: true)
        switch event {
        case .call(let call):
            let context = EvalContext(event: i, process: model.processes[i])
            for k in 0..<call.arguments.count {
                if !matchArgument(call.arguments[k].pattern, event: i, index: k, kind: currentKinds[k], context) {
                    rollback()
                    return false
                }
            }
            if !matchReturn(call.result, event: i, context) {
                rollback()
                return false
            }
            return true
        case .signal(let pattern):
            guard case .signal(let signal) = model.run.events[i].kind else { return false }
            if let wanted = pattern.signal, wanted != signal.signal { return false }
            if let code = pattern.code, code != signal.code { return false }
            if let address = pattern.address {
                guard let fault = signal.faultAddress,
                      match(address, Int64(bitPattern: fault), EvalContext(event: i, process: model.processes[i])) else {
                    rollback()
                    return false
                }
            }
            return true
        case .spawn:
            return true
        }
    }

    /// The argument's value as the kernel reads it.
    @inline(__always) func argumentValue(event i: Int, index k: Int, kind: ArgumentKind?) -> Int64 {
        let raw = model.argument(i, k)
        if kind == .int { return Int64(Int32(truncatingIfNeeded: raw)) }
        return Int64(bitPattern: raw)
    }

    mutating func matchArgument(_ pattern: Pattern, event i: Int, index k: Int, kind: ArgumentKind?,
                                _ context: EvalContext) -> Bool {
        switch pattern {
        case .any:
            return true
        case .string(let bytes):
            guard let data = data(of: i) else { return false }
            return data == bytes
        case .regex(let source):
            guard let data = data(of: i), let regex = regex(source) else { return false }
            return (try? regex.firstMatch(in: String(decoding: data, as: UTF8.self))) != nil
        default:
            return match(pattern, argumentValue(event: i, index: k, kind: kind), context)
        }
    }

    /// The bytes the tracer captured for a call (a trailing NUL of a path removed).
    func data(of i: Int) -> [UInt8]? {
        guard var data = model.run.events[i].syscall?.data else { return nil }
        if data.last == 0 { data.removeLast() }
        return data
    }

    mutating func regex(_ source: String) -> Regex<AnyRegexOutput>? {
        if let cached = regexCache[source] { return cached }
        guard let regex = try? Regex(source).anchorsMatchLineEndings() else { return nil }
        regexCache[source] = regex
        return regex
    }

    mutating func matchReturn(_ pattern: ReturnPattern, event i: Int, _ context: EvalContext) -> Bool {
        let returned = model.returned[i]
        let value = model.returns[i]
        let failed = returned && ErrnoTable.isFailure(value)
        switch pattern {
        case .any: return true
        case .success: return returned && !failed
        case .noReturn: return !returned
        case .failure(let errno):
            guard failed else { return false }
            return errno.map { Int64(-$0) == value } ?? true
        case .value(let p):
            guard returned, !failed else { return false }
            return match(p, value, context)
        }
    }

    /// Matches one value, binding unbound captures (recorded in `newlyBound`).
    mutating func match(_ pattern: Pattern, _ value: Int64, _ context: EvalContext) -> Bool {
        switch pattern {
        case .any:
            return true
        case .capture(let slot, _, let constraint):
            if let bound = bindings[slot] {
                guard bound.contains(value) else { return false }
                return constraint.map { match($0, value, context) } ?? true
            }
            if let constraint, !match(constraint, value, context) { return false }
            bindings[slot] = .one(value)
            newlyBound.append(slot)
            return true
        case .flags(_, let flags, let contains):
            return contains ? value & flags == flags : value == flags
        case .string, .regex:
            return false
        case .compare(let op, let expr):
            switch eval(expr, context) {
            case .one(let v): return compare(value, op, v)
            case .many(let vs):
                if op == .notEqual { return !vs.contains(value) }
                return vs.contains { compare(value, op, $0) }
            case .unknown: return false
            }
        case .range(let lowExpr, let highExpr, let closed):
            let low = eval(lowExpr, context)
            let high = eval(highExpr, context)
            if case .one(let l) = low, case .one(let h) = high {
                return value >= l && (closed ? value <= h : value < h)
            }
            return rangeContains(low, high, closed: closed, value)
        case .heap:
            guard let start = model.heapStart, let end = model.breakFinal else { return false }
            return value >= start && value < end
        case .value(.int(let v)), .value(.constant(_, let v)):
            return value == v
        case .value(.capture(let slot, _)):
            return bindings[slot]?.contains(value) ?? false
        case .value(let expr):
            switch eval(expr, context) {
            case .one(let v): return value == v
            case .many(let vs): return vs.contains(value)
            case .unknown: return false
            }
        }
    }

    func compare(_ a: Int64, _ op: Comparison, _ b: Int64) -> Bool {
        switch op {
        case .equal: return a == b
        case .notEqual: return a != b
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        }
    }

    func rangeContains(_ low: Values, _ high: Values, closed: Bool, _ value: Int64) -> Bool {
        let lows = low.list
        let highs = high.list
        func inside(_ l: Int64, _ h: Int64) -> Bool { value >= l && (closed ? value <= h : value < h) }
        if lows.count == highs.count {
            // `$a ..< $a + 4096` over many `$a`: pairs, not every combination.
            for k in 0..<lows.count where inside(lows[k], highs[k]) { return true }
            return false
        }
        for l in lows { for h in highs where inside(l, h) { return true } }
        return false
    }

    // MARK: Expressions

    func eval(_ expr: Expr, _ context: EvalContext) -> Values {
        switch expr {
        case .int(let v): return .one(v)
        case .constant(_, let v): return .one(v)
        case .capture(let slot, let name):
            switch bindings[slot] {
            case .one(let v): return .one(v)
            case .many(let vs, _): return .many(vs)
            case nil: return .unknown(say("`$\(name)` has no value yet", "`$\(name)`에 아직 값이 없습니다"))
            }
        case .state(let state):
            if let v = stateValue(state, context) { return .one(v) }
            return .unknown(unknownStateReason(state))
        case .add(let a, let b): return combine(eval(a, context), eval(b, context), &+)
        case .subtract(let a, let b): return combine(eval(a, context), eval(b, context), &-)
        case .multiply(let a, let b): return combine(eval(a, context), eval(b, context), &*)
        case .negate(let a): return combine(.one(0), eval(a, context), &-)
        }
    }

    func combine(_ a: Values, _ b: Values, _ op: (Int64, Int64) -> Int64) -> Values {
        switch (a, b) {
        case (.unknown(let r), _), (_, .unknown(let r)): return .unknown(r)
        case (.one(let x), .one(let y)): return .one(op(x, y))
        case (.many(let xs), .one(let y)): return .many(xs.map { op($0, y) })
        case (.one(let x), .many(let ys)): return .many(ys.map { op(x, $0) })
        case (.many(let xs), .many(let ys)):
            if xs.count == ys.count { return .many(zip(xs, ys).map(op)) }
            return .many(xs.prefix(100).flatMap { x in ys.prefix(100).map { op(x, $0) } })
        }
    }

    func stateValue(_ state: StateValue, _ context: EvalContext) -> Int64? {
        switch state {
        case .heapStart: return model.heapStart
        case .currentBreak:
            if let event = context.event { return model.breakBefore(event, process: context.process) }
            return model.breakFinal
        case .breakMain: return model.breakMain
        case .breakFinal: return model.breakFinal
        case .breakPeak: return model.breakPeak
        case .breakGrowth: return model.breakGrowth
        case .page: return 4096
        }
    }

    func unknownStateReason(_ state: StateValue) -> String {
        switch state {
        case .breakMain:
            return say("the trace shows no program break when main started (no brk call before or right after main)",
                       "main이 시작될 때의 프로그램 break가 트레이스에 없습니다(main 전이나 직후에 brk 호출이 없음)")
        default:
            return say("the trace has no brk call, so `\(state.rawValue)` is unknown",
                       "트레이스에 brk 호출이 없어서 `\(state.rawValue)` 값을 알 수 없습니다")
        }
    }
}

extension Values {
    var isUnknown: Bool {
        if case .unknown = self { return true }
        return false
    }
}

/// `0x7f…` as hex, anything else as decimal.
func parseNumber(_ text: String) -> Int64? {
    let t = text.trimmingCharacters(in: " ")
    if t.hasPrefix("0x") || t.hasPrefix("0X") {
        return UInt64(t.dropFirst(2), radix: 16).map { Int64(bitPattern: $0) }
    }
    return Int64(t)
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}

/// Every capture slot a statement mentions.
func captureSlots(in statement: Statement) -> [Int] {
    var slots: [Int] = []
    func pattern(_ p: Pattern?) {
        guard let p else { return }
        switch p {
        case .capture(let slot, _, let constraint): slots.append(slot); pattern(constraint)
        case .compare(_, let e), .value(let e): expr(e)
        case .range(let a, let b, _): expr(a); expr(b)
        default: break
        }
    }
    func expr(_ e: Expr) {
        switch e {
        case .capture(let slot, _): slots.append(slot)
        case .add(let a, let b), .subtract(let a, let b), .multiply(let a, let b): expr(a); expr(b)
        case .negate(let a): expr(a)
        default: break
        }
    }
    switch statement {
    case .event(.call(let call), _):
        call.arguments.forEach { pattern($0.pattern) }
        if case .value(let p) = call.result { pattern(p) }
    case .event(.signal(let signal), _): pattern(signal.address)
    case .event(.spawn, _): break
    case .output(let check, _):
        if case .matches(_, _, let each) = check.kind {
            for capture in each { slots.append(capture.slot); pattern(capture.constraint) }
        }
    case .outcome(.exited(let p, _)): pattern(p)
    case .outcome(.killed(_, _, let address, _)): pattern(address)
    case .condition(let e, let p): expr(e); pattern(p)
    }
    return slots
}
