// Explanations in Korean: every kind of failure the matcher explains, in both languages.
// English stays the default; the Korean text keeps syscall names, flags, numbers and the
// learner's own output as they are, and has no other English word left in it.

import Testing
@testable import Expectations
import Syscalls

private func match(_ text: String, _ run: ProgramRun, _ language: FeedbackLanguage) -> MatchResult {
    do {
        let script = try ExpectationScript.parse(text, file: "l.md", line: 1)
        return Matcher.match([script], against: run, language: language)
    } catch {
        Issue.record("the test's block does not parse: \(error)")
        return MatchResult(passed: true, failures: [])
    }
}

/// One failure kind: a block and a run that make the matcher explain it.
struct FailureKind: CustomStringConvertible, Sendable {
    var name: String
    var block: String
    var run: ProgramRun
    var description: String { name }
}

/// Every explanation the matcher can give, each made to happen once.
let failureKinds: [FailureKind] = {
    var kinds: [FailureKind] = []
    func add(_ name: String, _ block: String, _ build: (inout TraceBuilder) -> Void) {
        var t = withHeap()
        build(&t)
        kinds.append(FailureKind(name: name, block: block, run: t.run))
    }
    // Events: counts, order, scope, absence.
    add("too few", "brk(_) = > break × >= 2") { $0.brk(0, Int64(heap0)); $0.brk(heap0 + 0x21000, Int64(heap0 + 0x21000)) }
    add("too few, with the closest other", "mmap(NULL, 8192, …) × 2") { $0.mmap(length: 8192, result: a1); $0.mmap(length: 4096, result: a2) }
    add("too many", "mmap(NULL, 8192, …) × 1") { $0.mmap(length: 8192, result: a1); $0.mmap(length: 8192, result: a2) }
    add("too many after an anchor", "munmap(…)\nmmap(NULL, 8192, …) × <= 1") {
        $0.mmap(length: 8192, result: a1); $0.munmap(a1, 8192); $0.mmap(length: 8192, result: a2); $0.mmap(length: 8192, result: a2 + 8192)
    }
    add("only before the anchor", "munmap(_, 8192) = 0\nmmap(NULL, 8192, …)") { $0.mmap(length: 8192, result: a1); $0.munmap(a1, 8192) }
    add("only during start-up", "mmap(NULL, 8192, …)") { _ in }
    add("only in the first process", "[child] mmap(NULL, 8192, …)") { $0.spawn(101); $0.mmap(length: 8192, result: a1) }
    add("never called", "munmap(…)") { _ in }
    add("no signal", "signal SIGSEGV") { _ in }
    add("no child process", "spawn") { _ in }
    add("no thread", "[root] spawn thread") { _ in }
    add("never: a call", "never munmap(…)") { $0.mmap(length: 8192, result: a1); $0.munmap(a1, 8192) }
    add("never: calls", "never munmap(…)") { $0.munmap(a1, 8192); $0.munmap(a2, 8192) }
    add("never: a signal", "never signal SIGSEGV") { $0.signal(11, code: 1, address: 8) }
    add("never: a child", "never spawn") { $0.spawn(101) }
    add("never: a thread", "[child] never spawn thread") { $0.spawn(101); $0.spawn(102, thread: true, from: 101) }
    // Arguments.
    add("length, pages", "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a") { $0.mmap(length: 4096, result: a1) }
    add("length, a range", "mmap(NULL, 400000..<404096, …)") { $0.mmap(length: 4096, result: a1) }
    add("length, at least", "mmap(NULL, >= 8192, …)") { $0.mmap(length: 4096, result: a1) }
    add("protection", "mmap(NULL, 4096, PROT_READ, …)") { $0.mmap(length: 4096, result: a1) }
    add("map flags", "mmap(NULL, 4096, _, MAP_SHARED|MAP_ANONYMOUS, …)") { $0.mmap(length: 4096, result: a1) }
    add("map flags, contains", "mmap(NULL, 4096, _, MAP_SHARED|…, …)") { $0.mmap(length: 4096, result: a1) }
    add("file descriptor", "mmap(NULL, 4096, _, _, 3, 0)") { $0.mmap(length: 4096, result: a1) }
    add("address, captured", "mmap(NULL, 8192, …) = $a\nmunmap($a, 8192) = 0") { $0.mmap(length: 8192, result: a1); $0.munmap(a2, 8192) }
    add("address, many values", "mmap(NULL, 8192, …) = $a × 2\nmunmap($a, 8192) = 0") {
        $0.mmap(length: 8192, result: a1); $0.mmap(length: 8192, result: a1 + 8192); $0.munmap(a2, 8192)
    }
    add("offset", "mmap(NULL, 4096, _, _, _, 4096)") { $0.mmap(length: 4096, result: a1) }
    add("another argument", "getrandom(_, 16, _)") { $0.call("getrandom", [0x5000, 8, 1], 8) }
    add("path", "openat(AT_FDCWD, \"input.txt\", O_RDONLY)") {
        $0.call("openat", [UInt64(bitPattern: -100), 0x5000, 0], 3, data: "other.txt")
    }
    add("written bytes", "write(1, \"hello\\n\", _)") { $0.write(1, "bye\n") }
    add("written bytes, regex", "write(1, /^got/, _)") { $0.write(1, "bye\n") }
    add("read bytes", "read(0, \"abc\", _)") { $0.call("read", [0, 0x5000, 3], 3, data: "xyz") }
    add("bytes not captured", "write(1, \"hello\", _)") { $0.call("write", [1, 0x5000, 5], 5) }
    add("captures disagree", "munmap($x, $x)") { $0.munmap(a1, 8192) }
    // Returns.
    add("return: wanted success", "mmap(NULL, 4096, …) = ok") { $0.mmap(length: 4096, result: -12) }
    add("return: wanted no return", "mmap(NULL, 4096, …) = ?") { $0.mmap(length: 4096, result: a1) }
    add("return: wanted ENOMEM, got success", "mmap(NULL, 4096, …) = -1 ENOMEM") { $0.mmap(length: 4096, result: a1) }
    add("return: wanted ENOMEM, got EINVAL", "mmap(NULL, 4096, …) = -1 ENOMEM") { $0.mmap(length: 4096, result: -22) }
    add("return: wanted a failure, never returned", "mmap(NULL, 4096, …) = -1") { $0.call("mmap", [0, 4096, 3, 0x22, UInt64.max, 0], nil) }
    add("return: wanted a value, failed", "mmap(NULL, 4096, …) = $p") { $0.mmap(length: 4096, result: -12) }
    add("return: wanted a value, never returned", "munmap(_, 4096) = 0") { $0.call("munmap", [UInt64(a1), 4096], nil) }
    add("return: another value", "munmap(_, 4096) = 0") { $0.call("munmap", [UInt64(a1), 4096], -22) }
    add("return: brk did not move", "brk(_) = > break") { $0.brk(0, Int64(heap0)) }
    add("return: brk fell", "brk(_) = > break") { $0.brk(heap0 - 4096, Int64(heap0 - 4096)) }
    add("return: brk rose too little", "brk(_) = >= break + 200000") { $0.brk(heap0 + 4096, Int64(heap0 + 4096)) }
    // Signals as events.
    add("signal: another one", "signal SIGSEGV") { $0.signal(7, code: 2, address: 8) }
    add("signal: another code", "signal SIGSEGV SEGV_MAPERR") { $0.signal(11, code: 2, address: UInt64(a1)) }
    add("signal: fault address", "mmap(…) = $a\nsignal SIGSEGV at $a ..< $a + page") {
        $0.mmap(length: 4096, result: a1); $0.signal(11, code: 2, address: UInt64(a2))
    }
    // Output.
    add("stdout: exact, differs", "stdout == \"parent 2\\n\"") { $0.stdout = "parent 1\n" }
    add("stdout: exact, empty", "stdout == \"hi\\n\"") { _ in }
    add("stdout: exact, rules out", "never stdout == \"hi\\n\"") { $0.stdout = "hi\n" }
    add("stdout: a line missing", "stdout == \"a\\nb\\n\"") { $0.stdout = "a\n" }
    add("stdout: a line extra", "stdout == \"a\\n\"") { $0.stdout = "a\nb\n" }
    add("stdout: no final newline", "stdout == \"a\\n\"") { $0.stdout = "a" }
    add("stdout: by the first process", "[root] stdout == \"parent 2\\n\"") { $0.write(1, "parent 1\n") }
    add("stderr: by the child", "[child] stderr == \"x\\n\"") { $0.spawn(101); $0.write(2, "y\n", pid: 101) }
    add("stdout: contains, missing", "stdout contains \"hello\"") { $0.stdout = "bye\n" }
    add("stdout: contains, empty", "stdout contains \"hello\"") { _ in }
    add("stdout: contains, rules out", "never stdout contains \"hello\"") { $0.stdout = "hello\n" }
    add("stdout: regex, none", "stdout matches /^got/") { $0.stdout = "bye\n" }
    add("stdout: regex, empty", "stdout matches /^got/") { _ in }
    add("stdout: regex, count", "stdout matches /^got/ × 3") { $0.stdout = "got\ngot\n" }
    add("stdout: regex, at least", "stdout matches /^got/ × >= 3") { $0.stdout = "got\n" }
    add("stdout: regex, rules out", "never stdout matches /^got/") { $0.stdout = "got\n" }
    add("stdout: each, heap", "stdout matches /^got (0x[0-9a-f]+)$/ each $x: heap") {
        $0.brk(heap0 + 0x21000, Int64(heap0 + 0x21000)); $0.stdout = "got 0x7ffff7d9f010\n"
    }
    add("stdout: each, not a number", "stdout matches /^got (\\w+)$/ each $x") { $0.stdout = "got zz\n" }
    add("stdout: each, no value", "stdout matches /^got (\\d+)?/ each $x") { $0.stdout = "got\n" }
    // Outcome.
    add("exit: no child", "[child] exited with 0") { _ in }
    add("exit: another status", "exited with 0") { $0.exit = .exited(status: 3) }
    add("exit: killed", "exited with 0") {
        $0.mmap(length: 4096, prot: 1, result: a1); $0.signal(11, code: 2, address: UInt64(a1) + 10); $0.exit = .killed(signal: 11, coreDumped: false)
    }
    add("exit: never finished", "exited with 0") { $0.exit = nil }
    add("exit: the child never finished", "[child] exited with 0") { $0.spawn(101) }
    add("killed: exited instead", "killed by SIGSEGV") { $0.exit = .exited(status: 1) }
    add("killed: by another signal", "killed by SIGSEGV") { $0.signal(7, code: 2, address: 8); $0.exit = .killed(signal: 7, coreDumped: false) }
    add("killed: another code", "killed by SIGSEGV SEGV_MAPERR") {
        $0.signal(11, code: 2, address: UInt64(a1) + 10); $0.exit = .killed(signal: 11, coreDumped: false)
    }
    add("killed: no delivery seen", "killed by SIGSEGV SEGV_MAPERR") { $0.exit = .killed(signal: 11, coreDumped: false) }
    add("killed: no fault address", "killed by SIGSEGV at 0x1000 ..< 0x2000") {
        $0.signal(11, code: 0); $0.exit = .killed(signal: 11, coreDumped: false)  // SIGSEGV sent by kill: no fault address
    }
    add("killed: fault address elsewhere", "mmap(…) = $a\nkilled by SIGSEGV at $a + 4096 ..< $a + 8192") {
        $0.mmap(length: 4096, prot: 1, result: a1); $0.signal(11, code: 2, address: UInt64(a1) + 10); $0.exit = .killed(signal: 11, coreDumped: false)
    }
    // Conditions.
    add("condition: break.growth", "break.growth >= 400000") { $0.brk(heap0 + 344064, Int64(heap0 + 344064)) }
    add("condition: another state", "break.final - heap.start > 1000000") { $0.brk(heap0 + 4096, Int64(heap0 + 4096)) }
    add("condition: captures", "mmap(NULL, 4096, …) = $a\n$a in heap") { $0.mmap(length: 4096, result: a1) }
    add("condition: many values", "mmap(NULL, 4096, …) = $a × 2\n$a != 0x7ffff7fb0000") {
        $0.mmap(length: 4096, result: a2); $0.mmap(length: 4096, result: a1)
    }
    var bare = TraceBuilder()
    bare.mmap(length: 4096, result: a1)
    kinds.append(FailureKind(name: "condition: unknown state", block: "break.main > 0", run: bare.run))
    kinds.append(FailureKind(name: "only in the first process, no start-up", block: "[child] mmap(NULL, 4096, …)", run: bare.run))
    kinds.append(FailureKind(name: "never called during start-up", block: "[startup] munmap(…)", run: bare.run))
    var forked = TraceBuilder()
    forked.spawn(101)
    forked.mmap(length: 4096, result: a1, pid: 101)
    kinds.append(FailureKind(name: "only in a child process", block: "[root] mmap(NULL, 4096, …)", run: forked.run))
    kinds.append(FailureKind(name: "condition: no heap", block: "mmap(NULL, 4096, …) = $a\n$a in heap", run: bare.run))
    return kinds
}()

