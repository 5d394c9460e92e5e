// Decoders: raw registers and tracee memory in, strace-identical text out.
//
// The tracer calls `entry` at each syscall-entry stop and `exit` at the matching exit stop, while
// the tracee is stopped, so buffers are read when strace reads them: a `write` buffer, an `openat`
// path and `execve`'s argv at entry; a `read` buffer and `wait4`'s status at exit. Arguments that
// need no memory are rendered at entry too, so a call that never returns (`exit_group`) keeps them.
// Calls without a decoder here print in strace's raw form: `name(0x1, 0x2)` with strace 6.1's
// argument count for that call.

public enum SyscallDecoder {
    /// Called at syscall entry while the tracee is stopped.
    public static func entry(number: Int, arguments: [UInt64], memory: TraceeMemory) -> SyscallEntry {
        var entry = SyscallEntry(number: number, arguments: arguments)
        let a = Arguments(arguments)
        switch number {
        case Nr.write:
            let length = a[2]
            var captured: [UInt8]?
            if length > 0 && a[1] != 0 {
                captured = memory.read(address: a[1], count: Int(min(length, UInt64(SyscallEvent.dataCaptureLimit))))
            }
            let buffer = captured.flatMap { StraceText.buffer(captured: $0, address: a[1], length: length) }
                ?? StraceText.buffer(at: a[1], length: length, memory: memory)
            entry.captured = captured
            entry.renderedAtEntry = "\(StraceText.fd(a[0])), \(buffer), \(length)"
        case Nr.openat:
            entry.renderedAtEntry = StraceText.dirfd(a[0]) + ", " + openArguments(path: a[1], flags: a[2], mode: a[3], entry: &entry, memory: memory)
        case Nr.open:
            entry.renderedAtEntry = openArguments(path: a[0], flags: a[1], mode: a[2], entry: &entry, memory: memory)
        case Nr.execve:
            let path = StraceText.path(at: a[0], memory: memory)
            entry.captured = path.bytes
            entry.renderedAtEntry = "\(path.text), \(stringArray(at: a[1], memory: memory)), \(environment(at: a[2], memory: memory))"
        case Nr.clone:
            entry.renderedAtEntry = cloneEntry(a)
        case Nr.clone3:
            entry.renderedAtEntry = clone3Entry(a, memory: memory)
        case Nr.access:
            let path = StraceText.path(at: a[0], memory: memory)
            entry.renderedAtEntry = "\(path.text), \(accessMode(a[1]))"
        case Nr.prlimit64:
            // the new limit is read at entry; the old one at exit
            entry.renderedAtEntry = "\(StraceText.int(a[0])), \(FlagTables.rlimitResource.value(a[1] & 0xffffffff)), \(rlimit(at: a[2], memory: memory))"
        case Nr.rtSigprocmask:
            // the new set is read at entry; the old one at exit: keep the entry part
            entry.renderedAtEntry = "\(sigprocmaskHow(a[0])), \(signalSet(at: a[1], size: a[3], memory: memory))"
        case Nr.futex:
            entry.renderedAtEntry = futex(a, memory: memory)
        case Nr.rtSigaction:
            entry.renderedAtEntry = "\(StraceText.signal(a[0])), \(sigaction(at: a[1], size: a[3], memory: memory))"
        case Nr.read, Nr.pread64, Nr.fstat:
            entry.printedAtEntry = StraceText.fd(a[0]) + ", "  // the rest at exit, from what the call wrote
        case Nr.wait4:
            entry.printedAtEntry = StraceText.int(a[0]) + ", "
        case Nr.waitid:
            entry.printedAtEntry = waitidHead(a)
        case Nr.mincore:
            entry.printedAtEntry = "\(StraceText.address(a[0])), \(a[1]), "
        case Nr.getrandom, Nr.pipe, Nr.pipe2:
            entry.printedAtEntry = ""
        case Nr.newfstatat:
            entry.printedAtEntry = "\(StraceText.dirfd(a[0])), \(StraceText.path(at: a[1], memory: memory).text), "
        case Nr.ioctl where isDecodedIoctl(a):
            entry.printedAtEntry = ioctlHead(a) + ", "
        case Nr.nanosleep:
            entry.printedAtEntry = timespec(at: a[0], memory: memory) + ", "
        case Nr.clockNanosleep:
            entry.printedAtEntry = "\(clockName(a[0])), \(FlagTables.clockFlags.flags(a[1] & 0xffffffff)), \(timespec(at: a[2], memory: memory)), "
        case Nr.archPrctl where archPrctlWritesBack(a):
            entry.printedAtEntry = archPrctlHead(a)
        default:
            entry.renderedAtEntry = plainArguments(number: number, a)
        }
        entry.finishedAtEntry = entry.printedAtEntry == nil && number != Nr.clone
        if entry.printedAtEntry == nil, let rendered = entry.renderedAtEntry {
            switch number {
            case Nr.rtSigprocmask, Nr.rtSigaction, Nr.prlimit64:
                entry.printedAtEntry = rendered + ", "  // the old value comes at exit
                entry.finishedAtEntry = false
            case Nr.clone3 where !clone3WritesBack(a, memory: memory):
                entry.printedAtEntry = rendered + ", \(a[1])"
            case Nr.clone3:
                entry.finishedAtEntry = false
            default:
                break  // renderedAtEntry is all strace prints at entry (clone's tid pointers follow after ", ")
            }
        }
        return entry
    }

