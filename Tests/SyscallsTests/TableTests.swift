// The generated tables against the kernel headers they came from.
import Foundation
import Testing
@testable import Syscalls

@Suite struct TableTests {
    @Test func knownNumbers() {
        #expect(SyscallTable.name(of: 0) == "read")
        #expect(SyscallTable.name(of: 9) == "mmap")
        #expect(SyscallTable.name(of: 12) == "brk")
        #expect(SyscallTable.name(of: 231) == "exit_group")
        #expect(SyscallTable.name(of: 257) == "openat")
        #expect(SyscallTable.number(of: "munmap") == 11)
        #expect(SyscallTable.number(of: "clone3") == 435)
        #expect(SyscallTable.name(of: 335) == nil)
        #expect(SyscallTable.name(of: -1) == nil)
        #expect(SyscallTable.displayName(of: 500) == "syscall_0x1f4")
        #expect(SyscallTable.number(of: "no_such_call") == nil)
    }

    @Test func everyHeaderDefinitionIsInTheTable() throws {
        let header = try String(contentsOfFile: "/usr/include/x86_64-linux-gnu/asm/unistd_64.h", encoding: .utf8)
        var count = 0
        var highest = 0
        for line in header.split(separator: "\n") where line.hasPrefix("#define __NR_") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 3, let number = Int(words[2]) else { continue }
            let name = String(words[1].dropFirst(5))
            #expect(SyscallTable.name(of: number) == name, "\(number)")
            #expect(SyscallTable.number(of: name) == number, "\(name)")
            count += 1
            highest = max(highest, number)
        }
        #expect(count == SyscallTable.all.count)
        #expect(SyscallTable.highestNumber == highest)
        #expect(highest >= 450)
    }

    @Test func decoderNumbersMatchTheTable() {
        let pairs: [(Int, String)] = [(Nr.read, "read"), (Nr.prlimit64, "prlimit64"), (Nr.rtSigreturn, "rt_sigreturn"), (Nr.fcntl, "fcntl"), (Nr.write, "write"), (Nr.open, "open"), (Nr.close, "close"),
            (Nr.fstat, "fstat"), (Nr.lseek, "lseek"), (Nr.mmap, "mmap"), (Nr.mprotect, "mprotect"), (Nr.munmap, "munmap"),
            (Nr.brk, "brk"), (Nr.pread64, "pread64"), (Nr.mremap, "mremap"), (Nr.msync, "msync"), (Nr.madvise, "madvise"),
            (Nr.shmat, "shmat"), (Nr.clone, "clone"), (Nr.fork, "fork"), (Nr.vfork, "vfork"), (Nr.execve, "execve"),
            (Nr.exit, "exit"), (Nr.wait4, "wait4"), (Nr.kill, "kill"), (Nr.mlock, "mlock"), (Nr.munlock, "munlock"),
            (Nr.mlockall, "mlockall"), (Nr.munlockall, "munlockall"), (Nr.tkill, "tkill"), (Nr.exitGroup, "exit_group"),
            (Nr.tgkill, "tgkill"), (Nr.openat, "openat"), (Nr.newfstatat, "newfstatat"), (Nr.mlock2, "mlock2"),
            (Nr.pkeyMprotect, "pkey_mprotect"), (Nr.getrandom, "getrandom"), (Nr.clone3, "clone3"),
            (Nr.mincore, "mincore"), (Nr.remapFilePages, "remap_file_pages"), (Nr.pkeyAlloc, "pkey_alloc"),
            (Nr.pkeyFree, "pkey_free"), (Nr.waitid, "waitid"), (Nr.closeRange, "close_range"), (Nr.archPrctl, "arch_prctl"),
            (Nr.futex, "futex"), (Nr.ioctl, "ioctl"), (Nr.dup3, "dup3"), (Nr.pipe2, "pipe2")]
        for (number, name) in pairs { #expect(SyscallTable.name(of: number) == name) }
    }

    @Test func straceClasses() throws {
        let memory = Set(SyscallClass.memory.numbers.compactMap { SyscallTable.name(of: $0) })
        for name in ["brk", "mmap", "munmap", "mprotect", "mremap", "madvise", "msync", "mlock", "munlock", "mlockall",
                     "munlockall", "mincore", "remap_file_pages", "mbind", "pkey_mprotect", "mlock2", "shmat", "shmdt"] {
            #expect(memory.contains(name), "\(name)")
        }
        // strace 6.1 leaves these out of %memory (probed with `strace -e trace=%memory`).
        for name in ["memfd_create", "process_madvise", "process_mrelease", "memfd_secret", "read", "write"] {
            #expect(!memory.contains(name), "\(name)")
        }
        let process = Set(SyscallClass.process.numbers.compactMap { SyscallTable.name(of: $0) })
        #expect(process == ["clone", "clone3", "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4",
                            "waitid", "kill", "tkill", "tgkill", "rt_sigqueueinfo", "rt_tgsigqueueinfo", "pidfd_send_signal"])
        #expect(try SyscallTable.numbers(selection: "trace=%memory,write") == SyscallClass.memory.numbers.union([1]))
        #expect(try SyscallTable.numbers(selection: "mmap,brk") == [9, 12])
        #expect(throws: SyscallTable.SelectionError.self) { try SyscallTable.numbers(selection: "trace=mmapp") }
        #expect(throws: SyscallTable.SelectionError.self) { try SyscallTable.numbers(selection: "%memroy") }
    }

    @Test func rawArgumentCounts() {
        #expect(SyscallTable.argumentCount(of: 9) == 6)
        #expect(SyscallTable.argumentCount(of: 12) == 1)
        #expect(SyscallTable.argumentCount(of: 39) == 0)   // getpid
        #expect(SyscallTable.argumentCount(of: 110) == 0)  // getppid
        #expect(SyscallTable.argumentCount(of: 231) == 1)
        #expect(SyscallTable.argumentCount(of: 9999) == 6)
    }

    @Test func errnoNamesAndMessages() {
        #expect(ErrnoTable.name(of: 12) == "ENOMEM")
        #expect(ErrnoTable.message(of: 12) == "Cannot allocate memory")
        #expect(ErrnoTable.name(of: 2) == "ENOENT")
        #expect(ErrnoTable.message(of: 2) == "No such file or directory")
        #expect(ErrnoTable.name(of: 11) == "EAGAIN")
        #expect(ErrnoTable.number(of: "EWOULDBLOCK") == 11)
        #expect(ErrnoTable.name(of: 35) == "EDEADLK")
        #expect(ErrnoTable.name(of: 133) == "EHWPOISON")
        #expect(ErrnoTable.name(of: 512) == "ERESTARTSYS")
        #expect(ErrnoTable.message(of: 4000) == "Unknown error 4000")
        // Every message is glibc's strerror text.
        for errno in Int32(1)...133 where ErrnoTable.name(of: errno) != nil {
            #expect(ErrnoTable.message(of: errno) == String(cString: strerror(errno)), "\(errno)")
        }
    }

    @Test func signalsAndCodes() {
        #expect(SignalTable.name(of: 11) == "SIGSEGV")
        #expect(SignalTable.name(of: 6) == "SIGABRT")
        #expect(SignalTable.name(of: 29) == "SIGIO")
        #expect(SignalTable.name(of: 31) == "SIGSYS")
        #expect(SignalTable.name(of: 32) == "SIGRTMIN")
        #expect(SignalTable.name(of: 34) == "SIGRT_2")
        #expect(SignalTable.name(of: 64) == "SIGRT_32")
        #expect(SignalTable.name(of: 100) == "100")
        #expect(SignalTable.number(of: "SEGV") == 11)
        #expect(SignalTable.number(of: "SIGRT_2") == 34)
        #expect(SignalTable.codeName(2, signal: 11) == "SEGV_ACCERR")
        #expect(SignalTable.codeName(1, signal: 11) == "SEGV_MAPERR")
        #expect(SignalTable.codeName(0, signal: 10) == "SI_USER")
        #expect(SignalTable.codeName(0x80, signal: 11) == "SI_KERNEL")
        #expect(SignalTable.codeName(-6, signal: 6) == "SI_TKILL")
        #expect(SignalTable.codeName(1, signal: 17) == "CLD_EXITED")
        #expect(SignalTable.codeName(2, signal: 7) == "BUS_ADRERR")
        #expect(SignalTable.codeName(1, signal: 4) == "ILL_ILLOPC")
        #expect(SignalTable.codeName(1, signal: 8) == "FPE_INTDIV")
        #expect(SignalTable.codeName(1, signal: 5) == "TRAP_BRKPT")
        #expect(SignalTable.codeName(1, signal: 10) == nil)
        #expect(SignalTable.codeNumber(of: "SEGV_ACCERR") == 2)
        for number in Int32(1)...31 {   // the names glibc's sigabbrev_np knows, with SIG in front
            #expect(SignalTable.number(of: SignalTable.name(of: number)) == number)
        }
    }
}
