// Matcher semantics and explanations on hand-built runs.

import Testing
@testable import Expectations
import Syscalls

@Suite struct MatcherTests {
    @Test func orderedSubsequenceAllowsInterleaving() {
        var t = withHeap()
        t.mmap(length: 8192, result: a1)
        t.write(1, "hello\n")
        t.brk(0, Int64(heap0))
        t.munmap(a1, 8192)
        let script = """
            mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a
            munmap($a, 8192) = 0
            """
        #expect(matchText(script, t.run).passed)
        // The other order does not match: the munmap came before the mmap line's event.
        let reversed = matchText("munmap(_, 8192) = 0\nmmap(NULL, 8192, …)", t.run)
        #expect(reversed.failures.count == 1)
        #expect(reversed.failures[0].line == 2)
        #expect(reversed.failures[0].explanation == "your program made mmap calls after main, but only before the event that line 1 matched; this exercise wants it afterwards")
    }

    @Test func startUpEventsDoNotCountAfterMain() {
        let t = withHeap()
        let result = matchText("mmap(NULL, 8192, …)", t.run)
        #expect(result.failures.first?.explanation == "your program made mmap calls only during start-up, before main; this exercise wants one after main")
        #expect(matchText("[startup] mmap(NULL, 8192, …)", t.run).passed)
        #expect(matchText("[always] mmap(NULL, 8192, …)", t.run).passed)
    }

    @Test func capturesMustMatchAgain() {
        var t = withHeap()
        t.mmap(length: 8192, result: a1)
        t.munmap(a2, 8192)
        let result = matchText("mmap(NULL, 8192, …) = $a\nmunmap($a, 8192) = 0", t.run)
        #expect(result.failures.count == 1)
        let failure = result.failures[0]
        #expect(failure.expectation == "munmap($a, 8192) = 0")
        #expect(failure.line == 2)
        #expect(failure.explanation == "your program passed munmap the address 0x7ffff7f70000 (addr); this exercise wants `$a` = 0x7ffff7fb0000 (captured on line 1)")
        #expect(failure.nearest == "munmap(0x7ffff7f70000, 8192) = 0")
    }

    @Test func anotherMatchIsTriedWhenALaterLineNeedsIt() {
        var t = withHeap()
        t.mmap(length: 4096, result: a1)   // the runtime's own page, kept
        t.mmap(length: 4096, result: a2)   // the learner's page
        t.munmap(a2, 4096)
        #expect(matchText("mmap(NULL, 4096, …) = $a\nmunmap($a, 4096) = 0", t.run).passed)
        // When no choice works, the first choice's explanation is reported.
        var u = withHeap()
        u.mmap(length: 4096, result: a1)
        u.mmap(length: 4096, result: a2)
        u.munmap(a2 + 4096, 4096)
        let result = matchText("mmap(NULL, 4096, …) = $a\nmunmap($a, 4096) = 0", u.run)
        #expect(result.failures.first?.explanation == "your program passed munmap the address 0x7ffff7f71000 (addr); this exercise wants `$a` = 0x7ffff7fb0000 (captured on line 1)")
    }

    @Test func bindAndCheckAtOnce() {
        var t = withHeap()
        t.mmap(length: 401408, result: a1)
        t.munmap(a1, 401408)
        #expect(matchText("mmap(NULL, $len: 400000..<404096, …) = $p\nmunmap($p, $len) = 0", t.run).passed)
        let tooBig = matchText("mmap(NULL, $len: 400000..<401408, …) = $p", t.run)
        #expect(tooBig.failures.first?.explanation == "your program asked mmap for 401408 bytes (length); this exercise wants between 400000 and 401408 (not included)")
    }

    @Test func intArgumentsCompareAs32Bit() {
        var t = withHeap()
        t.mmap(length: 4096, fd: 0xffff_ffff, result: a1)          // -1 loaded as a 32-bit register
        t.mmap(length: 8192, fd: UInt64.max, result: a2)           // -1 sign-extended
        t.call("openat", [0xffff_ff9c, 0x1000, 0], 3, data: "input.txt")
        #expect(matchText("mmap(NULL, 4096, _, _, -1, 0)\nmmap(NULL, 8192, _, _, -1, 0)", t.run).passed)
        #expect(matchText(#"openat(AT_FDCWD, "input.txt", O_RDONLY) = $fd"#, t.run).passed)
    }