    /// open/openat after the directory: `"/etc/passwd", O_RDONLY`, with the mode when the flags
    /// create a file (O_CREAT, O_TMPFILE); the path is captured for checks.
    private static func openArguments(path address: UInt64, flags: UInt64, mode: UInt64, entry: inout SyscallEntry,
                                      memory: TraceeMemory) -> String {
        let path = StraceText.path(at: address, memory: memory)
        entry.captured = path.bytes
        var text = "\(path.text), \(StraceText.openFlags(flags))"
        if flags & (0o100 | 0o20000000) != 0 { text += ", " + StraceText.mode(mode) }
        return text
    }

    /// `entry` with the stack pointer of the entry stop, for the calls whose arguments live on
    /// the stack: rt_sigreturn's `{mask=[…]}` like strace.
    public static func entry(number: Int, arguments: [UInt64], stackPointer: UInt64, memory: TraceeMemory) -> SyscallEntry {
        var entry = entry(number: number, arguments: arguments, memory: memory)
        if number == Nr.rtSigreturn {
            entry.renderedAtEntry = sigreturnFrame(stackPointer: stackPointer, memory: memory)
        }
        return entry
    }

    /// rt_sigreturn's argument as strace prints it: the mask the signal frame restores. At the
    /// entry, rsp points at the frame's `ucontext` (the restorer's `ret` took the return address),
    /// and `uc_sigmask` follows uc_flags, uc_link, uc_stack (40 bytes) and the sigcontext (256).
    public static func sigreturnFrame(stackPointer: UInt64, memory: TraceeMemory) -> String {
        "{mask=\(signalSet(at: stackPointer &+ 296, size: 8, memory: memory))}"
    }