/// A run without any brk: state the matcher cannot know.
private func noBrk() -> ProgramRun {
    var t = TraceBuilder()
    t.mmap(length: 4096, result: a1)
    return t.run
}

func hasHangul(_ text: String) -> Bool {
    text.unicodeScalars.contains { (0xAC00...0xD7A3).contains($0.value) }
}

/// The English words left in a Korean explanation, apart from code: syscall, argument,
/// flag, errno and signal names, numbers, quoted output, regexes, captures and state
/// names, and words of the expectation line or of the trace itself.
func leftoverEnglish(_ text: String, allowed: Set<String>) -> [String] {
    var rest = text
    // Quoted output ("…" with escapes), `code`, /regex/, $captures, hex numbers.
    let spans: [Regex<Substring>] = [#/"(?:[^"\\]|\\.)*"/#, #/`[^`]*`/#, #/\/(?:[^\/\\]|\\.)+\//#, #/\$[A-Za-z_][A-Za-z0-9_]*/#, #/0x[0-9a-fA-F]+/#]
    for span in spans { rest = rest.replacing(span, with: " ") }
    var leftover: [String] = []
    for match in rest.matches(of: #/[A-Za-z][A-Za-z0-9_.]*/#) {
        var word = String(match.output)
        while word.hasSuffix(".") { word.removeLast() }
        if word.isEmpty { continue }
        if word.contains("_") || word.contains(".") || word.contains(where: { $0.isNumber }) { continue }   // PROT_READ, si_code, heap.start
        if word == word.uppercased() { continue }                                                      // SIGSEGV, ENOMEM, NULL
        if SyscallTable.number(of: word) != nil { continue }                                           // mmap, brk, getrandom
        if ArgumentTable.table.values.contains(where: { $0.contains { $0.name == word } }) { continue } // length, addr, fd
        if ["main", "break"].contains(word) || allowed.contains(word) { continue }
        leftover.append(word)
    }
    return leftover
}

func words(_ text: String?) -> Set<String> {
    guard let text else { return [] }
    return Set(text.matches(of: #/[A-Za-z][A-Za-z0-9_]*/#).map { String($0.output) })
}

@Suite struct KoreanExplanationTests {
    @Test("every failure kind is explained in Korean, with no English left but code", arguments: failureKinds)
    func everyKindInKorean(_ kind: FailureKind) {
        let english = match(kind.block, kind.run, .english)
        let korean = match(kind.block, kind.run, .korean)
        #expect(!english.passed, "\(kind.name): the block was meant to fail")
        #expect(english.passed == korean.passed)
        #expect(english.failures.count == korean.failures.count)
        for (en, ko) in zip(english.failures, korean.failures) {
            // Same failure, only the words differ.
            #expect(en.line == ko.line && en.expectation == ko.expectation && en.nearest == ko.nearest && en.hint == ko.hint)
            #expect(!en.explanation.isEmpty && !ko.explanation.isEmpty)
            #expect(!hasHangul(en.explanation), "\(kind.name): Korean in the English text: \(en.explanation)")
            #expect(hasHangul(ko.explanation), "\(kind.name): no Korean in: \(ko.explanation)")
            let left = leftoverEnglish(ko.explanation, allowed: words(ko.expectation).union(words(ko.nearest)))
            #expect(left.isEmpty, "\(kind.name): English words \(left) left in: \(ko.explanation)")
        }
    }

    @Test func defaultStaysEnglish() throws {
        for kind in failureKinds {
            let script = try ExpectationScript.parse(kind.block, file: "l.md", line: 1)
            let byDefault = Matcher.match([script], against: kind.run)
            #expect(byDefault == Matcher.match([script], against: kind.run, language: .english))
            #expect(byDefault == Matcher.match([script], against: kind.run, language: "en"))
            #expect(byDefault.failures.allSatisfy { !hasHangul($0.explanation) })
        }
    }

    @Test func languageCodes() {
        #expect(FeedbackLanguage(code: "ko") == .korean)
        #expect(FeedbackLanguage(code: "ko_KR.UTF-8") == .korean)
        #expect(FeedbackLanguage(code: "ko-KR") == .korean)
        #expect(FeedbackLanguage(code: "KO") == .korean)
        #expect(FeedbackLanguage(code: "en") == .english)
        #expect(FeedbackLanguage(code: "en_US.UTF-8") == .english)
        #expect(FeedbackLanguage(code: "") == .english)
        #expect(FeedbackLanguage(code: "C") == .english)
        #expect(FeedbackLanguage(code: "fr") == .english)
    }

    /// The exact Korean of the examples in docs/expectations.md.
    @Test func documentedExamplesInKorean() {
        var t = withHeap()
        t.mmap(length: 4096, result: a1)
        let pages = match("mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a", t.run, .korean)
        #expect(pages.failures.first?.explanation
                == "프로그램이 mmap에 4096바이트를 요청했습니다(length 인자). 이 연습은 8192바이트(4096바이트 페이지 두 개)를 원합니다")

        var u = withHeap()
        u.mmap(length: 8192, result: a1)
        u.munmap(a2, 8192)
        let other = match("mmap(NULL, 8192, …) = $a\nmunmap($a, 8192) = 0", u.run, .korean)
        #expect(other.failures.first?.explanation
                == "프로그램이 munmap에 넘긴 주소(addr 인자)는 0x7ffff7f70000입니다. 이 연습은 `$a` = 0x7ffff7fb0000 (1번 줄에서 캡처)을 원합니다")

        var v = withHeap()
        v.mmap(length: 208896, result: 0x7fff_f7d9_f000)
        let enomem = match("mmap(…) = -1 ENOMEM", v.run, .korean)
        #expect(enomem.failures.first?.explanation
                == "프로그램의 mmap 호출이 성공했습니다(= 0x7ffff7d9f000). 이 연습은 이 호출이 ENOMEM 오류로 실패하기를 원합니다")

        var w = withHeap()
        w.brk(0, Int64(heap0))
        w.brk(heap0 + 0x21000, Int64(heap0 + 0x21000))
        let count = match("brk(_) = > break × >= 2", w.run, .korean)
        #expect(count.failures.first?.explanation.hasPrefix("이 연습에서는 main 이후에 이와 같은 brk 호출이 2번 이상 있어야 합니다. 프로그램은 1번 호출했습니다") == true,
                "\(count.failures)")

        let startup = match("mmap(NULL, 8192, …)", withHeap().run, .korean)
        #expect(startup.failures.first?.explanation
                == "프로그램의 mmap 호출은 시작 단계(main 이전)에만 있었습니다. 이 연습에서는 main 이후에 하나가 필요합니다")

        var x = withHeap()
        x.brk(heap0 + 344064, Int64(heap0 + 344064))
        let growth = match("break.growth >= 400000", x.run, .korean)
        #expect(growth.failures.first?.explanation
                == "main 이후 프로그램 break가 모두 344064바이트 올라갔습니다. 이 연습은 400000 이상을 원합니다")

        var y = withHeap()
        y.signal(11, code: 2, address: UInt64(a1) + 10)
        y.exit = .killed(signal: 11, coreDumped: false)
        let code = match("killed by SIGSEGV SEGV_MAPERR", y.run, .korean)
        #expect(code.failures.first?.explanation
                == "SIGSEGV의 si_code는 SEGV_ACCERR (페이지는 매핑되어 있지만 보호 속성이 그 접근을 막음)였습니다. "
                + "이 연습은 SEGV_MAPERR (그 주소에는 매핑된 메모리가 없음)를 원합니다")

        var z = withHeap()
        z.stdout = "parent 1\n"
        let output = match("stdout == \"parent 2\\n\"", z.run, .korean)
        #expect(output.failures.first?.explanation
                == "표준 출력이 이 연습이 원하는 것과 다릅니다. 1번째 줄: 프로그램은 \"parent 1\"을 출력했고, 이 연습은 \"parent 2\"를 원합니다")

        let place = match("[child] mmap(NULL, 4096, …)", noBrk(), .korean)
        #expect(place.failures.first?.explanation
                == "프로그램의 mmap 호출은 첫 프로세스에만 있었습니다. 이 연습에서는 자식 프로세스에서 main 이후에 하나가 필요합니다")

        let unknown = match("break.final > 0", noBrk(), .korean)
        #expect(unknown.failures.first?.explanation == "확인할 수 없습니다: 트레이스에 brk 호출이 없어서 `break.final` 값을 알 수 없습니다")
    }

    @Test func particlesFollowTheWordBefore() {
        #expect(koObject("8192바이트") == "8192바이트를")
        #expect(koObject("4096") == "4096을")
        #expect(koObject("8192") == "8192를")
        #expect(koObject("8192바이트 (4096바이트 페이지 두 개)") == "8192바이트 (4096바이트 페이지 두 개)를")
        #expect(koSubject("ENOMEM") == "ENOMEM이")
        #expect(koSubject("SIGSEGV") == "SIGSEGV가")
        #expect(koSubject("프로그램") == "프로그램이")
        #expect(koSubject("자식 프로세스 101") == "자식 프로세스 101이")
        #expect(koTopic("heap.start") == "heap.start는")
        #expect(koTopic("0x1000") == "0x1000은")
        #expect(koWas("SEGV_ACCERR") == "SEGV_ACCERR였습니다")
        #expect(koObject("munmap") == "munmap을")
        #expect(koObject("brk") == "brk를")
        #expect(koObject("`$a` = 0x7ffff7fb0000 (1번 줄에서 캡처)") == "`$a` = 0x7ffff7fb0000 (1번 줄에서 캡처)을")
    }
}