    @Test func flagSetsAreExactUnlessOpen() {
        var t = withHeap()
        t.mmap(length: 4096, flags: 0x22 | 0x8000, result: a1)  // MAP_POPULATE too
        #expect(!matchText("mmap(_, _, _, MAP_PRIVATE|MAP_ANONYMOUS, …)", t.run).passed)
        #expect(matchText("mmap(_, _, _, MAP_ANONYMOUS|MAP_PRIVATE|MAP_POPULATE, …)", t.run).passed)
        #expect(matchText("mmap(_, _, _, MAP_ANONYMOUS|…, …)", t.run).passed)
        #expect(matchText("mmap(_, _, PROT_WRITE|PROT_READ, MAP_PRIVATE|0x8020, …)", t.run).passed)
        let shared = matchText("mmap(_, _, _, MAP_SHARED|…, …)", t.run)
        #expect(shared.failures.first?.explanation.hasPrefix("your program called mmap with the flags MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE;") == true)
        #expect(shared.failures.first?.explanation.hasSuffix("this exercise wants flags that include MAP_SHARED") == true)
    }

    @Test func counts() {
        var t = withHeap()
        for k in 0..<5 { t.mmap(length: 208896, result: a1 - Int64(k) * 208896) }
        let five = "mmap(NULL, 208896, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $p"
        #expect(matchText(five + " × 5", t.run).passed)
        #expect(matchText(five + " x >= 3", t.run).passed)
        #expect(matchText(five + " × 2...5", t.run).passed)
        let four = matchText(five + " × 4", t.run)
        #expect(four.failures.first?.explanation == "this exercise wants exactly 4 mmap calls like this after main; your program made 5")
        #expect(four.failures.first?.nearest?.hasSuffix("= 0x7ffff7ee4000") == true)
        let six = matchText(five + " × 6", t.run)
        #expect(six.failures.first?.explanation == "this exercise wants exactly 6 mmap calls like this after main; your program made 5")
        #expect(matchText(five + " × <= 5", t.run).passed)
        #expect(!matchText(five + " × <= 4", t.run).passed)
        // A counted capture holds every value: none of the five may be unmapped.
        #expect(matchText(five + " × 5\nnever munmap($p, …)", t.run).passed)
        t.munmap(a1 - 2 * 208896, 208896)
        let unmapped = matchText(five + " × 5\nnever munmap($p, …)", t.run)
        #expect(unmapped.failures.first?.explanation == "your program made a munmap call that this exercise rules out after main")
        #expect(unmapped.failures.first?.nearest == "munmap(0x7ffff7f4a000, 208896) = 0")
    }

    @Test func neverLooksAtTheWholeRun() {
        var t = withHeap()
        t.mmap(length: 4096, result: a1)
        t.brk(0, Int64(heap0))
        // Placed last, it still sees the mmap that came before the brk.
        let result = matchText("brk(NULL)\nnever mmap(_, _, _, MAP_ANONYMOUS|…, …)", t.run)
        #expect(result.failures.first?.line == 2)
        #expect(result.failures.first?.explanation == "your program made an mmap call that this exercise rules out after main")
        #expect(matchText("never munmap(…)", t.run).passed)
        t.mmap(length: 8192, result: a2)
        let twice = matchText("never mmap(_, _, _, MAP_ANONYMOUS|…, …)", t.run)
        #expect(twice.failures.first?.explanation == "your program made 2 mmap calls that this exercise rules out after main")
    }

    @Test func returnPatterns() {
        var t = withHeap()
        t.mmap(length: 1 << 46, result: -12)
        t.mmap(length: 4096, offset: 100, result: -22)
        t.call("exit_group", [0], nil)
        #expect(matchText("mmap(…) = -1 ENOMEM\nmmap(…) = -1 EINVAL\nexit_group(0) = ?", t.run).passed)
        #expect(matchText("mmap(…) = -1 _\nmmap(…) = -1", t.run).passed)
        let wrong = matchText("mmap(NULL, 4096, …) = -1 ENOMEM", t.run)
        #expect(wrong.failures.first?.explanation == "your program's mmap failed with EINVAL (= -1 EINVAL (Invalid argument)); this exercise wants it to fail with ENOMEM")
        let ok = matchText("mmap(…) = ok", t.run)
        #expect(ok.failures.first?.explanation == "your program's mmap failed with ENOMEM (= -1 ENOMEM (Cannot allocate memory)); this exercise wants it to succeed")
        let value = matchText("mmap(…) = $p", t.run)
        #expect(value.failures.first?.explanation.hasPrefix("your program's mmap failed with ENOMEM") == true)
    }