    /// Called at syscall exit (returnValue nil when the call never returns, e.g. exit_group).
    public static func exit(_ entry: SyscallEntry, returnValue: Int64?, memory: TraceeMemory) -> SyscallEvent {
        let a = Arguments(entry.arguments)
        let number = entry.number
        if returnValue == nil && !entry.finishedAtEntry {
            // Never returned (the process died in it): what strace printed at entry, then
            // ` <unfinished ...>` where its decoder meant to print more at exit.
            return SyscallEvent(number: number, name: SyscallTable.displayName(of: number), arguments: entry.arguments,
                                returnValue: nil, data: entry.captured,
                                renderedArguments: entry.straceEntryText + " <unfinished ...>", returnText: "?")
        }
        var data = entry.captured
        let failed = returnValue.map { $0 < 0 && $0 >= -4095 } ?? true
        var rendered: String
        switch number {
        case Nr.read, Nr.pread64:
            var buffer = StraceText.address(a[1])
            if let value = returnValue, !failed {
                // what the call returned is the count strace prints (an unsigned kernel long)
                let count = UInt64(bitPattern: value)
                let captured = count == 0 || a[1] == 0
                    ? [] : memory.read(address: a[1], count: Int(min(count, UInt64(SyscallEvent.dataCaptureLimit))))
                data = captured
                buffer = captured.flatMap { StraceText.buffer(captured: $0, address: a[1], length: count) }
                    ?? StraceText.buffer(at: a[1], length: count, memory: memory)
            }
            rendered = (entry.printedAtEntry ?? StraceText.fd(a[0]) + ", ") + "\(buffer), \(a[2])"
            if number == Nr.pread64 { rendered += ", \(Int64(bitPattern: a[3]))" }
        case Nr.wait4:
            rendered = (entry.printedAtEntry ?? StraceText.int(a[0]) + ", ") + wait4Rest(a, returnValue: returnValue, memory: memory)
        case Nr.waitid:
            rendered = (entry.printedAtEntry ?? waitidHead(a)) + waitidRest(a, failed: failed, memory: memory)
        case Nr.mincore:
            rendered = (entry.printedAtEntry ?? "\(StraceText.address(a[0])), \(a[1]), ") + mincoreVector(a, failed: failed, memory: memory)
        case Nr.getrandom:
            var buffer = StraceText.address(a[0])
            if let count = returnValue, !failed {
                buffer = StraceText.buffer(at: a[0], length: UInt64(bitPattern: count), memory: memory, forceHex: true)
            }
            rendered = "\(buffer), \(a[1]), \(FlagTables.getrandom.flags(a[2] & 0xffffffff))"
        case Nr.newfstatat:
            let head = entry.printedAtEntry
                ?? "\(StraceText.dirfd(a[0])), \(StraceText.path(at: a[1], memory: memory).text), "
            let stat = failed ? StraceText.address(a[2]) : statStruct(at: a[2], memory: memory)
            rendered = head + "\(stat), \(atFlags(a[3]))"
        case Nr.fstat:
            let stat = failed ? StraceText.address(a[1]) : statStruct(at: a[1], memory: memory)
            rendered = (entry.printedAtEntry ?? StraceText.fd(a[0]) + ", ") + stat
        case Nr.nanosleep, Nr.clockNanosleep:
            // The time left is written only when a signal cut the sleep short (strace: is_erestart,
            // and for clock_nanosleep only without TIMER_ABSTIME).
            let head = entry.printedAtEntry ?? (number == Nr.nanosleep
                ? timespec(at: a[0], memory: memory) + ", "
                : "\(clockName(a[0])), \(FlagTables.clockFlags.flags(a[1] & 0xffffffff)), \(timespec(at: a[2], memory: memory)), ")
            let remaining = number == Nr.nanosleep ? a[1] : a[3]
            let interrupted = returnValue.map { ErrnoTable.restartCodes.contains(Int32(truncatingIfNeeded: 0 &- $0)) } ?? false
            let written = interrupted && (number == Nr.nanosleep || a[1] & 0xffffffff == 0)
            rendered = head + (written ? timespec(at: remaining, memory: memory) : StraceText.address(remaining))
        case Nr.rtSigprocmask:
            let head = entry.printedAtEntry ?? "\(sigprocmaskHow(a[0])), \(signalSet(at: a[1], size: a[3], memory: memory)), "
            let old = failed ? StraceText.address(a[2]) : signalSet(at: a[2], size: a[3], memory: memory)
            rendered = "\(head)\(old), \(a[3])"
        case Nr.archPrctl where archPrctlWritesBack(a):
            rendered = (entry.printedAtEntry ?? archPrctlHead(a)) + archPrctlResult(a, failed: failed, memory: memory)
        case Nr.ioctl where isDecodedIoctl(a):
            rendered = (entry.printedAtEntry ?? ioctlHead(a) + ", ") + ioctlArgument(a, failed: failed, memory: memory)
        case Nr.prlimit64:
            let head = entry.printedAtEntry
                ?? "\(StraceText.int(a[0])), \(FlagTables.rlimitResource.value(a[1] & 0xffffffff)), \(rlimit(at: a[2], memory: memory)), "
            rendered = head + (failed ? StraceText.address(a[3]) : rlimit(at: a[3], memory: memory))
        case Nr.rtSigaction:
            let head = entry.printedAtEntry ?? "\(StraceText.signal(a[0])), \(sigaction(at: a[1], size: a[3], memory: memory)), "
            let old = failed ? StraceText.address(a[2]) : sigaction(at: a[2], size: a[3], memory: memory)
            rendered = "\(head)\(old), \(a[3])"
        case Nr.pipe, Nr.pipe2:
            var fds = StraceText.address(a[0])
            if !failed, a[0] != 0, let bytes = memory.read(address: a[0], count: 8), bytes.count == 8 {
                fds = "[\(Int32(littleEndian: Array(bytes[0..<4]))), \(Int32(littleEndian: Array(bytes[4..<8])))]"
            }
            rendered = number == Nr.pipe ? fds : "\(fds), \(FlagTables.open.flags(a[1] & 0xffffffff))"
        case Nr.clone:
            rendered = entry.renderedAtEntry ?? cloneEntry(a)
            rendered += cloneExit(a, failed: failed, memory: memory)
        case Nr.clone3:
            if let whole = entry.printedAtEntry {
                rendered = whole  // strace finished the line at entry (nothing written back)
            } else {
                rendered = (entry.renderedAtEntry ?? clone3Entry(a, memory: memory)) + clone3Exit(a, failed: failed, memory: memory)
            }
        default:
            rendered = entry.renderedAtEntry ?? plainArguments(number: number, a)
        }
        return SyscallEvent(number: number, name: SyscallTable.displayName(of: number), arguments: entry.arguments,
                            returnValue: returnValue, data: data, renderedArguments: rendered,
                            returnText: (number == Nr.fcntl ? fcntlReturn(a, returnValue) : nil)
                                ?? renderReturn(number: number, returnValue))
    }

