// Decoders: raw registers and tracee memory in, strace-identical text out.
//
// The tracer calls `entry` at each syscall-entry stop and `exit` at the matching exit stop, while
// the tracee is stopped, so buffers are read when strace reads them: a `write` buffer, an `openat`
// path and `execve`'s argv at entry; a `read` buffer and `wait4`'s status at exit. Arguments that
// need no memory are rendered at entry too, so a call that never returns (`exit_group`) keeps them.
// Calls without a decoder print in strace's raw form: `name(0x1, 0x2)` with strace 6.1's
// argument count for that call.
//
// This file holds the seam (entry, exit, the return value); each family's argument lists and
// structs are beside it: SyscallDecoder+Memory, +Process (with +Futex, +ArchPrctl), +Signal,
// +File, +Time.

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

    /// `entry` with the stack pointer of the entry stop, for the calls whose arguments live on
    /// the stack: rt_sigreturn's `{mask=[…]}` like strace.
    public static func entry(number: Int, arguments: [UInt64], stackPointer: UInt64, memory: TraceeMemory) -> SyscallEntry {
        var entry = entry(number: number, arguments: arguments, memory: memory)
        if number == Nr.rtSigreturn {
            entry.renderedAtEntry = sigreturnFrame(stackPointer: stackPointer, memory: memory)
        }
        return entry
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

    /// The decoded argument list of a call whose arguments need no memory read after entry.
    static func plainArguments(number: Int, _ a: Arguments) -> String {
        memoryArguments(number: number, a) ?? fileArguments(number: number, a) ?? processArguments(number: number, a)
            ?? signalArguments(number: number, a) ?? rawArguments(number: number, a)
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