    @Test func programBreakState() {
        var t = withHeap()
        t.brk(0, Int64(heap0))
        t.brk(heap0 + 0x21000, Int64(heap0 + 0x21000))
        t.brk(heap0 + 0x54000, Int64(heap0 + 0x54000))
        t.brk(heap0 + 0x21000, Int64(heap0 + 0x21000))  // trimmed back by free
        #expect(matchText("brk(_) = > break × 2", t.run).passed)
        #expect(matchText("break.growth >= 204800\nbreak.peak - break.main >= 204800\nbreak.final == heap.start + 0x21000", t.run).passed)
        #expect(matchText("brk(break + 0x21000) = break + 0x21000", t.run).passed)
        let notRaised = matchText("break.growth >= 400000", t.run)
        #expect(notRaised.failures.first?.explanation == "after main the program break rose by 344064 bytes in total; this exercise wants at least 400000")
        let onePage = matchText("brk(break + 4096) = break + 4096", t.run)
        #expect(onePage.failures.first?.explanation.contains("break is the program break just before this call") == true)
    }

    @Test func heapAndPrintedPointers() {
        var t = withHeap()
        t.brk(0, Int64(heap0))
        t.brk(heap0 + 0x21000, Int64(heap0 + 0x21000))
        t.stdout = "got 0x5555555592a0\ngot 0x55555555a640\n"
        #expect(matchText("stdout matches /^got (0x[0-9a-f]+)$/ × 2 each $x: heap", t.run).passed)
        #expect(matchText("stdout matches /^got (0x[0-9a-f]+)$/ each $x\n$x in heap\n$x >= heap.start + 0x290", t.run).passed)
        t.stdout += "got 0x7ffff7fb0010\n"
        let outside = matchText("stdout matches /^got (0x[0-9a-f]+)$/ each $x: heap", t.run)
        #expect(outside.failures.first?.explanation == "your program printed \"got 0x7ffff7fb0010\": 0x7ffff7fb0010 is not an address inside the heap (0x555555559000 up to 0x55555557a000)")
        // A failed `each` leaves `$x` unbound: the line using it is not judged.
        let silenced = matchText("stdout matches /^got (0x[0-9a-f]+)$/ each $x: heap\n$x >= 0", t.run)
        #expect(silenced.failures.map(\.line) == [1])
        let notNumber = matchText("stdout matches /^(got) 0x/ each $x", t.run)
        #expect(notNumber.failures.first?.explanation == "in standard output, \"got\" (in \"got 0x\") is not a number")
        let count = matchText("stdout matches /^got (0x[0-9a-f]+)$/ × 5", t.run)
        #expect(count.failures.first?.explanation == "standard output has 3 matches of /^got (0x[0-9a-f]+)$/; this exercise wants exactly 5")
    }

    @Test func outputCapturesComparedWithTheTrace() {
        var t = withHeap()
        t.mmap(length: 4096, result: a1)
        t.munmap(a1, 4096)
        t.stdout = "mapped at 0x7ffff7fb0000\n"
        #expect(matchText("stdout matches /mapped at (0x[0-9a-f]+)/ each $m\nmunmap($m, 4096) = 0", t.run).passed)
        #expect(matchText("mmap(NULL, 4096, …) = $a\nstdout matches /mapped at (0x[0-9a-f]+)/ each $m: $a", t.run).passed)
    }