    /// A call whose exit stop came but whose return could not be read (the thread died between
    /// the stop and our look at it): strace's `= ? <unavailable>`, after what it printed at entry.
    public static func unavailable(_ entry: SyscallEntry) -> SyscallEvent {
        SyscallEvent(number: entry.number, name: SyscallTable.displayName(of: entry.number), arguments: entry.arguments,
                     returnValue: nil, data: entry.captured, renderedArguments: entry.straceEntryText,
                     returnText: "? <unavailable>")
    }

    /// Decodes a raw x86_64 `siginfo_t` (128 bytes, as PTRACE_GETSIGINFO fills it).
    public static func signal(siginfo: [UInt8]) -> SignalEvent {
        SignalDecoding.decode(siginfo)
    }

    /// The text after ` = `: `0x55…` for the address-returning calls, `-1 ENOMEM (Cannot allocate
    /// memory)` for an error, `? ERESTARTSYS (…)` for an interrupted call, `?` when it never returned.
    public static func renderReturn(number: Int, _ value: Int64?) -> String {
        guard let value else { return "?" }
        if value < 0 && value >= -4095 {
            let errno = Int32(-value)
            let name = ErrnoTable.name(of: errno) ?? String(errno)
            let text = "\(name) (\(ErrnoTable.message(of: errno)))"
            return ErrnoTable.restartCodes.contains(errno) ? "? " + text : "-1 " + text
        }
        switch number {
        case Nr.brk, Nr.mmap, Nr.mremap, Nr.shmat:
            return hex(UInt64(bitPattern: value))
        default:
            return IntegerText.decimal(value)
        }
    }

    /// F_GETFD and F_GETFL succeed with flags, which strace prints in hex and by name:
    /// `0x1 (flags FD_CLOEXEC)`, `0x8002 (flags O_RDWR|O_LARGEFILE)`; nil for anything else.
    static func fcntlReturn(_ a: Arguments, _ value: Int64?) -> String? {
        guard let value, value >= 0 else { return nil }
        switch a[1] & 0xffffffff {
        case 1: return value & 1 != 0 ? "\(hex(UInt64(value))) (flags FD_CLOEXEC)" : hex(UInt64(value))
        case 3: return "\(hex(UInt64(value))) (flags \(StraceText.openFlags(UInt64(value))))"
        default: return nil
        }
    }

    /// `0x7f…, 4096`: the start of the memory calls' lists.
    @inline(__always)
    static func writeAddressAndLength(_ a: Arguments, to text: inout TextWriter) {
        text.writeAddress(a[0])
        text.write(", ")
        text.writeDecimal(a[1])
    }

    // MARK: - Argument lists decided at entry

