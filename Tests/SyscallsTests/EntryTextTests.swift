// What strace prints of a call when it starts (`SyscallEntry.straceEntryText`): the first part of
// a line another process interrupts (`read(3,  <unfinished ...>`), always a prefix of the whole.
import Testing
@testable import Syscalls

@Suite struct EntryTextTests {
    static func entryAndEvent(_ number: Int, _ args: [UInt64], returns: Int64?, memory: FakeMemory = FakeMemory())
        -> (entry: SyscallEntry, event: SyscallEvent) {
        let padded = args + [UInt64](repeating: 0, count: max(0, 6 - args.count))
        let entry = SyscallDecoder.entry(number: number, arguments: padded, memory: memory)
        return (entry, SyscallDecoder.exit(entry, returnValue: returns, memory: memory))
    }

    static var memory: FakeMemory {
        var memory = FakeMemory()
        memory.map(0x1000, Array("hello\n".utf8) + [UInt8](repeating: 0, count: 26))          // a buffer
        memory.mapCString(0x2000, "/etc/passwd")                                              // a path
        memory.mapCString(0x2100, "")                                                         // an empty path
        memory.map(0x3000, [0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x42, 0x0f, 0, 0, 0, 0, 0])           // timespec {0, 1000000}
        memory.map(0x3100, [1, 0, 0, 0, 0, 0, 0, 0, 0x74, 0x9d, 0, 0, 0, 0, 0, 0])             // timespec {1, 40308}
        memory.map(0x4000, [0x00, 0x03, 0, 0, 0, 0, 0, 0])                                    // wait status: exited 3
        memory.map(0x5000, [3, 0, 0, 0, 4, 0, 0, 0])                                          // pipe fds
        memory.map(0x6000, [UInt8](repeating: 0, count: 144))                                 // struct stat
        memory.map(0x7000, [UInt8](repeating: 0, count: 8))                                   // sigset
        memory.map(0x7100, [UInt8](repeating: 0, count: 88))                                  // sigaction, as strace reads it
        memory.map(0x8000, [0x00, 0x10, 0x10, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 80)) // clone_args: PARENT_SETTID|VM
        return memory
    }

    static let calls: [(name: String, number: Int, args: [UInt64], returns: Int64, atEntry: String)] = [
        ("read", 0, [3, 0x1000, 16], 6, "3, "),
        ("pread64", 17, [3, 0x1000, 16, 64], 6, "3, "),
        ("wait4", 61, [UInt64(bitPattern: -1), 0x4000, 0, 0], 1234, "-1, "),
        ("getrandom", 318, [0x1000, 4, 0], 4, ""),
        ("newfstatat", 262, [3, 0x2100, 0x6000, 0x1000], 0, "3, \"\", "),
        ("fstat", 5, [0, 0x6000], 0, "0, "),
        ("pipe2", 293, [0x5000, 0], 0, ""),
        ("ioctl TCGETS", 16, [1, 0x5401, 0x7000], -25, "1, TCGETS, "),
        ("ioctl other", 16, [1, 0x1234, 0x7000], -25, "0x1, 0x1234, 0x7000"),  // raw form
        ("rt_sigprocmask", 14, [0, 0x7000, 0x7000, 8], 0, "SIG_BLOCK, [], "),
        ("rt_sigaction", 13, [14, 0x7100, 0x7100, 8], 0, "SIGALRM, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, "),
        ("nanosleep", 35, [0x3000, 0], 0, "{tv_sec=0, tv_nsec=1000000}, "),
        ("clock_nanosleep", 230, [0, 0, 0x3000, 0x3100], 0, "CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000}, "),
        ("clone", 56, [0x1200011, 0, 0, 0x7f00, 0], 99, "child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD"),
        ("write", 1, [1, 0x1000, 6], 6, "1, \"hello\\n\", 6"),
        ("openat", 257, [UInt64(bitPattern: -100), 0x2000, 0], 3, "AT_FDCWD, \"/etc/passwd\", O_RDONLY"),
        ("mmap", 9, [0, 4096, 3, 0x22, UInt64(bitPattern: -1), 0], 0x7f00_0000_0000, "NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0"),
        ("exit_group", 231, [3], 0, "3"),
        ("getpid", 39, [], 77, ""),
        ("unknown", 500, [1, 2], -38, "0x1, 0x2, 0, 0, 0, 0"),
    ]

    @Test(arguments: calls.indices)
    func theEntryTextIsStracesAndAPrefixOfTheWhole(_ index: Int) {
        let call = Self.calls[index]
        let (entry, event) = Self.entryAndEvent(call.number, call.args, returns: call.returns, memory: Self.memory)
        #expect(entry.straceEntryText == call.atEntry, "\(call.name)")
        #expect(event.renderedArguments.hasPrefix(entry.straceEntryText), "\(call.name): \(event.renderedArguments)")
    }

    @Test func clone3PrintsItsSizeAtEntryUnlessTheKernelWritesBack() {
        var memory = Self.memory
        memory.map(0x9000, [0x00, 0x01, 0, 0, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 80))  // CLONE_VM only
        let plain = Self.entryAndEvent(Nr.clone3, [0x9000, 88], returns: 99, memory: memory)
        #expect(plain.entry.straceEntryText.hasSuffix("}, 88"), "\(plain.entry.straceEntryText)")
        #expect(plain.event.renderedArguments == plain.entry.straceEntryText)
        let writesBack = Self.entryAndEvent(Nr.clone3, [0x8000, 88], returns: 99, memory: memory)
        #expect(writesBack.entry.straceEntryText.hasSuffix("}"), "\(writesBack.entry.straceEntryText)")
        #expect(writesBack.event.renderedArguments.hasPrefix(writesBack.entry.straceEntryText))
    }

    @Test func sleepsAsStracePrintsThem() {
        let memory = Self.memory
        #expect(line(Self.entryAndEvent(Nr.nanosleep, [0x3000, 0], returns: 0, memory: memory).event)
                == "nanosleep({tv_sec=0, tv_nsec=1000000}, NULL) = 0")
        #expect(line(Self.entryAndEvent(Nr.clockNanosleep, [0, 0, 0x3000, 0x3100], returns: 0, memory: memory).event)
                == "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000}, 0x3100) = 0")
        #expect(line(Self.entryAndEvent(Nr.clockNanosleep, [1, 1, 0x3000, 0], returns: 0, memory: memory).event)
                == "clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, {tv_sec=0, tv_nsec=1000000}, NULL) = 0")
        // Cut short by a signal: the time left is shown.
        #expect(line(Self.entryAndEvent(Nr.clockNanosleep, [0, 0, 0x3000, 0x3100], returns: -516, memory: memory).event)
                == "clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=1000000}, {tv_sec=1, tv_nsec=40308}) = ? ERESTART_RESTARTBLOCK (Interrupted by signal)")
        #expect(line(Self.entryAndEvent(Nr.clockNanosleep, [42, 0, 0x3000, 0x3100], returns: -22, memory: memory).event)
                == "clock_nanosleep(0x2a /* CLOCK_??? */, 0, {tv_sec=0, tv_nsec=1000000}, 0x3100) = -1 EINVAL (Invalid argument)")
        #expect(line(Self.entryAndEvent(Nr.clockNanosleep, [0, 7, 0x3000, 0], returns: 0, memory: memory).event)
                == "clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME|0x6, {tv_sec=0, tv_nsec=1000000}, NULL) = 0")
    }
}
