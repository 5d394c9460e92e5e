// Beyond strace: fault injection, source lines, library calls. Real ptrace, fixtures from
// Tests/Fixtures/beyond compiled at test time with `cc -O0 -g` (or swiftc -Onone -g).

import Syscalls
import Testing
@testable import Tracing
#if canImport(Glibc)
import Glibc
#endif

enum BeyondFixture {
    static func trace(_ name: String, configure: (inout TraceRequest) -> Void = { _ in }) throws -> TraceOutcome {
        var request = TraceRequest(executable: try Fixture.path(name, of: "beyond"))
        request.stdin = .null
        request.capture = OutputCapture()
        request.timeout = 20
        configure(&request)
        return try Tracer.run(request)
    }
}

extension TraceOutcome {
    var output: String { String(decoding: run.stdout, as: UTF8.self) }
    var syscalls: [SyscallEvent] { run.events.compactMap(\.syscall) }
}

@Suite("Fault injection") struct FaultInjectionTests {
    @Test func parsesStraceSyntax() throws {
        let rule = try FaultInjection.parse("mmap:error=ENOMEM:when=2")
        #expect(rule.syscalls == [9])
        #expect(rule.returnValue == -12)
        #expect((1...5).filter(rule.hits) == [2])
        #expect((1...8).filter(try FaultInjection.parse("brk:error=ENOMEM:when=3+").hits) == [3, 4, 5, 6, 7, 8])
        #expect((1...9).filter(try FaultInjection.parse("brk:error=EAGAIN:when=2+3").hits) == [2, 5, 8])
        #expect((1...9).filter(try FaultInjection.parse("mmap:error=ENOMEM:when=2..4").hits) == [2, 3, 4])
        #expect((1...9).filter(try FaultInjection.parse("mmap:error=12:when=2..8+3").hits) == [2, 5, 8])
        #expect((1...3).filter(try FaultInjection.parse("inject=mmap,munmap:retval=0").hits) == [1, 2, 3])
        #expect(try FaultInjection.parse("mmap,munmap:retval=0x1000").returnValue == 0x1000)
        #expect(try FaultInjection.parse("mmap,munmap:retval=0").syscalls == [9, 11])
    }

    @Test(arguments: ["", "mmap", "nosuchcall:error=ENOMEM", "mmap:error=ENOTANERRNO", "mmap:error=ENOMEM:when=0",
                      "mmap:error=ENOMEM:when=3..2", "mmap:error=ENOMEM:retval=1", "mmap:error=ENOMEM:delay_enter=1",
                      "mmap:when=2"])
    func rejectsBadRules(_ text: String) {
        #expect(throws: FaultInjection.ParseError.self) { try FaultInjection.parse(text) }
    }

    @Test func secondMmapFailsAndACheckingProgramSurvives() throws {
        let outcome = try BeyondFixture.trace("twice") { request in
            request.faultInjections = [try! FaultInjection.parse("mmap:error=ENOMEM:when=2+"),
                                       try! FaultInjection.parse("brk:error=ENOMEM:when=3+")]
        }
        #expect(outcome.run.exit == .exited(status: 1))
        #expect(outcome.output == "allocation failed\n")
        let mmaps = outcome.run.events.filter { $0.phase == .program }.compactMap(\.syscall).filter { $0.number == Nr.mmap }
        #expect(mmaps.count >= 2)
        #expect(mmaps[0].succeeded)
        #expect(mmaps[1].returnValue == -12)
        #expect(mmaps[1].renderedReturn == "-1 ENOMEM (Cannot allocate memory) (INJECTED)")
        // The refused brk looks like the kernel's own refusal: the old break, marked injected.
        let refused = try #require(outcome.syscalls.first { $0.number == Nr.brk && $0.renderedReturn.hasSuffix("(INJECTED)") })
        #expect(refused.returnValue.map { UInt64(bitPattern: $0) } != refused.arguments[0])
    }

    @Test func aProgramThatDoesNotCheckCrashes() throws {
        let outcome = try BeyondFixture.trace("unchecked") { request in
            request.faultInjections = [try! FaultInjection.parse("mmap:error=ENOMEM:when=2+"),
                                       try! FaultInjection.parse("brk:error=ENOMEM:when=3+")]
        }
        #expect(outcome.run.exit == .killed(signal: SIGSEGV, coreDumped: false) || outcome.run.exit == .killed(signal: SIGSEGV, coreDumped: true))
    }

    @Test func withoutInjectionBothWork() throws {
        let outcome = try BeyondFixture.trace("twice")
        #expect(outcome.run.exit == .exited(status: 0))
        #expect(outcome.output == "both allocations worked\n")
        #expect(!outcome.syscalls.contains { $0.renderedReturn.contains("INJECTED") })
    }