    /// The decoded argument list of a call whose arguments need no memory read after entry.
    static func plainArguments(number: Int, _ a: Arguments) -> String {
        switch number {
        case Nr.brk:
            return StraceText.address(a[0])
        case Nr.mmap:
            return TextWriter.render { text in
                writeAddressAndLength(a, to: &text)
                text.write(", ")
                FlagTables.prot.appendFlags(a[2], to: &text)
                text.write(", ")
                StraceText.appendMmapFlags(a[3], to: &text)
                text.write(", ")
                text.writeDecimal(Int64(Int32(truncatingIfNeeded: a[4])))
                text.write(", ")
                text.writeHexOrZero(a[5])
            }
        case Nr.munmap, Nr.mlock, Nr.munlock:
            return TextWriter.render { writeAddressAndLength(a, to: &$0) }
        case Nr.mprotect:
            return TextWriter.render { text in
                writeAddressAndLength(a, to: &text)
                text.write(", ")
                FlagTables.prot.appendFlags(a[2], to: &text)
            }
        case Nr.pkeyMprotect:
            return "\(StraceText.address(a[0])), \(a[1]), \(FlagTables.prot.flags(a[2])), \(StraceText.int(a[3]))"
        case Nr.mremap:
            var text = "\(StraceText.address(a[0])), \(a[1]), \(a[2]), \(FlagTables.mremap.flags(a[3]))"
            if a[3] & 3 == 3 { text += ", " + StraceText.address(a[4]) }
            return text
        case Nr.madvise:
            return "\(StraceText.address(a[0])), \(a[1]), \(FlagTables.madvise.value(a[2] & 0xffffffff))"
        case Nr.remapFilePages, Nr.pkeyAlloc, Nr.pkeyFree:
            return memoryCallArguments(number: number, a)
        case Nr.msync:
            return "\(StraceText.address(a[0])), \(a[1]), \(FlagTables.msync.flags(a[2] & 0xffffffff))"
        case Nr.mlock2:
            return "\(StraceText.address(a[0])), \(a[1]), \(FlagTables.mlock2.flags(a[2] & 0xffffffff))"
        case Nr.mlockall:
            return FlagTables.mlockall.flags(a[0] & 0xffffffff)
        case Nr.close:
            return StraceText.fd(a[0])
        case Nr.exitGroup, Nr.exit:
            return StraceText.int(a[0])
        case Nr.kill, Nr.tkill:
            return "\(StraceText.int(a[0])), \(StraceText.signal(a[1]))"
        case Nr.tgkill:
            return "\(StraceText.int(a[0])), \(StraceText.int(a[1])), \(StraceText.signal(a[2]))"
        case Nr.lseek:
            return "\(StraceText.fd(a[0])), \(Int64(bitPattern: a[1])), \(whence(a[2]))"
        case Nr.setRobustList:
            return "\(StraceText.address(a[0])), \(a[1])"
        case Nr.setTidAddress:
            return hex(a[0])
        case Nr.archPrctl:
            return archPrctlArguments(a)
        case Nr.fcntl where [0, 1, 2, 3, 4, 1030].contains(a[1] & 0xffffffff):
            // the commands that duplicate a descriptor and read or set its flags (tmpfile(),
            // shells); the others stay raw. F_GETFD and F_GETFL returns: fcntlReturn.
            switch a[1] & 0xffffffff {
            case 0: return "\(StraceText.fd(a[0])), F_DUPFD, \(Int64(bitPattern: a[2]))"
            case 1: return "\(StraceText.fd(a[0])), F_GETFD"
            case 2: return "\(StraceText.fd(a[0])), F_SETFD, \(FlagTables.fdFlags.flags(a[2] & 0xffffffff))"
            case 3: return "\(StraceText.fd(a[0])), F_GETFL"
            case 4: return "\(StraceText.fd(a[0])), F_SETFL, \(StraceText.openFlags(a[2]))"
            default: return "\(StraceText.fd(a[0])), F_DUPFD_CLOEXEC, \(Int64(bitPattern: a[2]))"
            }
        case Nr.fcntl where !FlagTables.fcntlCommands.contains(a[1] & 0xffffffff):
            // a command strace does not know: `0x12345 /* F_??? */`, the argument in hex
            return "\(StraceText.fd(a[0])), \(hex(a[1] & 0xffffffff)) /* F_??? */, \(hex(a[2]))"
        case Nr.closeRange:
            return "\(a[0] & 0xffffffff), \(a[1] & 0xffffffff), \(FlagTables.closeRange.flags(a[2] & 0xffffffff))"
        case Nr.dup:
            return StraceText.fd(a[0])
        case Nr.dup2:
            return "\(StraceText.fd(a[0])), \(StraceText.fd(a[1]))"
        case Nr.dup3:
            return "\(StraceText.fd(a[0])), \(StraceText.fd(a[1])), \(FlagTables.open.flags(a[2] & 0xffffffff))"  // printflags takes an unsigned int
        default:
            return rawArguments(number: number, a)
        }
    }

    /// strace's raw form (`-e raw=`): strace's argument count, each in hex (`0` for zero).
    public static func rawArguments(number: Int, _ arguments: [UInt64]) -> String {
        rawArguments(number: number, Arguments(arguments))
    }