    @Test func outputExactContainsPerProcess() {
        var t = withHeap()
        t.spawn(101)
        t.write(1, "child 2\n", pid: 101)
        t.exited(101, .exited(status: 0))
        t.write(1, "parent 1\n")
        t.stdout = "child 2\nparent 1\n"
        t.stderr = "warning: allocation failed\n"
        #expect(matchText(#"stdout == "child 2\nparent 1\n""#, t.run).passed)
        #expect(matchText(#"[root] stdout == "parent 1\n""#, t.run).passed)
        #expect(matchText(#"[child] stdout == "child 2\n""#, t.run).passed)
        #expect(matchText(#"stderr contains "allocation failed""#, t.run).passed)
        #expect(matchText(#"never stderr contains "segmentation""#, t.run).passed)
        let wrong = matchText(#"[root] stdout == "parent 2\n""#, t.run)
        #expect(wrong.failures.first?.explanation == "standard output written by the first process itself differs from what this exercise wants at line 1: your program printed \"parent 1\", this exercise wants \"parent 2\"")
        let missingNewline = matchText(#"stdout == "child 2\nparent 1\n\n""#, t.run)
        #expect(missingNewline.failures.first?.explanation == "standard output differs from what this exercise wants: it stops before line 4 (an empty line is missing)")
    }

    @Test func spawnAndChildren() {
        var t = withHeap()
        t.mmap(length: 4096, flags: 0x21, result: a1)
        t.call("clone", [0x1200011, 0, 0, 0, 0], 101)
        t.spawn(101)
        t.write(1, "x", pid: 101)
        t.exited(101, .exited(status: 3))
        t.exit = .exited(status: 0)
        #expect(matchText("mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0)\nspawn", t.run).passed)
        #expect(!matchText("spawn\nmmap(NULL, 4096, …)", t.run).passed)
        let child = matchText("[child] exited with 0", t.run)
        #expect(child.failures.first?.explanation == "the child process 101 exited with status 3; this exercise wants it to exit with 0")
        #expect(matchText("[child] write(1, …)", t.run).passed)
        #expect(!matchText("[root] write(1, …)", t.run).passed)
        let none = matchText("[child] exited with 0", withHeap().run)
        #expect(none.failures.first?.explanation == "your program never created a child process, so there is no child to check")
    }

    @Test func signalsAndDeath() {
        var t = withHeap()
        t.mmap(length: 4096, prot: 1, result: a1)
        t.signal(11, code: 2, address: UInt64(a1) + 10)
        t.exit = .killed(signal: 11, coreDumped: false)
        let block = "mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a\nkilled by SIGSEGV SEGV_ACCERR at $a ..< $a + 4096"
        #expect(matchText(block, t.run).passed)
        #expect(matchText("mmap(…) = $a\nsignal SIGSEGV SEGV_ACCERR at $a ..< $a + page", t.run).passed)
        let mapErr = matchText("killed by SIGSEGV SEGV_MAPERR", t.run)
        #expect(mapErr.failures.first?.explanation == "the SIGSEGV came with si_code SEGV_ACCERR (the page is mapped but its protection forbids that access); this exercise wants SEGV_MAPERR (no memory is mapped at that address)")
        #expect(mapErr.failures.first?.nearest == "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7ffff7fb000a} ---\n+++ killed by SIGSEGV +++")
        let away = matchText("mmap(…) = $a\nkilled by SIGSEGV at $a + 4096 ..< $a + 8192", t.run)
        #expect(away.failures.first?.explanation == "the fault address was 0x7ffff7fb000a; this exercise wants it in $a + 4096 ..< $a + 8192 (0x7ffff7fb1000 ..< 0x7ffff7fb2000)")
        let exited = matchText("exited with 0", t.run)
        #expect(exited.failures.first?.explanation == "your program was killed by SIGSEGV (SEGV_ACCERR at 0x7ffff7fb000a); this exercise wants it to exit with 0")
        var clean = withHeap()
        clean.exit = .exited(status: 1)
        let notKilled = matchText("killed by SIGSEGV", clean.run)
        #expect(notKilled.failures.first?.explanation == "your program exited with status 1, but this exercise expects it to be killed by SIGSEGV")
        #expect(matchText("never signal\nexited with 1", clean.run).passed)
        #expect(!matchText("never signal", t.run).passed)
    }

    @Test func failedBindingSilencesItsDependents() {
        var t = withHeap()
        t.mmap(length: 4096, result: a1)
        let result = matchText("mmap(NULL, 8192, …) = $a\nmunmap($a, 8192) = 0\nexited with 0\nexited with 1", t.run)
        // Line 2 cannot be judged without $a; lines 3 and 4 still are.
        #expect(result.failures.map(\.line) == [1, 4])
    }

    @Test func neverCalledAtAll() {
        let result = matchText("munmap(_, 4096) = 0", withHeap().run)
        #expect(result.failures.first?.explanation == "your program never called munmap after main")
        #expect(result.failures.first?.nearest == nil)
    }

    @Test func hiddenAndHints() {
        let result = matchText("munmap(…)   hint 2", withHeap().run, hidden: true)
        #expect(result.failures.first?.hidden == true)
        #expect(result.failures.first?.hint == 2)
    }

    @Test func dataPatterns() {
        var t = withHeap()
        t.write(1, "got 0x1234\n")
        t.call("openat", [0xffff_ff9c, 0x1000, 0], 3, data: "notes.txt")
        #expect(matchText(#"write(1, /^got 0x[0-9a-f]+$/, _)"#, t.run).passed)
        let path = matchText(#"openat(_, "input.txt", …)"#, t.run)
        #expect(path.failures.first?.explanation == "your program's openat used the path \"notes.txt\"; this exercise wants \"input.txt\"")
        #expect(path.failures.first?.nearest == "openat(AT_FDCWD, \"notes.txt\", O_RDONLY) = 3")
    }

    @Test func multipleBlocksAreIndependent() throws {
        var t = withHeap()
        t.mmap(length: 8192, result: a1)
        t.munmap(a1, 8192)
        let first = try ExpectationScript.parse("mmap(NULL, 8192, …) = $a\nmunmap($a, 8192) = 0", file: "l.md", line: 10)
        let second = try ExpectationScript.parse("mmap(_, _, _, MAP_ANONYMOUS|…, …) × 1", file: "l.md", line: 20)
        #expect(Matcher.match([first, second], against: t.run).passed)
    }

    @Test func explanationsNeverShowMatcherState() {
        var t = withHeap()
        for k in 0..<3 { t.mmap(length: UInt64(4096 * (k + 1)), result: a1 + Int64(k) * 0x10000) }
        let result = matchText("mmap(NULL, 8192, PROT_READ, …) = $a\nmunmap($a, 8192)", t.run)
        for failure in result.failures {
            #expect(!failure.explanation.contains("slot"))
            #expect(!failure.explanation.contains("Optional"))
            #expect(!failure.explanation.contains("cursor"))
        }
        // The nearest is the mmap whose length matches (more parts agree), and the protection is what differs.
        #expect(result.failures.first?.explanation == "your program asked mmap for protection PROT_READ|PROT_WRITE; this exercise wants PROT_READ")
    }

    @Test func startUpStateAndChildBreaks() {
        var t = withHeap()
        t.brk(0, Int64(heap0))
        t.brk(heap0 + 0x21000, Int64(heap0 + 0x21000))
        t.spawn(101)
        // The child inherits the parent's break and grows its own copy.
        t.brk(heap0 + 0x42000, Int64(heap0 + 0x42000), pid: 101)
        t.exited(101, .exited(status: 0))
        #expect(matchText("[startup] brk(NULL) = $h\n$h == heap.start\nbreak.main == heap.start", t.run).passed)
        #expect(matchText("[child] brk(break + 0x21000) = break + 0x21000", t.run).passed)
        // The root's own break did not move with the child's.
        #expect(matchText("break.final == heap.start + 0x21000\nbreak.peak == break.final", t.run).passed)
        #expect(matchText("[child] exited with 0\n[root] spawn\nnever spawn thread", t.run).passed)
    }

    @Test func threadsAreNotChildren() {
        var t = withHeap()
        t.spawn(101, thread: true)
        t.events.append(TraceEvent(sequence: t.events.count, pid: 101, processID: t.root, phase: .program,
                                   kind: .syscall(decoded("mmap", [0, 4096, 3, 0x22, UInt64.max, 0], a1))))
        #expect(matchText("spawn thread\n[root] mmap(NULL, 4096, …)\nnever spawn", t.run).passed)
        #expect(!matchText("[child] mmap(…)", t.run).passed)
    }

    @Test func resultsRoundTripAsJSONShapes() throws {
        let failure = MatchFailure(expectation: "brk(…)", line: 3, explanation: "x", nearest: "brk(NULL) = 0x1", hidden: true, hint: 2)
        let result = MatchResult(passed: false, failures: [failure])
        #expect(result.failures[0].hint == 2)
        #expect(result == MatchResult(passed: false, failures: [failure]))
    }

    @Test func exitStatusPatterns() {
        var t = withHeap()
        t.exit = .exited(status: 3)
        #expect(matchText("exited with != 0\nexited with 1...5\n+++ exited with 3 +++", t.run).passed)
        t.exit = nil
        let stopped = matchText("exited with 0", t.run)
        #expect(stopped.failures.first?.explanation == "your program did not finish on its own: the checker had to stop it (too slow, or too much output)")
    }
}