    @Test func retvalAndOnlyTheChosenCall() throws {
        // munmap "succeeds" without unmapping: the 1st is skipped, later ones run.
        let outcome = try BeyondFixture.trace("twice") { request in
            request.faultInjections = [try! FaultInjection.parse("write:retval=24:when=1")]
        }
        let writes = outcome.syscalls.filter { $0.number == Nr.write }
        #expect(writes.count == 1)
        #expect(writes[0].renderedReturn == "24 (INJECTED)")
        #expect(outcome.run.stdout.isEmpty)  // skipped: nothing was written
        #expect(outcome.run.exit == .exited(status: 0))
    }

    @Test func worksWithASeccompFilterToo() throws {
        let outcome = try BeyondFixture.trace("twice") { request in
            request.syscallFilter = [Nr.mmap, Nr.brk, Nr.munmap, Nr.write]
            request.faultInjections = [try! FaultInjection.parse("mmap:error=ENOMEM:when=2+"),
                                       try! FaultInjection.parse("brk:error=ENOMEM:when=3+")]
        }
        #expect(outcome.run.exit == .exited(status: 1))
        #expect(outcome.output == "allocation failed\n")
    }
}

@Suite("Source lines") struct SourceLineTests {
    static func mmaps(_ outcome: TraceOutcome) -> [TraceEvent] {
        outcome.run.events.filter { $0.syscall?.number == Nr.mmap || $0.syscall?.number == Nr.munmap }
    }

    @Test func eachCallNamesTheInnermostLearnerLine() throws {
        let outcome = try BeyondFixture.trace("lines") { $0.extras.sourceLines = true }
        let sources = Self.mmaps(outcome).map { $0.source?.description }
        #expect(sources == ["lines.c:5 in main", "lines.c:3 in grab", "lines.c:7 in main", "lines.c:8 in main"])
        // Start-up and exit have no learner line.
        #expect(outcome.run.events.filter { $0.phase == .startup }.allSatisfy { $0.source == nil })
        #expect(outcome.run.events.last?.source == nil)
    }

    @Test func aFaultNamesTheFaultingLine() throws {
        let outcome = try BeyondFixture.trace("lines") { request in
            request.arguments = ["crash"]
            request.extras.sourceLines = true
        }
        let signal = try #require(outcome.run.events.first { if case .signal = $0.kind { return true } else { return false } })
        #expect(signal.source == EventSource(file: "lines.c", line: 9, function: "main"))
    }

    @Test func costsNothingUnlessAsked() throws {
        let outcome = try BeyondFixture.trace("lines")
        #expect(outcome.run.events.allSatisfy { $0.source == nil })
    }

    @Test func worksWithASeccompFilter() throws {
        let outcome = try BeyondFixture.trace("lines") { request in
            request.syscallFilter = [Nr.mmap, Nr.munmap]
            request.extras.sourceLines = true
        }
        #expect(Self.mmaps(outcome).filter { $0.phase == .program }.map { $0.source?.description }
                == ["lines.c:5 in main", "lines.c:3 in grab", "lines.c:7 in main", "lines.c:8 in main"])
    }
}

@Suite("Library calls") struct LibraryCallTests {
    static func calls(_ outcome: TraceOutcome) -> [(event: TraceEvent, call: LibraryCallEvent)] {
        outcome.run.events.compactMap { event in
            if case .libraryCall(let call) = event.kind { return (event, call) } else { return nil }
        }
    }

    @Test func everyTracedFunctionFromTheProgram() throws {
        let outcome = try BeyondFixture.trace("calls") { $0.extras.libraryCalls = true }
        #expect(outcome.run.exit == .exited(status: 0))
        let calls = Self.calls(outcome).map(\.call)
        #expect(calls.map(\.function) == ["mallopt", "malloc", "calloc", "realloc", "sbrk", "mmap", "munmap", "free", "free"])
        #expect(calls.map(\.renderedArguments).prefix(3) == ["M_MMAP_THRESHOLD, 65536", "5000", "10, 100"])
        let malloc = calls[1], calloc = calls[2], realloc = calls[3], sbrk = calls[4], mmap = calls[5]
        #expect(realloc.arguments == [malloc.returnValue!, 100000])
        #expect(calls[7].arguments == [calloc.returnValue!])
        #expect(calls[8].arguments == [realloc.returnValue!])
        #expect(calls[8].renderedReturn == nil && calls[8].text.hasPrefix("free(0x"))
        #expect(mmap.renderedArguments == "NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0")
        #expect(calls[6].arguments == [mmap.returnValue!, 8192] && calls[6].renderedReturn == "0")
        // The program printed what sbrk(0) returned: the return value is the real one.
        #expect(outcome.output == "0x\(String(sbrk.returnValue!, radix: 16))\n")
        #expect(calls.allSatisfy { $0.returned })
    }

