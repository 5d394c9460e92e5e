// Every CURRICULUM.md check, written in the expectation language (the blocks of
// docs/expectations.md), against real traces of reference and wrong C programs.

import Testing
@testable import Expectations
import Syscalls

func recorded(_ name: String) -> ProgramRun {
    StraceLog.run(RecordedTraces.all[name]!)
}

/// The returns of the calls named `name` after `main`, in order, as strace prints them: the
/// recorded addresses depend on the recording machine's C library, so assertions read them here.
func returns(of name: String, in run: ProgramRun) -> [String] {
    run.events.compactMap { event in
        guard event.phase == .program, case .syscall(let call) = event.kind, call.name == name else { return nil }
        return call.renderedReturn
    }
}

/// The program break before and after the program's own first `brk` growth.
func heapRange(of run: ProgramRun) -> (String, String)? {
    let breaks = returns(of: "brk", in: run)
    guard breaks.count >= 2 else { return nil }
    return (breaks[0], breaks[1])
}

func check(_ blocks: [String], _ run: ProgramRun) throws -> MatchResult {
    let scripts = try blocks.enumerated().map { try ExpectationScript.parse($0.element, file: "lesson.md", line: 100 * ($0.offset + 1)) }
    return Matcher.match(scripts, against: run)
}

func passes(_ blocks: [String], _ run: ProgramRun, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let result = try check(blocks, run)
    #expect(result.passed, "\(result.failures.map { "line \($0.line) `\($0.expectation)`: \($0.explanation) [\($0.nearest ?? "")]" })",
            sourceLocation: sourceLocation)
}

func fails(_ blocks: [String], _ run: ProgramRun, line: Int? = nil, explanation: String,
           sourceLocation: SourceLocation = #_sourceLocation) throws -> MatchFailure? {
    let result = try check(blocks, run)
    #expect(!result.passed, "expected a failure", sourceLocation: sourceLocation)
    let failure = result.failures.first
    if let line { #expect(failure?.line == line, "\(result.failures)", sourceLocation: sourceLocation) }
    // An empty `explanation` only asks for a failure (Foundation's `contains("")` is false,
    // the standard library's true: which one a file sees depends on the module's imports).
    #expect(explanation.isEmpty || failure?.explanation.contains(explanation) == true,
            "explanation was: \(failure?.explanation ?? "none")", sourceLocation: sourceLocation)
    return failure
}

enum Blocks {
    static let echoSmall = """
        stdout == "10\\n20\\n30\\n"
        exited with 0
        """
    static let echoBig = """
        mmap(NULL, $len: 400000..<404096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $p
        munmap($p, $len) = 0
        exited with 0
        """
    static let handleFailure = """
        mmap(…) = -1 ENOMEM
        stderr contains "allocation failed"
        exited with 1
        never signal
        """
    static let fiveSmall = """
        stdout matches /^got (0x[0-9a-f]+)$/ × 5 each $x: heap
        never mmap(_, _, _, MAP_ANONYMOUS|…, …)
        """
    static let fiveSmallC = "brk(_) = > break"
    static let growTwice = """
        never mmap(_, _, _, MAP_ANONYMOUS|…, …)
        brk(_) = > break   × >= 2
        exited with 0
        """
    static let sbrkPage = """
        brk(break + 4096) = break + 4096
        stdout == "grew by 4096\\n"
        exited with 0
        """
    static let fiveBig = """
        mmap(NULL, 208896, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $p   × 5
        never munmap($p, …)
        """
    static let raiseThreshold = """
        never mmap(_, >= 204800, _, MAP_ANONYMOUS|…, …)
        break.growth >= 204800
        exited with 0
        """
    static let freeReturns = """
        mmap(NULL, $len: >= 1048576, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $p
        munmap($p, $len) = 0
        write(1, "done\\n", _)
        stdout == "done\\n"
        """
    static let anonTwoPages = """
        mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a
        munmap($a, 8192) = 0
        exited with 0
        """
    static let anonOnlyOne = "mmap(_, _, _, MAP_ANONYMOUS|…, …) × 1"
    static let unaligned = """
        stdout == "EINVAL\\nok\\n"
        mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a   × 1
        munmap($a, 4096) = 0
        never mmap(…) = -1 EINVAL
        """
    static let readOnlyWrite = """
        mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $a
        killed by SIGSEGV SEGV_ACCERR at $a ..< $a + 4096
        """
    static let sharedMessage = """
        [root] mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0) = $page
        [root] spawn
        [child] exited with 0
        [root] stdout == "hello from child\\n"
        exited with 0
        """
    static let privateCopy = """
        [root] mmap(NULL, _, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = $one
        [root] spawn
        [child] stdout == "child 2\\n"
        [root] stdout == "parent 1\\n"
        exited with 0
        """
    static let mapFile = """
        openat(_, "input.txt", …) = $fd
        mmap(NULL, 20, PROT_READ, MAP_PRIVATE, $fd, 0) = $a
        munmap($a, 20) = 0
        stdout == "5\\n"
        exited with 0
        """
}