    static func rawArguments(number: Int, _ a: Arguments) -> String {
        let count = SyscallTable.argumentCount(of: number)
        var text = ""
        for index in 0..<count {
            if index > 0 { text.append(", ") }
            text.append(hex(a[index]))
        }
        return text
    }

    private static func whence(_ raw: UInt64) -> String {
        let names = ["SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE"]
        let value = raw & 0xffffffff
        return value < UInt64(names.count) ? names[Int(value)] : hex(value) + " /* SEEK_??? */"
    }

    /// print_timespec: `NULL`, `{tv_sec=1, tv_nsec=500}`, or the address.
    static func timespec(at address: UInt64, memory: TraceeMemory) -> String {
        if address == 0 { return "NULL" }
        guard let bytes = memory.read(address: address, count: 16), bytes.count == 16 else { return StraceText.address(address) }
        return "{tv_sec=\(Int64(bitPattern: UInt64(littleEndian: Array(bytes[0..<8])))), tv_nsec=\(UInt64(littleEndian: Array(bytes[8..<16])))}"
    }

    /// ioctl: the terminal requests stdio makes (TCGETS, TIOCGWINSZ) by name; a failed or
    /// unreadable struct as its address; other requests in hex.
    static func ioctl(_ a: Arguments, failed: Bool, memory: TraceeMemory) -> String {
        ioctlHead(a) + ", " + ioctlArgument(a, failed: failed, memory: memory)
    }

    /// The requests decoded here; any other prints in strace's raw form.
    static func isDecodedIoctl(_ a: Arguments) -> Bool {
        let request = UInt32(truncatingIfNeeded: a[1])
        return request == 0x5401 || request == 0x5413
    }

    /// `1, TCGETS`: what strace prints of an ioctl before it returns.
    static func ioctlHead(_ a: Arguments) -> String {
        let request = UInt32(truncatingIfNeeded: a[1])
        let name: String
        switch request {
        case 0x5401: name = "TCGETS"
        case 0x5413: name = "TIOCGWINSZ"
        default: name = hex(UInt64(request))
        }
        return StraceText.fd(a[0]) + ", " + name
    }

    static func ioctlArgument(_ a: Arguments, failed: Bool, memory: TraceeMemory) -> String {
        switch UInt32(truncatingIfNeeded: a[1]) {
        case 0x5401:  // TCGETS: strace prints the struct only on success; we print the address then too
            return StraceText.address(a[2])
        case 0x5413:  // TIOCGWINSZ
            if !failed, let bytes = memory.read(address: a[2], count: 8), bytes.count == 8 {
                func u16(_ i: Int) -> UInt16 { UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 }
                return "{ws_row=\(u16(0)), ws_col=\(u16(2)), ws_xpixel=\(u16(4)), ws_ypixel=\(u16(6))}"
            }
            return StraceText.address(a[2])
        default:
            return hex(a[2])
        }
    }

