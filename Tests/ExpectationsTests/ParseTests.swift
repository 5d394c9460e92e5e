// Parser tests: one line in, its syntax tree out; one bad line in, its located error out.

import Testing
@testable import Expectations

func parseTest(_ input: String, _ expected: Statement, scope: Scope = Scope(), hint: Int? = nil,
               sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let script = try ExpectationScript.parse(input, file: "t.md", line: 1)
        let last = script.expectations.last
        #expect(last?.statement == expected, sourceLocation: sourceLocation)
        #expect(last?.scope == scope, sourceLocation: sourceLocation)
        #expect(last?.hint == hint, sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
    }
}

func diagnosticTest(_ input: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        _ = try ExpectationScript.parse(input, file: "lesson.md", line: 10)
        Issue.record("expected an error for \(input)", sourceLocation: sourceLocation)
    } catch let error as ExpectationDiagnostic {
        #expect(error.description == expected, sourceLocation: sourceLocation)
    } catch {
        Issue.record("wrong error type \(error)", sourceLocation: sourceLocation)
    }
}

private func call(_ name: String, _ args: [(Pattern, String)], rest: Bool = false, _ result: ReturnPattern = .any,
                  _ resultText: String = "", columns: [Int]) -> CallPattern {
    CallPattern(name: name,
                arguments: zip(args, columns).map { Argument(pattern: $0.0.0, text: $0.0.1, position: SourcePosition(line: 1, column: $0.1)) },
                rest: rest, result: result, resultText: resultText)
}

private let readWrite = Pattern.flags(names: ["PROT_READ", "PROT_WRITE"], value: 3, contains: false)
private let privateAnon = Pattern.flags(names: ["MAP_PRIVATE", "MAP_ANONYMOUS"], value: 0x22, contains: false)

@Suite struct ParseTests {
    @Test func fullCall() {
        let line = "mmap(NULL, 208896, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $p   × 5"
        parseTest(line, .event(.call(call("mmap", [
            (.value(.int(0)), "NULL"), (.value(.int(208896)), "208896"), (readWrite, "PROT_READ|PROT_WRITE"),
            (privateAnon, "MAP_PRIVATE|MAP_ANONYMOUS"), (.value(.negate(.int(1))), "-1"), (.value(.int(0)), "0"),
        ], .value(.capture(0, name: "p", constraint: nil)), "$p", columns: [6, 12, 20, 42, 69, 73])), .exactly(5)))
    }

    @Test func wildcardsAndRest() {
        parseTest("munmap(_, …)", .event(.call(call("munmap", [(.any, "_")], rest: true, columns: [8])), .once))
        parseTest("munmap(...)", .event(.call(call("munmap", [], rest: true, columns: [])), .once))
        parseTest("getpid()", .event(.call(call("getpid", [], columns: [])), .once))
    }

    @Test func flagsInAnyOrderAndContains() {
        parseTest("never mmap(_, _, _, MAP_ANONYMOUS|…, …)", .event(.call(call("mmap", [
            (.any, "_"), (.any, "_"), (.any, "_"), (.flags(names: ["MAP_ANONYMOUS"], value: 0x20, contains: true), "MAP_ANONYMOUS|…"),
        ], rest: true, columns: [12, 15, 18, 21])), .none))
        parseTest("mprotect(_, _, PROT_WRITE|PROT_READ)", .event(.call(call("mprotect", [
            (.any, "_"), (.any, "_"), (.flags(names: ["PROT_WRITE", "PROT_READ"], value: 3, contains: false), "PROT_WRITE|PROT_READ"),
        ], columns: [10, 13, 16])), .once))
    }

