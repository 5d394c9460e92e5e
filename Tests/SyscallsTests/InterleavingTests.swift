// strace's lines for interleaved processes, from entries and merged events.
import Testing
@testable import Syscalls

@Suite struct InterleavingTests {
    /// Runs entries ("enter") and events in order through a writer; the text it printed.
    static func render(_ steps: [Step], prefix: StraceFormat.PidPrefix = .column) -> String {
        var writer = StraceInterleaving()
        var bytes: [UInt8] = []
        for step in steps {
            switch step {
            case .enter(let pid, let entry):
                writer.enter(SyscallEntryNotice(pid: pid, number: entry.number, name: SyscallTable.displayName(of: entry.number),
                                                printed: entry.printedAtEntry ?? ""), pidPrefix: prefix, to: &bytes)
            case .exit(let pid, let entry, let returns):
                let call = SyscallDecoder.exit(entry, returnValue: returns, memory: EntryTextTests.memory)
                writer.append(TraceEvent(sequence: 0, pid: pid, phase: .program, kind: .syscall(call)), pidPrefix: prefix, to: &bytes)
            case .event(let pid, let kind):
                writer.append(TraceEvent(sequence: 0, pid: pid, phase: .program, kind: kind), pidPrefix: prefix, to: &bytes)
            }
        }
        writer.finish(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    enum Step {
        case enter(Int32, SyscallEntry)
        case exit(Int32, SyscallEntry, Int64?)
        case event(Int32, TraceEventKind)
    }

    static func entry(_ number: Int, _ args: [UInt64]) -> SyscallEntry {
        SyscallDecoder.entry(number: number, arguments: args + [UInt64](repeating: 0, count: 6 - args.count), memory: EntryTextTests.memory)
    }

    @Test func aCallNobodyInterruptsIsOneLine() {
        let write = Self.entry(1, [1, 0x1000, 6])
        #expect(Self.render([.enter(7, write), .exit(7, write, 6)]) == "7     write(1, \"hello\\n\", 6)            = 6\n")
    }

    @Test func anInterruptedCallIsUnfinishedThenResumed() {
        let read = Self.entry(0, [3, 0x1000, 16])
        let sleep = Self.entry(230, [0, 0, 0x3000, 0])
        let write = Self.entry(1, [4, 0x1000, 6])
        let text = Self.render([
            .enter(10, sleep), .enter(11, read), .exit(10, sleep, 0), .enter(10, write), .exit(10, write, 6), .exit(11, read, 6),
            .event(11, .spawned(child: 12, isThread: false)),  // prints nothing: closes nothing
            .event(11, .exit(.exited(status: 3))),
        ])
        #expect(text == """
            10    clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000},  <unfinished ...>
            11    read(3,  <unfinished ...>
            10    <... clock_nanosleep resumed>NULL) = 0
            10    write(4, "hello\\n", 6)            = 6
            11    <... read resumed>"hello\\n", 16)  = 6
            11    +++ exited with 3 +++

            """)
    }

    @Test func aCallWhoseArgumentsAreKnownAtEntryResumesWithItsReturnOnly() {
        let exitGroup = Self.entry(231, [0])
        let wait = Self.entry(61, [UInt64(bitPattern: -1), 0x4000, 0, 0])
        let text = Self.render([.enter(1, wait), .enter(2, exitGroup), .exit(2, exitGroup, nil), .event(2, .exit(.exited(status: 0))),
                                .exit(1, wait, 2)], prefix: .bracketed)
        #expect(text == """
            [pid     1] wait4(-1,  <unfinished ...>
            [pid     2] exit_group(0)               = ?
            [pid     2] +++ exited with 0 +++
            [pid     1] <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 2

            """)
    }

    @Test func aSignalClosesTheOpenLineAndAnOpenLineAtTheEndStaysUnfinished() {
        let read = Self.entry(0, [0, 0x1000, 16])
        let signal = SignalEvent(signal: 17, code: 1, rendered: "{si_signo=SIGCHLD, si_code=CLD_EXITED}")
        #expect(Self.render([.enter(5, read), .event(6, .signal(signal))], prefix: .none) == """
            read(0,  <unfinished ...>
            --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED} ---

            """)
        #expect(Self.render([.enter(5, read)], prefix: .none) == "read(0,  <unfinished ...>\n")
    }

    @Test func anExitWithoutItsEntryPrintsTheWholeLine() {
        // The entry was before main, or filtered out: the event prints as one line.
        let mmap = Self.entry(9, [0, 4096, 3, 0x22, UInt64(bitPattern: -1), 0])
        #expect(Self.render([.exit(3, mmap, 0x7f00_0000_0000)], prefix: .none)
                == "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000\n")
    }
}