    /// printclockname: `CLOCK_MONOTONIC`, or `0x2a /* CLOCK_??? */`.
    static func clockName(_ raw: UInt64) -> String {
        let names = ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
                     "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME",
                     "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", "CLOCK_SGI_CYCLE", "CLOCK_TAI"]
        let value = raw & 0xffffffff
        return value < UInt64(names.count) ? names[Int(value)] : hex(value) + " /* CLOCK_??? */"
    }

    /// struct kernel_sigaction (handler, flags, restorer, mask): strace's
    /// `{sa_handler=SIG_DFL, sa_mask=[INT], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x7f…}`.
    static func sigaction(at address: UInt64, size: UInt64, memory: TraceeMemory) -> String {
        if address == 0 { return "NULL" }
        // strace decodes the struct whatever sigsetsize says (the call then fails with EINVAL), and
        // reads it whole as it knows it: 24 bytes, then a mask of NSIG / sizeof(long) longs (88 in all)
        guard let bytes = memory.read(address: address, count: 88), bytes.count == 88 else {
            return StraceText.address(address)
        }
        let handler = UInt64(littleEndian: Array(bytes[0..<8]))
        let flags = UInt64(littleEndian: Array(bytes[8..<16]))
        let restorer = UInt64(littleEndian: Array(bytes[16..<24]))
        let handlerText: String
        switch handler {
        case 0: handlerText = "SIG_DFL"
        case 1: handlerText = "SIG_IGN"
        case UInt64.max: handlerText = "SIG_ERR"
        default: handlerText = hex(handler)
        }
        let maskMemory = SliceMemory(base: address &+ 24, bytes: Array(bytes[24..<32]))
        var text = "{sa_handler=\(handlerText), sa_mask=\(signalSet(at: address &+ 24, size: 8, memory: maskMemory)), sa_flags=\(sigactionFlags.flags(flags))"
        if flags & 0x04000000 != 0 { text += ", sa_restorer=" + StraceText.address(restorer) }
        return text + "}"
    }

    private static let sigactionFlags = FlagTable("sigaction", unknown: "SA_???", [
        ("SA_RESTORER", 0x04000000), ("SA_ONSTACK", 0x08000000), ("SA_RESTART", 0x10000000), ("SA_INTERRUPT", 0x20000000), ("SA_NODEFER", 0x40000000),
        ("SA_RESETHAND", 0x80000000), ("SA_SIGINFO", 0x4), ("SA_NOCLDSTOP", 0x1), ("SA_NOCLDWAIT", 0x2),
    ])

    /// access(2) mode: `F_OK` or `R_OK|W_OK|X_OK`.
    private static func accessMode(_ raw: UInt64) -> String {
        let mode = raw & 0xffffffff
        if mode == 0 { return "F_OK" }
        return FlagTable("access", unknown: "?_OK", [("R_OK", 4), ("W_OK", 2), ("X_OK", 1)]).flags(mode)
    }

    /// `{rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}` (strace's print_rlimit64), NULL, or the
    /// address when it cannot be read.
    static func rlimit(at address: UInt64, memory: TraceeMemory) -> String {
        guard address != 0 else { return "NULL" }
        guard let bytes = memory.read(address: address, count: 16), bytes.count == 16 else {
            return StraceText.address(address)
        }
        func limit(_ value: UInt64) -> String {
            if value == UInt64.max { return "RLIM64_INFINITY" }
            if value > 1024 && value % 1024 == 0 { return "\(value / 1024)*1024" }
            return String(value)
        }
        return "{rlim_cur=\(limit(UInt64(littleEndian: Array(bytes[0..<8])))), rlim_max=\(limit(UInt64(littleEndian: Array(bytes[8..<16]))))}"
    }

    private static func sigprocmaskHow(_ raw: UInt64) -> String {
        let names = ["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"]
        let how = raw & 0xffffffff
        return how < 3 ? names[Int(how)] : hex(how) + " /* SIG_??? */"
    }

    /// sprintsigmask: `[ABRT CHLD]`, `~[RTMIN RT_1]` when more than half the signals are set, `[]`.
    static func signalSet(at address: UInt64, size: UInt64, memory: TraceeMemory) -> String {
        if address == 0 { return "NULL" }
        guard size == 8, let bytes = memory.read(address: address, count: Int(size)), bytes.count == Int(size) else {
            return StraceText.address(address)
        }
        let bits = Int(size) * 8
        var set: [Int32] = []
        for signal in 1...bits where bytes[(signal - 1) / 8] & (1 << UInt8((signal - 1) % 8)) != 0 { set.append(Int32(signal)) }
        var inverted = false
        if set.count >= bits * 2 / 3 {  // sprintsigmask_n: two thirds or more set
            inverted = true
            let members = Set(set)
            set = (1...bits).map { Int32($0) }.filter { !members.contains($0) }
        }
        let names = set.map { signal -> String in
            let name = SignalTable.name(of: signal)
            return name.hasPrefix("SIG") ? String(name.dropFirst(3)) : name
        }
        return (inverted ? "~[" : "[") + names.joined(separator: " ") + "]"
    }

    private static func atFlags(_ raw: UInt64) -> String {
        let table = FlagTable("at", unknown: "AT_???", [
            ("AT_SYMLINK_NOFOLLOW", 0x100), ("AT_REMOVEDIR", 0x200), ("AT_SYMLINK_FOLLOW", 0x400),
            ("AT_NO_AUTOMOUNT", 0x800), ("AT_EMPTY_PATH", 0x1000), ("AT_RECURSIVE", 0x8000),
        ])
        return table.flags(raw & 0xffffffff)
    }

    // MARK: - stat

    /// The abbreviated struct stat strace prints: `{st_mode=S_IFREG|0644, st_size=33519, ...}`.
    static func statStruct(at address: UInt64, memory: TraceeMemory) -> String {
        guard address != 0 else { return "NULL" }
        guard let bytes = memory.read(address: address, count: 144), bytes.count == 144 else { return StraceText.address(address) }
        let mode = UInt32(littleEndian: Array(bytes[24..<28]))
        let rdev = UInt64(littleEndian: Array(bytes[40..<48]))
        let size = Int64(bitPattern: UInt64(littleEndian: Array(bytes[48..<56])))
        let type = mode & 0o170000
        var modeText: String
        switch type {
        case 0o140000: modeText = "S_IFSOCK|"
        case 0o120000: modeText = "S_IFLNK|"
        case 0o100000: modeText = "S_IFREG|"
        case 0o60000: modeText = "S_IFBLK|"
        case 0o40000: modeText = "S_IFDIR|"
        case 0o20000: modeText = "S_IFCHR|"
        case 0o10000: modeText = "S_IFIFO|"
        default: modeText = ""
        }
        if mode & 0o4000 != 0 { modeText += "S_ISUID|" }
        if mode & 0o2000 != 0 { modeText += "S_ISGID|" }
        if mode & 0o1000 != 0 { modeText += "S_ISVTX|" }
        modeText += StraceText.mode(UInt64(mode & 0o777))
        if type == 0o20000 || type == 0o60000 {
            let major = ((rdev >> 32) & 0xfffff000) | ((rdev >> 8) & 0xfff)
            let minor = ((rdev >> 12) & 0xffffff00) | (rdev & 0xff)
            return "{st_mode=\(modeText), st_rdev=makedev(\(hex(major)), \(hex(minor))), ...}"
        }
        return "{st_mode=\(modeText), st_size=\(size), ...}"
    }
}