    @Test func syscallsAreNestedUnderTheCallThatCausedThem() throws {
        let outcome = try BeyondFixture.trace("calls") { $0.extras.libraryCalls = true }
        let events = outcome.run.events
        let mmapCall = try #require(Self.calls(outcome).first { $0.call.function == "mmap" })
        // The call comes first; its syscall right after, pointing back to it.
        let index = try #require(events.firstIndex { $0.sequence == mmapCall.event.sequence })
        let nested = events[index + 1]
        #expect(nested.syscall?.number == Nr.mmap)
        #expect(nested.parentCall == mmapCall.event.sequence)
        #expect(UInt64(bitPattern: nested.syscall!.returnValue!) == mmapCall.call.returnValue)
        // Sequences stay in order.
        #expect(events.map(\.sequence) == Array(0..<events.count))
        // Events outside calls have no parent; the first malloc set up the heap (brk inside it).
        let malloc = try #require(Self.calls(outcome).first { $0.call.function == "malloc" })
        #expect(events.contains { $0.parentCall == malloc.event.sequence && $0.syscall?.number == Nr.brk })
        #expect(events.filter { $0.syscall?.number == Nr.write }.allSatisfy { $0.parentCall == nil })
    }

    @Test func withSourceLines() throws {
        let outcome = try BeyondFixture.trace("calls") { request in
            request.extras.libraryCalls = true
            request.extras.sourceLines = true
        }
        let sources = Self.calls(outcome).map { $0.event.source?.description ?? "-" }
        #expect(sources.prefix(3) == ["calls.c:25 in main", "calls.c:26 in main", "calls.c:27 in main"])
    }

    @Test func forkedChildrenToo() throws {
        let outcome = try BeyondFixture.trace("calls") { request in
            request.arguments = ["fork"]
            request.extras.libraryCalls = true
        }
        #expect(outcome.run.exit == .exited(status: 0))
        let child = Self.calls(outcome).filter { $0.event.pid != outcome.run.rootPid }
        #expect(child.map(\.call.function) == ["malloc", "free"])
        #expect(child.first?.call.arguments == [77])
    }

    @Test func threadsToo() throws {
        let outcome = try BeyondFixture.trace("calls") { request in
            request.arguments = ["threads"]
            request.extras.libraryCalls = true
        }
        #expect(outcome.run.exit == .exited(status: 0))
        let threads = Self.calls(outcome).filter { $0.event.pid != outcome.run.rootPid }
        #expect(threads.map(\.call.text).filter { $0.hasPrefix("malloc") }.map { $0.prefix(12) } == ["malloc(1111)", "malloc(2222)"])
        #expect(Set(threads.map(\.event.pid)).count == 2)
    }

    @Test func aSwiftProgramsDirectCalls() throws {
        let outcome = try BeyondFixture.trace("swiftcalls") { request in
            request.extras.libraryCalls = true
            request.extras.sourceLines = true
        }
        #expect(outcome.output == "done\n")
        let calls = Self.calls(outcome)
        // Only the program's own calls: the Swift runtime's allocations are not listed.
        #expect(calls.map(\.call.function) == ["malloc", "calloc", "free", "free"])
        #expect(calls.first?.call.arguments == [200000])
        #expect(calls.first?.event.source == EventSource(file: "swiftcalls.swift", line: 5, function: "grab(_:)"))
    }

    @Test func signalsArrivingDuringStepOversLoseNoCall() throws {
        let outcome = try BeyondFixture.trace("calls") { request in
            request.arguments = ["signals"]
            request.extras.libraryCalls = true
            request.recordEvents = true
        }
        #expect(outcome.run.exit == .exited(status: 0))
        let calls = Self.calls(outcome).map(\.call)
        #expect(calls.filter { $0.function == "malloc" && $0.arguments == [64] }.count == 3000)
        #expect(calls.filter { $0.function == "free" }.count == 3002)
        #expect(outcome.output.hasSuffix("ticks yes\n"))
        #expect(outcome.run.events.contains { if case .signal(let s) = $0.kind { return s.signal == SIGALRM } else { return false } })
    }

    @Test func costsNothingUnlessAsked() throws {
        let outcome = try BeyondFixture.trace("calls")
        #expect(Self.calls(outcome).isEmpty)
        #expect(outcome.run.events.allSatisfy { $0.parentCall == nil })
    }
}