@Suite struct CurriculumChecks {
    @Test func echoNumbersSmall() throws {
        try passes([Blocks.echoSmall], recorded("echo-numbers-small"))
        _ = try fails([Blocks.echoSmall], recorded("five-small-chunks"), line: 100, explanation: "at line 1")
    }

    @Test func echoNumbersBig() throws {
        try passes([Blocks.echoBig], recorded("echo-numbers-big"))
        // The recorder keeps no 589 KB stdout; the numbers are known, so rebuild it.
        var run = recorded("echo-numbers-big")
        run.stdout = Array((0..<100_000).map { "\($0)\n" }.joined().utf8)
        let output = """
            stdout matches /^\\d+$/ × 100000
            stdout matches /\\A0\\n1\\n2\\n/
            stdout matches /\\n99999\\n\\z/
            """
        try passes([output], run)
        run.stdout.removeLast(6)
        _ = try fails([output], run, line: 100, explanation: "standard output has 99999 matches of /^\\d+$/; this exercise wants exactly 100000")
        _ = try fails([Blocks.echoBig], recorded("echo-numbers-small"), line: 100, explanation: "your program made mmap calls only during start-up, before main; this exercise wants one after main")
    }

    @Test func handleFailure() throws {
        try passes([Blocks.handleFailure], recorded("handle-failure"))
        let first = try #require(returns(of: "mmap", in: recorded("five-big-chunks")).first)
        let failure = try fails([Blocks.handleFailure], recorded("five-big-chunks"), line: 100,
                                explanation: "your program's mmap succeeded (= \(first)); this exercise wants it to fail with ENOMEM")
        #expect(failure?.nearest?.hasPrefix("mmap(NULL, 208896, PROT_READ|PROT_WRITE") == true)
    }

    @Test func fiveSmallChunks() throws {
        try passes([Blocks.fiveSmall, Blocks.fiveSmallC], recorded("five-small-chunks"))
        // Big chunks come from mmap: the printed pointers are outside the heap, and anonymous mmaps happen.
        let big = recorded("five-big-chunks")
        let result = try check([Blocks.fiveSmall], big)
        #expect(!result.passed)
        #expect(result.failures.count == 2)
        // The first chunk's pointer is 16 bytes into the first mmap (malloc's chunk header).
        let chunk = try #require(returns(of: "mmap", in: big).first.flatMap { UInt64($0.dropFirst(2), radix: 16) })
        let printed = "0x" + String(chunk + 16, radix: 16)
        let (heapStart, heapEnd) = try #require(heapRange(of: big))
        #expect(result.failures[0].explanation == "your program printed \"got \(printed)\": \(printed) is not an address inside the heap (\(heapStart) up to \(heapEnd))")
        #expect(result.failures[1].explanation.contains("rules out"))
        #expect(result.failures[1].nearest?.contains("MAP_PRIVATE|MAP_ANONYMOUS") == true)
    }