    @Test func comparisonsRangesAndCaptures() {
        parseTest("mmap(NULL, $len: 400000..<404096, …)", .event(.call(call("mmap", [
            (.value(.int(0)), "NULL"),
            (.capture(0, name: "len", constraint: .range(.int(400000), .int(404096), closed: false)), "$len: 400000..<404096"),
        ], rest: true, columns: [6, 12])), .once))
        parseTest("mmap(NULL, >= 0x20000, …)", .event(.call(call("mmap", [
            (.value(.int(0)), "NULL"), (.compare(.greaterOrEqual, .int(0x20000)), ">= 0x20000"),
        ], rest: true, columns: [6, 12])), .once))
        parseTest("brk($b: _) = $b\nbrk($b + 4096) = $b + 4096", .event(.call(CallPattern(name: "brk", arguments: [
            Argument(pattern: .value(.add(.capture(0, name: "b"), .int(4096))), text: "$b + 4096", position: SourcePosition(line: 2, column: 5)),
        ], rest: false, result: .value(.value(.add(.capture(0, name: "b"), .int(4096)))), resultText: "$b + 4096")), .once))
    }

    @Test func returnPatterns() {
        parseTest("mmap(…) = -1 ENOMEM (Cannot allocate memory)",
                  .event(.call(call("mmap", [], rest: true, .failure(errno: 12), "-1 ENOMEM (Cannot allocate memory)", columns: [])), .once))
        parseTest("mmap(…) = -1", .event(.call(call("mmap", [], rest: true, .failure(errno: nil), "-1", columns: [])), .once))
        parseTest("brk(_) = ok", .event(.call(call("brk", [(.any, "_")], .success, "ok", columns: [5])), .once))
        parseTest("exit_group(0) = ?", .event(.call(call("exit_group", [(.value(.int(0)), "0")], .noReturn, "?", columns: [12])), .once))
        parseTest("brk(_) = > break x >= 2", .event(.call(call("brk", [(.any, "_")], .value(.compare(.greater, .state(.currentBreak))),
                                                             "> break", columns: [5])), .atLeast(2)))
    }

    @Test func counts() {
        parseTest("write(1, …) × 1...3", .event(.call(call("write", [(.value(.int(1)), "1")], rest: true, columns: [7])), .between(1, 3)))
        parseTest("munmap(…) x <= 1", .event(.call(call("munmap", [], rest: true, columns: [])), .atMost(1)))
        parseTest("munmap(…) × 0", .event(.call(call("munmap", [], rest: true, columns: [])), .none))
    }

    @Test func scopes() {
        parseTest("[child] spawn", .event(.spawn(thread: false), .once), scope: Scope(process: .child))
        parseTest("[root, always] brk(…)", .event(.call(call("brk", [], rest: true, columns: [])), .once),
                  scope: Scope(process: .root, phase: .always))
        parseTest("[startup] spawn thread", .event(.spawn(thread: true), .once), scope: Scope(phase: .startup))
    }

