// strace's lines for interleaved processes: calls reported unfinished, then their events.
import Testing
@testable import Syscalls

@Suite struct InterleavingTests {
    enum Step {
        case unfinished(Int32, SyscallEntry)
        case exit(Int32, SyscallEntry, Int64?)
        case event(Int32, TraceEventKind)
    }

    /// The text a writer prints for `steps`.
    static func render(_ steps: [Step], prefix: StraceFormat.PidPrefix = .column) -> String {
        var writer = StraceInterleaving()
        var bytes: [UInt8] = []
        for step in steps {
            switch step {
            case .unfinished(let pid, let entry):
                let call = UnfinishedCall(pid: pid, number: entry.number, name: SyscallTable.displayName(of: entry.number),
                                          printed: entry.straceEntryText, liveAtEntry: 2)
                writer.unfinished(call, pidPrefix: prefix, to: &bytes)
            case .exit(let pid, let entry, let returns):
                let call = SyscallDecoder.exit(entry, returnValue: returns, memory: EntryTextTests.memory)
                writer.append(TraceEvent(sequence: 0, pid: pid, phase: .program, kind: .syscall(call)), pidPrefix: prefix, to: &bytes)
            case .event(let pid, let kind):
                writer.append(TraceEvent(sequence: 0, pid: pid, phase: .program, kind: kind), pidPrefix: prefix, to: &bytes)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func entry(_ number: Int, _ args: [UInt64]) -> SyscallEntry {
        SyscallDecoder.entry(number: number, arguments: args + [UInt64](repeating: 0, count: 6 - args.count), memory: EntryTextTests.memory)
    }

    @Test func aCallNobodyInterruptsIsOneLine() {
        let write = Self.entry(Nr.write, [1, 0x1000, 6])
        #expect(Self.render([.exit(7, write, 6)]) == "7     write(1, \"hello\\n\", 6)            = 6\n")
    }

    @Test func anInterruptedCallIsUnfinishedThenResumed() {
        let read = Self.entry(Nr.read, [3, 0x1000, 16])
        let sleep = Self.entry(Nr.clockNanosleep, [0, 0, 0x3000, 0])
        let write = Self.entry(Nr.write, [4, 0x1000, 6])
        let text = Self.render([
            .unfinished(10, sleep), .unfinished(11, read), .exit(10, sleep, 0), .exit(10, write, 6), .exit(11, read, 6),
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
        let exitGroup = Self.entry(Nr.exitGroup, [0])
        let wait = Self.entry(Nr.wait4, [UInt64(bitPattern: -1), 0x4000, 0, 0])
        let clone = Self.entry(Nr.clone, [0x1200011, 0, 0, 0x7f00, 0])
        let text = Self.render([.unfinished(1, wait), .exit(2, exitGroup, nil), .event(2, .exit(.exited(status: 0))),
                                .exit(1, wait, 2), .unfinished(1, clone), .exit(1, clone, 3)], prefix: .bracketed)
        #expect(text == """
            [pid     1] wait4(-1,  <unfinished ...>
            [pid     2] exit_group(0)               = ?
            [pid     2] +++ exited with 0 +++
            [pid     1] <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 2
            [pid     1] clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD <unfinished ...>
            [pid     1] <... clone resumed>, child_tidptr=0x7f00) = 3

            """)
    }

    @Test func aResumedLineNeedsTheSameCall() {
        // An exit that is not the unfinished call's (a thread replaced by an exec) prints whole.
        let read = Self.entry(Nr.read, [0, 0x1000, 16])
        let mmap = Self.entry(Nr.mmap, [0, 4096, 3, 0x22, UInt64(bitPattern: -1), 0])
        #expect(Self.render([.unfinished(5, read), .exit(5, mmap, 0x7f00_0000_0000)], prefix: .none) == """
            read(0,  <unfinished ...>
            mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000

            """)
    }
}