    @Test func growTwice() throws {
        try passes([Blocks.growTwice], recorded("grow-twice"))
        _ = try fails([Blocks.growTwice], recorded("five-small-chunks"), line: 101,
                      explanation: "this exercise wants at least 2 brk calls like this after main; your program made 1")
    }

    @Test func sbrkPage() throws {
        try passes([Blocks.sbrkPage], recorded("sbrk-page"))
        _ = try fails([Blocks.sbrkPage], recorded("five-small-chunks"), line: 100, explanation: "break is the program break just before this call")
    }

    @Test func fiveBigChunks() throws {
        try passes([Blocks.fiveBig], recorded("five-big-chunks"))
        _ = try fails([Blocks.fiveBig], recorded("five-big-chunks-freed"), explanation: "")
    }

    @Test func raiseThreshold() throws {
        try passes([Blocks.raiseThreshold], recorded("raise-threshold"))
        _ = try fails([Blocks.raiseThreshold], recorded("five-big-chunks"), line: 100, explanation: "rules out")
    }

    @Test func freeReturns() throws {
        try passes([Blocks.freeReturns], recorded("free-returns"))
        _ = try fails([Blocks.freeReturns], recorded("five-big-chunks"), line: 100,
                      explanation: "your program asked mmap for 208896 bytes (length); this exercise wants at least 1048576")
    }

    @Test func anonTwoPages() throws {
        try passes([Blocks.anonTwoPages, Blocks.anonOnlyOne], recorded("anon-two-pages"))
        let failure = try fails([Blocks.anonTwoPages], recorded("anon-one-page"), line: 100,
                                explanation: "your program asked mmap for 4096 bytes (length); this exercise wants 8192 (two pages of 4096 bytes)")
        let page = try #require(returns(of: "mmap", in: recorded("anon-one-page")).first)
        #expect(failure?.nearest == "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = \(page)")
        _ = try fails([Blocks.anonOnlyOne], recorded("five-big-chunks"), line: 100,
                      explanation: "this exercise wants exactly 1 mmap call like this after main; your program made 5")
    }

    @Test func unalignedOffset() throws {
        try passes([Blocks.unaligned], recorded("unaligned-offset"))
    }

    @Test func readOnlyWrite() throws {
        try passes([Blocks.readOnlyWrite], recorded("read-only-write"))
        _ = try fails([Blocks.readOnlyWrite], recorded("anon-one-page"), line: 100, explanation: "protection")
    }

    @Test func sharedMessage() throws {
        try passes([Blocks.sharedMessage], recorded("shared-message"))
        _ = try fails([Blocks.sharedMessage], recorded("private-copy"), line: 100,
                      explanation: "your program asked mmap for 4 bytes (length); this exercise wants 4096 (one page of 4096 bytes)")
    }

    @Test func privateCopy() throws {
        try passes([Blocks.privateCopy], recorded("private-copy"))
        _ = try fails([Blocks.privateCopy], recorded("shared-message"), explanation: "")
    }

    @Test func mapFile() throws {
        try passes([Blocks.mapFile], recorded("map-file"))
    }

    // Swift programs: the runtime's start-up is long (~230 calls) and grows the heap before main.

    @Test func fiveSmallChunksSwift() throws {
        let run = recorded("five-small-chunks-swift")
        try passes([Blocks.fiveSmall], run)
        // No growth of its own after main: the C-only block would fail, which is why it is C-only.
        _ = try fails([Blocks.fiveSmallC], run, line: 100, explanation: "your program made brk calls only during start-up, before main; this exercise wants one after main")
    }

    @Test func freeReturnsSwift() throws {
        try passes([Blocks.freeReturns], recorded("free-returns-swift"))
    }

    @Test func readOnlyWriteSwift() throws {
        try passes([Blocks.readOnlyWrite], recorded("read-only-write-swift"))
    }

    @Test func sharedMessageSwift() throws {
        try passes([Blocks.sharedMessage], recorded("shared-message-swift"))
    }
}
