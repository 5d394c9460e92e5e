// `malloc(…) = $p` … `free($p)`: library-call events matched like calls.

import Testing
@testable import Expectations
import EventBuilder
import Syscalls

@Suite struct LibraryCallMatchTests {
    static func library(_ t: inout TraceBuilder, _ function: String, _ args: [UInt64], _ result: UInt64?) {
        let call = EventBuilder.libraryCall(function, args, result)
        t.events.append(TraceEvent(sequence: t.events.count, pid: t.root, phase: t.phase, kind: .libraryCall(call)))
    }

    static func run() -> ProgramRun {
        var t = TraceBuilder()
        library(&t, "malloc", [200000], 0x7fff_f000_0010)
        t.mmap(length: 200704, result: 0x7fff_f000_0000)
        library(&t, "malloc", [16], 0x5555_0000_02a0)
        library(&t, "free", [0x7fff_f000_0010], nil)
        t.munmap(0x7fff_f000_0000, 200704)
        return t.run
    }

    @Test func parsesLibraryFunctionsOnly() throws {
        _ = try ExpectationScript.parse("malloc(…) = $p\nfree($p)\ncalloc(_, _)\nrealloc($p, 10) = $q\nmallopt(…)\nsbrk(0) = $b", file: "l.md", line: 1)
        #expect(throws: ExpectationDiagnostic.self) { try ExpectationScript.parse("posix_memalign(…)", file: "l.md", line: 1) }
    }

    @Test func capturesFlowFromMallocToFree() throws {
        let good = try ExpectationScript.parse("malloc(200000) = $p\nmmap(NULL, 200704, …) = $m\nfree($p)\nmunmap($m, 200704)", file: "l.md", line: 1)
        #expect(Matcher.match([good], against: Self.run()).passed)
        let wrongOrder = try ExpectationScript.parse("free(_)\nmalloc(…)", file: "l.md", line: 1)
        #expect(!Matcher.match([wrongOrder], against: Self.run()).passed)
        let counted = try ExpectationScript.parse("malloc(…) × 2\nnever calloc(…)", file: "l.md", line: 1)
        #expect(Matcher.match([counted], against: Self.run()).passed)
        let leak = try ExpectationScript.parse("malloc(16) = $q\nfree($q)", file: "l.md", line: 1)
        let result = Matcher.match([leak], against: Self.run())
        #expect(!result.passed)
        #expect(result.failures.first?.expectation == "free($q)")
    }

    @Test func mentioned() {
        #expect(LibraryCallNames.mentioned(in: "malloc(…) = $p"))
        #expect(LibraryCallNames.mentioned(in: "mmap(…)\n  free($p)"))
        #expect(!LibraryCallNames.mentioned(in: "mmap(…) = $p\nmunmap($p, _)"))
        #expect(!LibraryCallNames.mentioned(in: "stdout contains \"my_malloc(\""))
    }
}
