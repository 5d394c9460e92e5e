// Decoding and rendering of hand-built calls, signals and exits, with a fake tracee memory.
import Foundation
import Testing
@testable import Syscalls

@Suite struct RenderingTests {
    @Test func memoryCalls() {
        #expect(line(decode(Nr.brk, [0], returns: 0x55d0c0a1e000)) == "brk(NULL)                               = 0x55d0c0a1e000")
        #expect(line(decode(Nr.mmap, [0, 208896, 3, 0x22, UInt64.max, 0], returns: 0x7f3b35486000))
                == "mmap(NULL, 208896, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f3b35486000")
        #expect(line(decode(Nr.mmap, [0, 1 << 47, 1, 0x22, UInt64.max, 0], returns: -12))
                == "mmap(NULL, 140737488355328, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = -1 ENOMEM (Cannot allocate memory)")
        #expect(decode(Nr.mmap, [0x7f5368f43000, 1400832, 5, 0x812, 3, 0x26000], returns: 0x7f5368f43000).renderedArguments
                == "0x7f5368f43000, 1400832, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x26000")
        #expect(decode(Nr.mmap, [0, 4096, 0x10, 0x40, 5, 4096], returns: -9).renderedArguments
                == "NULL, 4096, 0x10 /* PROT_??? */, MAP_FILE|MAP_32BIT, 5, 0x1000")
        #expect(decode(Nr.mmap, [0, 4096, 0, 0x80000121, UInt64.max, 0], returns: -22).renderedArguments
                == "NULL, 4096, PROT_NONE, MAP_SHARED|MAP_ANONYMOUS|MAP_GROWSDOWN|32<<MAP_HUGE_SHIFT, -1, 0")
        #expect(line(decode(Nr.munmap, [0x7f3b35486000, 208896], returns: 0)) == "munmap(0x7f3b35486000, 208896)          = 0")
        #expect(decode(Nr.mprotect, [0x1000, 4096, 0x20], returns: -22).renderedArguments == "0x1000, 4096, 0x20 /* PROT_??? */")
        #expect(decode(Nr.mremap, [0x1000, 4096, 8192, 3, 0x20000000], returns: -22).renderedArguments
                == "0x1000, 4096, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, 0x20000000")
        #expect(decode(Nr.mremap, [0x1000, 4096, 8192, 1, 0x20000000], returns: 0x7f0000000000).renderedReturn == "0x7f0000000000")
        #expect(decode(Nr.madvise, [0x1000, 4096, 999], returns: -22).renderedArguments == "0x1000, 4096, 0x3e7 /* MADV_??? */")
        #expect(decode(Nr.madvise, [0x1000, 4096, 4], returns: 0).renderedArguments == "0x1000, 4096, MADV_DONTNEED")
        #expect(decode(Nr.msync, [0x1000, 4096, 6], returns: 0).renderedArguments == "0x1000, 4096, MS_SYNC|MS_INVALIDATE")
        #expect(decode(Nr.mlock, [0x1000, 4096], returns: 0).renderedArguments == "0x1000, 4096")
        #expect(decode(Nr.munlock, [0x1000, 4096], returns: 0).renderedArguments == "0x1000, 4096")
        #expect(decode(Nr.mlockall, [0x100], returns: -22).renderedArguments == "0x100 /* MCL_??? */")
        #expect(line(decode(Nr.munlockall, [], returns: 0)) == "munlockall()                            = 0")
    }

    @Test func exitGroupNeverReturns() {
        let event = decode(Nr.exitGroup, [0], returns: nil)
        #expect(line(event) == "exit_group(0)                           = ?")
        #expect(event.returnValue == nil && !event.succeeded)
        #expect(line(decode(Nr.exit, [42], returns: nil)) == "exit(42)                                = ?")
    }

    @Test func writeBuffersAsStracePrintsThem() {
        var memory = FakeMemory()
        memory.map(0x1000, "hello\n")
        memory.map(0x2000, Array("a\tb\\c\"d".utf8) + [1, 0x7f, 0xff, 0x0d, 0x0b, 0x0c, 0x1b] + Array("0123456789012345678901234567890123456789".utf8))
        memory.map(0x3000, [0, 0x31, 0, 0x61, 1, 0x32])
        memory.map(0x4000, "123456789012345678901234567890abc")
        let hello = decode(Nr.write, [1, 0x1000, 6], returns: 6, memory: memory)
        #expect(line(hello) == #"write(1, "hello\n", 6)                  = 6"#)
        #expect(hello.data == Array("hello\n".utf8))
        #expect(decode(Nr.write, [1, 0x2000, 55], returns: 55, memory: memory).renderedArguments
                == #"1, "a\tb\\c\"d\1\177\377\r\v\f\033012345678901234567"..., 55"#)
        #expect(decode(Nr.write, [1, 0x3000, 6], returns: 6, memory: memory).renderedArguments == #"1, "\0001\0a\0012", 6"#)
        #expect(decode(Nr.write, [1, 0x4000, 32], returns: 32, memory: memory).renderedArguments == #"1, "123456789012345678901234567890ab", 32"#)
        #expect(decode(Nr.write, [1, 0x4000, 33], returns: 33, memory: memory).renderedArguments == #"1, "123456789012345678901234567890ab"..., 33"#)
        #expect(decode(Nr.write, [1, 0x4000, 0], returns: 0, memory: memory).renderedArguments == #"1, "", 0"#)
        // Unreadable: the address; NULL for 0; a buffer cut short by unmapped memory is unreadable too.
        let unreadable = decode(Nr.write, [1, 0x8, 10], returns: -14, memory: memory)
        #expect(unreadable.renderedArguments == "1, 0x8, 10")
        #expect(unreadable.renderedReturn == "-1 EFAULT (Bad address)")
        #expect(unreadable.data == nil)
        #expect(decode(Nr.write, [1, 0, 5], returns: -14, memory: memory).renderedArguments == "1, NULL, 5")
        #expect(decode(Nr.write, [1, 0x1000, 20], returns: 20, memory: memory).renderedArguments == "1, 0x1000, 20")
        #expect(decode(Nr.write, [UInt64(bitPattern: -5), 0x1000, 1], returns: -9, memory: memory).renderedArguments == #"-5, "h", 1"#)
    }

    @Test func writeCapturesUpToTheLimit() {
        var memory = FakeMemory()
        let big = [UInt8](repeating: 0x61, count: 100_000)
        memory.map(0x10000, big)
        let event = decode(Nr.write, [1, 0x10000, 100_000], returns: 100_000, memory: memory)
        #expect(event.data?.count == SyscallEvent.dataCaptureLimit)
        #expect(event.renderedArguments == "1, \"" + String(repeating: "a", count: 32) + "\"..., 100000")
    }

    @Test func readRendersWhatTheCallWrote() {
        let before = FakeMemory()
        var after = FakeMemory()
        after.map(0x5000, "vm\n")
        let event = decode(Nr.read, [3, 0x5000, 64], returns: 3, memory: before, exitMemory: after)
        #expect(line(event) == #"read(3, "vm\n", 64)                     = 3"#)
        #expect(event.data == Array("vm\n".utf8))
        #expect(decode(Nr.read, [3, 0x5000, 64], returns: 0, memory: after).renderedArguments == #"3, "", 64"#)
        #expect(line(decode(Nr.read, [99, 0x7ffdee4d61a0, 64], returns: -9)) == "read(99, 0x7ffdee4d61a0, 64)            = -1 EBADF (Bad file descriptor)")
    }

    @Test func openatAndClose() {
        var memory = FakeMemory()
        memory.mapCString(0x6000, "/etc/hostname")
        memory.mapCString(0x7000, "/tmp/dec/x.txt")
        let open = decode(Nr.openat, [UInt64(bitPattern: -100), 0x6000, 0o2000000], returns: 3, memory: memory)
        #expect(line(open) == #"openat(AT_FDCWD, "/etc/hostname", O_RDONLY|O_CLOEXEC) = 3"#)
        #expect(open.data == Array("/etc/hostname".utf8))
        #expect(decode(Nr.openat, [UInt64(bitPattern: -100), 0x7000, 0o1101, 0o644], returns: 3, memory: memory).renderedArguments
                == #"AT_FDCWD, "/tmp/dec/x.txt", O_WRONLY|O_CREAT|O_TRUNC, 0644"#)
        #expect(decode(Nr.openat, [UInt64(bitPattern: -100), 0x7000, 0o20200002, 0o600], returns: 4, memory: memory).renderedArguments
                == #"AT_FDCWD, "/tmp/dec/x.txt", O_RDWR|O_TMPFILE, 0600"#)
        #expect(decode(Nr.openat, [5, 0x7000, 0x40000000], returns: -9, memory: memory).renderedArguments
                == #"5, "/tmp/dec/x.txt", O_RDONLY|0x40000000"#)
        #expect(decode(Nr.openat, [UInt64(bitPattern: -100), 0x8, 0], returns: -14, memory: memory).renderedArguments == "AT_FDCWD, 0x8, O_RDONLY")
        #expect(line(decode(Nr.close, [3], returns: 0)) == "close(3)                                = 0")
        #expect(line(decode(Nr.close, [99], returns: -9)) == "close(99)                               = -1 EBADF (Bad file descriptor)")
    }

    @Test func execveArgvAndEnvironment() {
        var memory = FakeMemory()
        memory.mapCString(0x1000, "./prog")
        memory.mapCString(0x1100, "arg")
        memory.mapCString(0x1200, "a long argument that is longer than thirty-two bytes")
        memory.mapPointers(0x2000, [0x1000, 0x1100, 0x1200, 0])
        memory.mapPointers(0x3000, [0x1100, 0x1100, 0x1100, 0])
        let event = decode(Nr.execve, [0x1000, 0x2000, 0x3000], returns: 0, memory: memory)
        #expect(event.renderedArguments == #""./prog", ["./prog", "arg", "a long argument that is longer t"...], 0x3000 /* 3 vars */"#)
        #expect(event.data == Array("./prog".utf8))
        memory.mapPointers(0x4000, [0x1100, 0])
        #expect(decode(Nr.execve, [0x1000, 0x4000, 0x4000], returns: -2, memory: memory).renderedArguments == #""./prog", ["arg"], 0x4000 /* 1 var */"#)
        #expect(decode(Nr.execve, [0x1000, 0, 0], returns: -2, memory: memory).renderedArguments == #""./prog", NULL, NULL"#)
    }

    @Test func processCalls() {
        #expect(line(decode(Nr.getpid, [], returns: 1234)) == "getpid()                                = 1234")
        #expect(line(decode(Nr.getppid, [], returns: 1)) == "getppid()                               = 1")
        #expect(line(decode(Nr.fork, [], returns: 1235)) == "fork()                                  = 1235")
        #expect(line(decode(Nr.kill, [1234, 15], returns: 0)) == "kill(1234, SIGTERM)                     = 0")
        #expect(decode(Nr.kill, [1234, 0], returns: 0).renderedArguments == "1234, 0")
        #expect(decode(Nr.clone, [0x1200011, 0, 0, 0x7f5368f1aa10, 0], returns: 27353).renderedArguments
                == "child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f5368f1aa10")
        var memory = FakeMemory()
        memory.map(0x9000, [0x00, 0x03, 0, 0])   // exit status 3
        #expect(decode(Nr.wait4, [27353, 0x9000, 0, 0], returns: 27353, memory: memory).renderedArguments
                == "27353, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL")
        memory.map(0xa000, [0x8b, 0, 0, 0])       // SIGSEGV, core dumped
        #expect(decode(Nr.wait4, [UInt64(bitPattern: -1), 0xa000, 0x40000001, 0], returns: 12, memory: memory).renderedArguments
                == "-1, [{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}], WNOHANG|__WALL, NULL")
        #expect(decode(Nr.wait4, [5, 0xa000, 1, 0], returns: 0, memory: memory).renderedArguments == "5, 0xa000, WNOHANG, NULL")
        #expect(decode(Nr.wait4, [5, 0xa000, 0, 0], returns: -512, memory: memory).renderedReturn == "? ERESTARTSYS (To be restarted if SA_RESTART is set)")
        #expect(SyscallDecoder.waitStatus(0x137f) == "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}]")
        #expect(SyscallDecoder.waitStatus(0xffff) == "[{WIFCONTINUED(s)}]")
        #expect(SyscallDecoder.waitStatus(0x3057f) == "[{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP}|PTRACE_EVENT_CLONE<<16]")
    }

    @Test func undecodedCallsUseTheRawForm() {
        let event = decode(Nr.rseq, [0x7f5368f1b060, 0x20, 0, 0x53053053], returns: 0)
        #expect(event.name == "rseq")
        #expect(event.renderedArguments == "0x7f5368f1b060, 0x20, 0, 0x53053053")
        #expect(decode(Nr.setRobustList, [0x7f5368f1aa20, 24], returns: 0).renderedArguments == "0x7f5368f1aa20, 24")
        let unknown = decode(500, [1, 2, 3, 4, 5, 6], returns: -38)
        #expect(line(unknown) == "syscall_0x1f4(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = -1 ENOSYS (Function not implemented)")
        #expect(SyscallDecoder.rawArguments(number: 1000, [0, 16, 0, 0, 0, 0]) == "0, 0x10, 0, 0, 0, 0")
    }

    @Test func pidPrefixesAndPadding() {
        let call = decode(Nr.exitGroup, [0], returns: nil)
        #expect(line(call, pid: 123, showPid: true) == "[pid   123] exit_group(0)               = ?")
        #expect(line(call, pid: 27353, showPid: true) == "[pid 27353] exit_group(0)               = ?")
        let event = TraceEvent(sequence: 0, pid: 3733, phase: .program, kind: .syscall(call))
        #expect(StraceFormat.line(event, pidPrefix: .column) == "3733  exit_group(0)                     = ?")
        // Past column 40 the ` = ` follows one space.
        let long = decode(Nr.pkeyMprotect, [1, 4096, 1, UInt64(bitPattern: -1)], returns: -22)
        #expect(line(long) == "pkey_mprotect(0x1, 4096, PROT_READ, -1) = -1 EINVAL (Invalid argument)")
    }

    @Test func theTracersByteLinesAreTheStringLines() {
        let segv = SyscallDecoder.signal(siginfo: Self.siginfo(signo: 11, code: 1, fields: []))
        let kinds: [TraceEventKind] = [
            .syscall(decode(Nr.mmap, [0, 4096, 3, 0x22, UInt64(bitPattern: -1), 0], returns: 0x7f0635919000)),
            .syscall(decode(Nr.exitGroup, [0], returns: nil)),
            .syscall(decode(Nr.pkeyMprotect, [1, 4096, 1, UInt64(bitPattern: -1)], returns: -22)),
            .signal(segv), .exit(.exited(status: 3)), .exit(.killed(signal: 9, coreDumped: false)),
            .spawned(child: 2, isThread: false),
        ]
        for kind in kinds {
            for pid: Int32 in [7, 4242, 123456] {
                for prefix in [StraceFormat.PidPrefix.none, .bracketed, .column] {
                    let event = TraceEvent(sequence: 0, pid: pid, phase: .program, kind: kind)
                    var bytes: [UInt8] = Array("before\n".utf8)
                    StraceFormat.appendLine(event, pidPrefix: prefix, to: &bytes)
                    let line = StraceFormat.line(event, pidPrefix: prefix)
                    #expect(String(decoding: bytes, as: UTF8.self) == "before\n" + (line.isEmpty ? "" : line + "\n"))
                }
            }
        }
    }

    @Test func fcntlFlagsAsStracePrintsThem() {
        #expect(line(decode(Nr.fcntl, [3, 1], returns: 0)) == "fcntl(3, F_GETFD)                       = 0")
        #expect(line(decode(Nr.fcntl, [3, 1], returns: 1)) == "fcntl(3, F_GETFD)                       = 0x1 (flags FD_CLOEXEC)")
        #expect(line(decode(Nr.fcntl, [3, 3], returns: 0x8002)) == "fcntl(3, F_GETFL)                       = 0x8002 (flags O_RDWR|O_LARGEFILE)")
        #expect(line(decode(Nr.fcntl, [3, 4, 0x8800], returns: 0)) == "fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK|O_LARGEFILE) = 0")
        #expect(line(decode(Nr.fcntl, [99, 3], returns: -9)) == "fcntl(99, F_GETFL)                      = -1 EBADF (Bad file descriptor)")
        #expect(line(decode(Nr.fcntl, [3, 2, 1], returns: 0)) == "fcntl(3, F_SETFD, FD_CLOEXEC)           = 0")
    }

    @Test func exitLines() {
        func exitLine(_ exit: ProcessExit, showPid: Bool = false) -> String {
            StraceFormat.line(TraceEvent(sequence: 9, pid: 77, phase: .program, kind: .exit(exit)), showPid: showPid)
        }
        #expect(exitLine(.exited(status: 42)) == "+++ exited with 42 +++")
        #expect(exitLine(.killed(signal: 11, coreDumped: false)) == "+++ killed by SIGSEGV +++")
        #expect(exitLine(.killed(signal: 6, coreDumped: true)) == "+++ killed by SIGABRT (core dumped) +++")
        #expect(exitLine(.exited(status: 0), showPid: true) == "[pid    77] +++ exited with 0 +++")
        #expect(StraceFormat.line(TraceEvent(sequence: 1, pid: 1, phase: .program, kind: .spawned(child: 2, isThread: false)), showPid: true) == "")
    }

    static func siginfo(signo: Int32, code: Int32, fields: [(Int, UInt64, Int)]) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 128)
        func put(_ offset: Int, _ value: UInt64, _ size: Int) {
            for index in 0..<size { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
        }
        put(0, UInt64(UInt32(bitPattern: signo)), 4)
        put(8, UInt64(UInt32(bitPattern: code)), 4)
        for (offset, value, size) in fields { put(offset, value, size) }
        return bytes
    }

    @Test func signals() {
        let segv = SyscallDecoder.signal(siginfo: Self.siginfo(signo: 11, code: 2, fields: [(16, 0x7f0635919000, 8)]))
        #expect(segv.rendered == "{si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7f0635919000}")
        #expect(segv.faultAddress == 0x7f0635919000 && segv.code == 2 && segv.signal == 11)
        #expect(StraceFormat.line(TraceEvent(sequence: 0, pid: 5, phase: .program, kind: .signal(segv)), showPid: false)
                == "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7f0635919000} ---")
        #expect(SyscallDecoder.signal(siginfo: Self.siginfo(signo: 11, code: 1, fields: [])).rendered
                == "{si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=NULL}")
        let chld = SyscallDecoder.signal(siginfo: Self.siginfo(signo: 17, code: 1, fields: [(16, 123, 4), (24, 0, 4)]))
        #expect(chld.rendered == "{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=123, si_uid=0, si_status=0, si_utime=0, si_stime=0}")
        #expect(chld.senderPid == 123 && chld.childStatus == 0)
        let killed = SyscallDecoder.signal(siginfo: Self.siginfo(signo: 17, code: 2, fields: [(16, 124, 4), (24, 11, 4), (32, 10, 8), (40, 1, 8)]))
        #expect(killed.rendered == "{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=124, si_uid=0, si_status=SIGSEGV, si_utime=10 /* 0.10 s */, si_stime=1 /* 0.01 s */}")
        let abort = SyscallDecoder.signal(siginfo: Self.siginfo(signo: 6, code: -6, fields: [(16, 3735, 4), (20, 1000, 4)]))
        #expect(abort.rendered == "{si_signo=SIGABRT, si_code=SI_TKILL, si_pid=3735, si_uid=1000}")
        #expect(abort.senderPid == 3735 && abort.senderUid == 1000)
        #expect(SyscallDecoder.signal(siginfo: Self.siginfo(signo: 15, code: 0, fields: [(16, 1, 4)])).rendered
                == "{si_signo=SIGTERM, si_code=SI_USER, si_pid=1, si_uid=0}")
        #expect(SyscallDecoder.signal(siginfo: Self.siginfo(signo: 7, code: 2, fields: [(16, 0x7000, 8)])).rendered
                == "{si_signo=SIGBUS, si_code=BUS_ADRERR, si_addr=0x7000}")
        #expect(SyscallDecoder.signal(siginfo: Self.siginfo(signo: 4, code: 2, fields: [(16, 0x55d6ea3196d9, 8)])).rendered
                == "{si_signo=SIGILL, si_code=ILL_ILLOPN, si_addr=0x55d6ea3196d9}")
        #expect(SyscallDecoder.signal(siginfo: Self.siginfo(signo: 14, code: 0x80, fields: [])).rendered
                == "{si_signo=SIGALRM, si_code=SI_KERNEL}")
    }

    @Test func jsonLinesRoundTrip() throws {
        var memory = FakeMemory()
        memory.map(0x1000, "hi\n\u{1}")
        let write = decode(Nr.write, [1, 0x1000, 4], returns: 4, memory: memory)
        var injected = decode(Nr.brk, [0x5555_5560_0000], returns: -12)
        injected.injected = true
        let events = [
            TraceEvent(sequence: 0, pid: 10, processID: 10, phase: .startup, kind: .syscall(decode(Nr.mmap, [0, 208896, 3, 0x22, UInt64.max, 0], returns: 0x7f3b35486000))),
            TraceEvent(sequence: 1, pid: 11, processID: 10, phase: .program, kind: .syscall(write)),
            TraceEvent(sequence: 2, pid: 10, phase: .program, kind: .syscall(decode(Nr.mmap, [0, 1 << 47, 1, 0x22, UInt64.max, 0], returns: -12))),
            TraceEvent(sequence: 3, pid: 10, phase: .program, kind: .signal(SyscallDecoder.signal(siginfo: Self.siginfo(signo: 11, code: 2, fields: [(16, 0x7000, 8)])))),
            TraceEvent(sequence: 4, pid: 10, phase: .program, kind: .spawned(child: 12, isThread: true)),
            TraceEvent(sequence: 5, pid: 10, phase: .program, kind: .exit(.killed(signal: 11, coreDumped: true))),
            TraceEvent(sequence: 6, pid: 12, phase: .program, kind: .exit(.exited(status: 42))),
            TraceEvent(sequence: 7, pid: 12, phase: .program, kind: .syscall(decode(Nr.exitGroup, [42], returns: nil))),
            TraceEvent(sequence: 8, pid: 10, phase: .program, kind: .syscall(injected)),
        ]
        var objects: [[String: Any]] = []
        for event in events {
            let text = JSONLFormat.line(event)
            #expect(!text.contains("\n"))
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            #expect(object != nil, "\(text)")
            objects.append(object ?? [:])
        }
        #expect(objects[0]["seq"] as? Int == 0 && objects[0]["phase"] as? String == "startup" && objects[0]["kind"] as? String == "syscall")
        #expect(objects[0]["name"] as? String == "mmap" && objects[0]["nr"] as? Int == 9)
        #expect((objects[0]["args"] as? [NSNumber])?.map { $0.uint64Value } == [0, 208896, 3, 0x22, UInt64.max, 0])
        #expect(objects[0]["rendered_args"] as? String == "NULL, 208896, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0")
        // The typed arguments: each printed argument with its register, kind and value.
        let arguments = try #require(objects[0]["arguments"] as? [[String: Any]])
        #expect(arguments.map { $0["register"] as? Int } == [0, 1, 2, 3, 4, 5])
        #expect(arguments.map { $0["kind"] as? String } == ["address", "number", "flags", "flags", "fd", "number"])
        #expect(arguments.map { $0["text"] as? String } == ["NULL", "208896", "PROT_READ|PROT_WRITE", "MAP_PRIVATE|MAP_ANONYMOUS", "-1", "0"])
        #expect(arguments.map { ($0["value"] as? NSNumber)?.uint64Value } == [0, 208896, 3, 0x22, UInt64.max, 0])
        #expect(objects[0]["injected"] as? Bool == false)
        let writeArguments = try #require(objects[1]["arguments"] as? [[String: Any]])
        #expect(writeArguments.map { $0["kind"] as? String } == ["fd", "string", "number"])
        #expect(writeArguments[1]["text"] as? String == #""hi\n\1""#)
        #expect((objects[0]["return"] as? NSNumber)?.int64Value == 0x7f3b35486000)
        #expect(objects[0]["rendered_return"] as? String == "0x7f3b35486000")
        #expect(objects[0]["errno"] is NSNull)
        #expect(objects[1]["pid"] as? Int == 11 && objects[1]["tgid"] as? Int == 10)
        #expect(objects[1]["rendered_args"] as? String == #"1, "hi\n\1", 4"#)
        #expect(objects[1]["data_base64"] as? String == Data("hi\n\u{1}".utf8).base64EncodedString())
        #expect(objects[1]["strace"] as? String == #"write(1, "hi\n\1", 4)                   = 4"#)
        #expect(objects[2]["errno"] as? String == "ENOMEM" && objects[2]["errno_number"] as? Int == 12 && objects[2]["return"] as? Int == -12)
        #expect(objects[3]["kind"] as? String == "signal" && objects[3]["signal"] as? String == "SIGSEGV")
        #expect(objects[3]["si_code_name"] as? String == "SEGV_ACCERR" && objects[3]["fault_address"] as? Int == 0x7000)
        #expect(objects[3]["rendered"] as? String == "{si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7000}")
        #expect(objects[4]["kind"] as? String == "spawned" && objects[4]["child"] as? Int == 12 && objects[4]["thread"] as? Bool == true)
        #expect(objects[5]["killed_by"] as? String == "SIGSEGV" && objects[5]["core_dumped"] as? Bool == true)
        #expect(objects[5]["strace"] as? String == "+++ killed by SIGSEGV (core dumped) +++")
        #expect(objects[6]["exit_status"] as? Int == 42)
        #expect(objects[7]["return"] is NSNull && objects[7]["rendered_return"] as? String == "?")
        #expect(objects[8]["injected"] as? Bool == true && objects[8]["errno"] as? String == "ENOMEM")
        #expect(objects[8]["rendered_return"] as? String == "-1 ENOMEM (Cannot allocate memory) (INJECTED)")
        #expect(JSONLFormat.base64([1, 2, 3, 4]) == Data([1, 2, 3, 4]).base64EncodedString())
    }
}