/// Bytes already read, served as tracee memory (a struct's embedded sigset).
struct SliceMemory: TraceeMemory {
    var base: UInt64
    var bytes: [UInt8]
    func read(address: UInt64, count: Int) -> [UInt8]? {
        let offset = address &- base  // wraps to a huge value below `base`
        guard offset < UInt64(bytes.count), count > 0 else { return nil }
        let start = Int(offset)
        return Array(bytes[start..<start + min(bytes.count - start, count)])
    }
    func readCString(address: UInt64, limit: Int) -> [UInt8]? { nil }
}

/// The six argument registers, with a safe subscript for short arrays.
struct Arguments {
    let values: [UInt64]
    init(_ values: [UInt64]) { self.values = values }
    subscript(_ index: Int) -> UInt64 { index < values.count ? values[index] : 0 }
}

/// x86_64 numbers of the calls decoded here (checked against the generated table by a test).
enum Nr {
    static let read = 0, write = 1, open = 2, close = 3, fstat = 5, lseek = 8, mmap = 9, mprotect = 10, munmap = 11
    static let brk = 12, pread64 = 17, mremap = 25, msync = 26, madvise = 28, shmat = 30
    static let clone = 56, fork = 57, vfork = 58, execve = 59, exit = 60, wait4 = 61, kill = 62
    static let mlock = 149, munlock = 150, mlockall = 151, munlockall = 152, tkill = 200
    static let exitGroup = 231, tgkill = 234, openat = 257, newfstatat = 262, mlock2 = 325, pkeyMprotect = 329
    static let getrandom = 318, clone3 = 435
    static let access = 21, rtSigprocmask = 14, pipe = 22, pipe2 = 293, dup = 32, dup2 = 33, dup3 = 292
    static let prlimit64 = 302, rtSigreturn = 15, fcntl = 72, nanosleep = 35, clockNanosleep = 230
    static let archPrctl = 158, setTidAddress = 218, setRobustList = 273, futex = 202, ioctl = 16, rtSigaction = 13
    static let mincore = 27, remapFilePages = 216, pkeyAlloc = 330, pkeyFree = 331, waitid = 247, closeRange = 436
}

extension UInt64 {
    init(littleEndian bytes: [UInt8]) {
        var value: UInt64 = 0
        for (index, byte) in bytes.prefix(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        self = value
    }
}

extension UInt32 {
    init(littleEndian bytes: [UInt8]) {
        var value: UInt32 = 0
        for (index, byte) in bytes.prefix(4).enumerated() { value |= UInt32(byte) << (8 * UInt32(index)) }
        self = value
    }
}

extension Int32 {
    init(littleEndian bytes: [UInt8]) { self = Int32(bitPattern: UInt32(littleEndian: bytes)) }
}