    @Test func strings() {
        parseTest(#"openat(AT_FDCWD, "input.txt", O_RDONLY|…)"#, .event(.call(call("openat", [
            (.value(.constant("AT_FDCWD", -100)), "AT_FDCWD"), (.string(Array("input.txt".utf8)), "\"input.txt\""),
            (.flags(names: ["O_RDONLY"], value: 0, contains: true), "O_RDONLY|…"),
        ], columns: [8, 18, 31])), .once))
        parseTest(#"write(1, /^got 0x/, _)"#, .event(.call(call("write", [
            (.value(.int(1)), "1"), (.regex("^got 0x"), "/^got 0x/"), (.any, "_"),
        ], columns: [7, 10, 21])), .once))
    }

    @Test func signalsAndOutcomes() {
        parseTest("mmap(…) = $a\nsignal SIGSEGV SEGV_ACCERR at $a ..< $a + 4096",
                  .event(.signal(SignalPattern(signal: 11, code: 2,
                                               address: .range(.capture(0, name: "a"), .add(.capture(0, name: "a"), .int(4096)), closed: false),
                                               addressText: "$a ..< $a + 4096")), .once))
        parseTest("never signal", .event(.signal(SignalPattern()), .none))
        parseTest("exited with 0", .outcome(.exited(.value(.int(0)), text: "0")))
        parseTest("+++ exited with 1 +++", .outcome(.exited(.value(.int(1)), text: "1")))
        parseTest("[child] killed by SIGILL", .outcome(.killed(signal: 4, code: nil, address: nil, addressText: nil)),
                  scope: Scope(process: .child))
    }

    @Test func outputs() {
        parseTest(#"stdout == "10\n20\n""#, .output(OutputCheck(stream: .stdout, kind: .equals(Array("10\n20\n".utf8))), negated: false))
        parseTest(#"[root] stderr contains "allocation failed""#,
                  .output(OutputCheck(stream: .stderr, kind: .contains(Array("allocation failed".utf8))), negated: false),
                  scope: Scope(process: .root))
        parseTest(#"stdout matches /got (0x[0-9a-f]+)/ × 5 each $x: heap"#,
                  .output(OutputCheck(stream: .stdout, kind: .matches(regex: "got (0x[0-9a-f]+)", count: .exactly(5),
                                                                     each: [EachCapture(slot: 0, name: "x", constraint: .heap, constraintText: "heap")])),
                          negated: false))
        parseTest(#"never stdout contains "error""#, .output(OutputCheck(stream: .stdout, kind: .contains(Array("error".utf8))), negated: true))
    }

    @Test func conditionsHintsAndComments() {
        parseTest("break.growth >= 204800   hint 2   # rose enough", .condition(.state(.breakGrowth), .compare(.greaterOrEqual, .int(204800))), hint: 2)
        parseTest("break.peak - break.main >= 200 * 1024",
                  .condition(.subtract(.state(.breakPeak), .state(.breakMain)), .compare(.greaterOrEqual, .multiply(.int(200), .int(1024)))))
        parseTest("mmap(…) = $p\n$p in heap", .condition(.capture(0, name: "p"), .heap))
        let script = try? ExpectationScript.parse("# only a comment\n\n   \nbrk(…)   # trailing", file: "t.md", line: 7)
        #expect(script?.expectations.count == 1)
        #expect(script?.expectations.first?.text == "brk(…)")
        #expect(script?.expectations.first?.position == SourcePosition(line: 10, column: 1))
    }

    @Test func unicodeOperators() {
        parseTest("mmap(NULL, ≥ 4096, …)", .event(.call(call("mmap", [
            (.value(.int(0)), "NULL"), (.compare(.greaterOrEqual, .int(4096)), "≥ 4096"),
        ], rest: true, columns: [6, 12])), .once))
    }
}

@Suite struct DiagnosticTests {
    @Test func unknownConstant() {
        diagnosticTest("mmap(NULL, 4096, PROT_RAED|PROT_WRITE, …)",
                       "lesson.md:10:18: unknown constant `PROT_RAED` (known families: PROT_, MAP_, O_, AT_, MADV_, MREMAP_, MS_, SEEK_, GRND_, CLONE_)")
    }

    @Test func locatedOnTheRightLine() {
        diagnosticTest("brk(…)\n\nmunmap($q, 4096", "lesson.md:12:16: expected `,` or `)`, found the end of the line")
    }

    @Test func arity() {
        diagnosticTest("mmap(NULL, 4096, PROT_READ, MAP_PRIVATE)",
                       "lesson.md:10:1: mmap takes 6 arguments; this line gives 4 (end the list with `…` to skip the rest)")
        diagnosticTest("munmap(_, _, _)", "lesson.md:10:1: munmap takes 2 arguments; this line gives 3")
    }

    @Test func unboundCaptures() {
        diagnosticTest("munmap($p + 4096, 4096)", "lesson.md:10:8: `$p` is used before any earlier line or argument binds it")
        diagnosticTest("never munmap($p, …)",
                       "lesson.md:10:14: `$p` is not bound yet; a `never` line cannot bind captures (bind it on an earlier line or use `_`)")
        diagnosticTest("break.final >= $x", "lesson.md:10:16: `$x` is used before any earlier line or argument binds it")
    }

    @Test func restMustBeLast() {
        diagnosticTest("mmap(…, 4096)", "lesson.md:10:7: `…` stands for the remaining arguments, so it must come last")
    }

    @Test func badTokens() {
        diagnosticTest(#"write(1, "abc, _)"#, "lesson.md:10:10: this string has no closing `\"`")
        diagnosticTest("write(1, /abc, _)", "lesson.md:10:10: this regex has no closing `/` (write `\\/` for a slash inside it)")
        diagnosticTest("brk(12ab)", "lesson.md:10:5: `12ab` is not a number (write decimal `4096` or hex `0x1000`)")
        diagnosticTest("brk(@)", "lesson.md:10:5: unexpected character `@`")
        diagnosticTest("brk($)", "lesson.md:10:5: `$` must be followed by a capture name, as in `$p`")
    }

    @Test func names() {
        diagnosticTest("mmap(…) = -1 ENOMEMORY", "lesson.md:10:14: unknown errno name `ENOMEMORY` (for example ENOMEM, EINVAL, EBADF)")
        diagnosticTest("killed by SIGSEG", "lesson.md:10:11: unknown signal `SIGSEG` (for example SIGSEGV, SIGBUS, SIGILL)")
        diagnosticTest("killed by SIGSEGV BUS_ADRERR", "lesson.md:10:19: `BUS_ADRERR` is not a code of SIGSEGV")
        diagnosticTest("brk(heap.end)", "lesson.md:10:5: unknown name `heap.end` (state values: heap.start, break, break.main, break.final, break.peak, break.growth, page, heap; captures start with `$`)")
        diagnosticTest("[parent] brk(…)", "lesson.md:10:2: unknown scope `parent` (use root, child, any, startup or always)")
        diagnosticTest("[root, child] brk(…)", "lesson.md:10:8: scope tags `root` and `child` contradict each other")
        diagnosticTest("mallocate", "lesson.md:10:1: `mallocate` does not start an expectation (expected a call like `mmap(…)`, `never`, `spawn`, `signal`, `stdout`, `stderr`, `exited with`, `killed by`, or a condition like `break.growth >= 4096`)")
        diagnosticTest("mmap2(…)", "lesson.md:10:1: `mmap2` is not an x86_64 system call (names as strace prints them: mmap, munmap, brk, openat, write, …)")
        diagnosticTest("posix_memalign(…)", "lesson.md:10:1: `posix_memalign` is a C library function, not a system call; expectations see the system calls it makes (brk, mmap, write, …)")  // beyond: malloc/free/… are matchable library calls now
    }

    @Test func misuse() {
        diagnosticTest("never exited with 0", "lesson.md:10:1: `never` cannot be used with how the program ended; say what it should do instead")
        diagnosticTest("never brk(…) × 2", "lesson.md:10:14: `never` already says how many (none); remove the count")
        diagnosticTest("brk(…) × many", "lesson.md:10:10: a count is `× N`, `× >= N`, `× <= N` or `× A...B` with whole numbers")
        diagnosticTest("brk(…) hint", "lesson.md:10:12: `hint` must be followed by the hint's number, as in `hint 2`")
        diagnosticTest("stdout matches /(a)/ each $x, $y", "lesson.md:10:16: the regex has 1 capture group but `each` names 2 captures")
        diagnosticTest("stdout is \"x\"", "lesson.md:10:8: expected `==`, `contains` or `matches` after stdout, found `is`")
        diagnosticTest("[root]", "lesson.md:10:7: expected an expectation after the scope, found the end of the line")
        diagnosticTest("never  ", "lesson.md:10:8: expected an expectation after `never`, found the end of the line")
        diagnosticTest("brk(…) extra", "lesson.md:10:8: expected the end of the line, found `extra`")
        diagnosticTest("stdout matches /(unclosed/", "lesson.md:10:16: invalid regex: " + regexError("(unclosed"))
    }
}

private func regexError(_ source: String) -> String {
    do { _ = try Regex(source); return "" } catch { return "\(error)" }
}
