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

package enum SyscallDecoder {
    /// Called at syscall entry while the tracee is stopped.
    package static func entry(number: Int, arguments: [UInt64], memory: TraceeMemory) -> SyscallEntry {
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
            entry.renderedAtEntry = ArgumentList((StraceText.fd(a[0]), 0, .fd), (buffer, 1, .string), (String(length), 2, .number))
        case Nr.openat:
            var list = ArgumentList((StraceText.dirfd(a[0]), 0, .fd))
            openArguments(&list, first: 1, a, entry: &entry, memory: memory)
            entry.renderedAtEntry = list
        case Nr.open:
            var list = ArgumentList()
            openArguments(&list, first: 0, a, entry: &entry, memory: memory)
            entry.renderedAtEntry = list
        case Nr.execve:
            let path = StraceText.path(at: a[0], memory: memory)
            entry.captured = path.bytes
            entry.renderedAtEntry = ArgumentList((path.text, 0, .string), (stringArray(at: a[1], memory: memory), 1, .structure),
                                                 (environment(at: a[2], memory: memory), 2, .structure))
        case Nr.clone:
            entry.renderedAtEntry = cloneEntry(a)
        case Nr.clone3:
            entry.renderedAtEntry = ArgumentList((clone3Entry(a, memory: memory), 0, .structure))
        case Nr.access:
            let path = StraceText.path(at: a[0], memory: memory)
            entry.renderedAtEntry = ArgumentList((path.text, 0, .string), (accessMode(a[1]), 1, .flags))
        case Nr.prlimit64:
            // the new limit is read at entry; the old one at exit
            entry.renderedAtEntry = prlimitHead(a, memory: memory)
        case Nr.rtSigprocmask:
            // the new set is read at entry; the old one at exit: keep the entry part
            entry.renderedAtEntry = sigprocmaskHead(a, memory: memory)
        case Nr.futex:
            entry.renderedAtEntry = futex(a, memory: memory)
        case Nr.rtSigaction:
            entry.renderedAtEntry = sigactionHead(a, memory: memory)
        case Nr.read, Nr.pread64, Nr.fstat:
            entry.printedAtEntry = ArgumentList((StraceText.fd(a[0]), 0, .fd))  // the rest at exit, from what the call wrote
        case Nr.wait4:
            entry.printedAtEntry = ArgumentList((StraceText.int(a[0]), 0, .number))
        case Nr.waitid:
            entry.printedAtEntry = waitidHead(a)
        case Nr.mincore:
            entry.printedAtEntry = mincoreHead(a)
        case Nr.getrandom, Nr.pipe, Nr.pipe2:
            entry.printedAtEntry = ArgumentList()
        case Nr.newfstatat:
            entry.printedAtEntry = newfstatatHead(a, memory: memory)
        case Nr.ioctl where isDecodedIoctl(a):
            entry.printedAtEntry = ioctlHead(a)
        case Nr.nanosleep:
            entry.printedAtEntry = ArgumentList((timespec(at: a[0], memory: memory), 0, .structure))
        case Nr.clockNanosleep:
            entry.printedAtEntry = clockNanosleepHead(a, memory: memory)
        case Nr.archPrctl where archPrctlWritesBack(a):
            entry.printedAtEntry = archPrctlHead(a)
        default:
            entry.renderedAtEntry = plainArguments(number: number, a)
        }
        entry.finishedAtEntry = entry.printedAtEntry == nil && number != Nr.clone
        if entry.printedAtEntry == nil, let rendered = entry.renderedAtEntry {
            switch number {
            case Nr.rtSigprocmask, Nr.rtSigaction, Nr.prlimit64:
                entry.printedAtEntry = rendered  // the old value comes at exit
                entry.finishedAtEntry = false
            case Nr.clone3 where !clone3WritesBack(a, memory: memory):
                var whole = rendered
                whole.add(String(a[1]), 1, .number)
                entry.printedAtEntry = whole
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
    package static func entry(number: Int, arguments: [UInt64], stackPointer: UInt64, memory: TraceeMemory) -> SyscallEntry {
        var entry = entry(number: number, arguments: arguments, memory: memory)
        if number == Nr.rtSigreturn {
            // no register: the frame is found from the stack pointer
            entry.renderedAtEntry = ArgumentList((sigreturnFrame(stackPointer: stackPointer, memory: memory), -1, .structure))
        }
        return entry
    }

    /// Called at syscall exit (returnValue nil when the call never returns, e.g. exit_group).
    package static func exit(_ entry: SyscallEntry, returnValue: Int64?, memory: TraceeMemory) -> SyscallEvent {
        let a = Arguments(entry.arguments)
        let number = entry.number
        if returnValue == nil && !entry.finishedAtEntry {
            // Never returned (the process died in it): what strace printed at entry, then
            // ` <unfinished ...>` where its decoder meant to print more at exit.
            return SyscallEvent(number: number, name: SyscallTable.displayName(of: number), arguments: entry.arguments,
                                returnValue: nil, data: entry.captured,
                                renderedArguments: entry.straceEntryText + " <unfinished ...>",
                                argumentSpans: entry.entryArguments.spans, returnText: "?")
        }
        var data = entry.captured
        let failed = returnValue.map(ErrnoTable.isFailure) ?? true
        var rendered: ArgumentList
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
            rendered = entry.printedAtEntry ?? ArgumentList((StraceText.fd(a[0]), 0, .fd))
            rendered.add(buffer, 1, .string)
            rendered.add(String(a[2]), 2, .number)
            if number == Nr.pread64 { rendered.add(String(Int64(bitPattern: a[3])), 3, .number) }
        case Nr.wait4:
            rendered = (entry.printedAtEntry ?? ArgumentList((StraceText.int(a[0]), 0, .number)))
                + wait4Rest(a, returnValue: returnValue, memory: memory)
        case Nr.waitid:
            rendered = (entry.printedAtEntry ?? waitidHead(a)) + waitidRest(a, failed: failed, memory: memory)
        case Nr.mincore:
            rendered = entry.printedAtEntry ?? mincoreHead(a)
            rendered.add(mincoreVector(a, failed: failed, memory: memory), 2, .structure)
        case Nr.getrandom:
            var buffer = StraceText.address(a[0])
            if let count = returnValue, !failed {
                buffer = StraceText.buffer(at: a[0], length: UInt64(bitPattern: count), memory: memory, forceHex: true)
            }
            rendered = ArgumentList((buffer, 0, .string), (String(a[1]), 1, .number),
                                    (FlagTables.getrandom.flags(a[2] & 0xffffffff), 2, .flags))
        case Nr.newfstatat:
            rendered = entry.printedAtEntry ?? newfstatatHead(a, memory: memory)
            rendered.add(failed ? StraceText.address(a[2]) : statStruct(at: a[2], memory: memory), 2, .structure)
            rendered.add(atFlags(a[3]), 3, .flags)
        case Nr.fstat:
            rendered = entry.printedAtEntry ?? ArgumentList((StraceText.fd(a[0]), 0, .fd))
            rendered.add(failed ? StraceText.address(a[1]) : statStruct(at: a[1], memory: memory), 1, .structure)
        case Nr.nanosleep, Nr.clockNanosleep:
            // The time left is written only when a signal cut the sleep short (strace: is_erestart,
            // and for clock_nanosleep only without TIMER_ABSTIME).
            rendered = entry.printedAtEntry ?? (number == Nr.nanosleep
                ? ArgumentList((timespec(at: a[0], memory: memory), 0, .structure))
                : clockNanosleepHead(a, memory: memory))
            let remaining = number == Nr.nanosleep ? 1 : 3
            let interrupted = returnValue.map { ErrnoTable.restartCodes.contains(Int32(truncatingIfNeeded: 0 &- $0)) } ?? false
            let written = interrupted && (number == Nr.nanosleep || a[1] & 0xffffffff == 0)
            rendered.add(written ? timespec(at: a[remaining], memory: memory) : StraceText.address(a[remaining]), remaining, .structure)
        case Nr.rtSigprocmask:
            rendered = entry.printedAtEntry ?? sigprocmaskHead(a, memory: memory)
            rendered.add(failed ? StraceText.address(a[2]) : signalSet(at: a[2], size: a[3], memory: memory), 2, .structure)
            rendered.add(String(a[3]), 3, .number)
        case Nr.archPrctl where archPrctlWritesBack(a):
            rendered = entry.printedAtEntry ?? archPrctlHead(a)
            rendered.add(archPrctlResult(a, failed: failed, memory: memory), 1, .structure)
        case Nr.ioctl where isDecodedIoctl(a):
            rendered = entry.printedAtEntry ?? ioctlHead(a)
            rendered.add(ioctlArgument(a, failed: failed, memory: memory), 2, .structure)
        case Nr.prlimit64:
            rendered = entry.printedAtEntry ?? prlimitHead(a, memory: memory)
            rendered.add(failed ? StraceText.address(a[3]) : rlimit(at: a[3], memory: memory), 3, .structure)
        case Nr.rtSigaction:
            rendered = entry.printedAtEntry ?? sigactionHead(a, memory: memory)
            rendered.add(failed ? StraceText.address(a[2]) : sigaction(at: a[2], size: a[3], memory: memory), 2, .structure)
            rendered.add(String(a[3]), 3, .number)
        case Nr.pipe, Nr.pipe2:
            var fds = StraceText.address(a[0])
            if !failed, a[0] != 0, let bytes = memory.read(address: a[0], count: 8), bytes.count == 8 {
                fds = "[\(Int32(littleEndian: Array(bytes[0..<4]))), \(Int32(littleEndian: Array(bytes[4..<8])))]"
            }
            rendered = ArgumentList((fds, 0, .structure))
            if number == Nr.pipe2 { rendered.add(FlagTables.open.flags(a[1] & 0xffffffff), 1, .flags) }
        case Nr.clone:
            rendered = (entry.renderedAtEntry ?? cloneEntry(a)) + cloneExit(a, failed: failed, memory: memory)
        case Nr.clone3:
            if let whole = entry.printedAtEntry {
                rendered = whole  // strace finished the line at entry (nothing written back)
            } else {
                rendered = entry.renderedAtEntry ?? ArgumentList((clone3Entry(a, memory: memory), 0, .structure))
                rendered.extendLast(clone3WrittenBack(a, failed: failed, memory: memory))
                rendered.add(String(a[1]), 1, .number)
            }
        default:
            rendered = entry.renderedAtEntry ?? plainArguments(number: number, a)
        }
        return SyscallEvent(number: number, name: SyscallTable.displayName(of: number), arguments: entry.arguments,
                            returnValue: returnValue, data: data, renderedArguments: rendered.text, argumentSpans: rendered.spans,
                            returnText: (number == Nr.fcntl ? fcntlReturn(a, returnValue) : nil)
                                ?? renderReturn(number: number, returnValue))
    }

    /// A call whose exit stop came but whose return could not be read (the thread died between
    /// the stop and our look at it): strace's `= ? <unavailable>`, after what it printed at entry.
    package static func unavailable(_ entry: SyscallEntry) -> SyscallEvent {
        SyscallEvent(number: entry.number, name: SyscallTable.displayName(of: entry.number), arguments: entry.arguments,
                     returnValue: nil, data: entry.captured, renderedArguments: entry.straceEntryText,
                     argumentSpans: entry.entryArguments.spans, returnText: "? <unavailable>")
    }

    /// Decodes a raw x86_64 `siginfo_t` (128 bytes, as PTRACE_GETSIGINFO fills it).
    package static func signal(siginfo: [UInt8]) -> SignalEvent {
        SignalDecoding.decode(siginfo)
    }

    /// The text after ` = `: `0x55…` for the address-returning calls, `-1 ENOMEM (Cannot allocate
    /// memory)` for an error, `? ERESTARTSYS (…)` for an interrupted call, `?` when it never returned.
    package static func renderReturn(number: Int, _ value: Int64?) -> String {
        guard let value else { return "?" }
        if ErrnoTable.isFailure(value) {
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
    static func plainArguments(number: Int, _ a: Arguments) -> ArgumentList {
        memoryArguments(number: number, a) ?? fileArguments(number: number, a) ?? processArguments(number: number, a)
            ?? signalArguments(number: number, a) ?? rawArguments(number: number, a)
    }

    /// strace's raw form (`-e raw=`): strace's argument count, each in hex (`0` for zero).
    package static func rawArguments(number: Int, _ arguments: [UInt64]) -> String {
        rawArguments(number: number, Arguments(arguments)).text
    }

    static func rawArguments(number: Int, _ a: Arguments) -> ArgumentList {
        var list = ArgumentList()
        for index in 0..<SyscallTable.argumentCount(of: number) { list.add(hex(a[index]), index, .raw) }
        return list
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
