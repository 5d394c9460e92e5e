// The signal calls as strace 6.1 prints them (its signal.c): kill, tkill, tgkill, rt_sigaction,
// rt_sigprocmask, rt_sigreturn's frame, and signal sets. Delivered signals: SignalDecoding.swift.

extension SyscallDecoder {
    /// The argument lists of the calls that send a signal.
    static func signalArguments(number: Int, _ a: Arguments) -> ArgumentList? {
        switch number {
        case Nr.kill, Nr.tkill:
            return ArgumentList((StraceText.int(a[0]), 0, .number), (StraceText.signal(a[1]), 1, .flags))
        case Nr.tgkill:
            return ArgumentList((StraceText.int(a[0]), 0, .number), (StraceText.int(a[1]), 1, .number),
                                (StraceText.signal(a[2]), 2, .flags))
        default:
            return nil
        }
    }

    /// rt_sigprocmask's how and new set (read at entry; the old set comes at exit).
    static func sigprocmaskHead(_ a: Arguments, memory: TraceeMemory) -> ArgumentList {
        ArgumentList((sigprocmaskHow(a[0]), 0, .flags), (signalSet(at: a[1], size: a[3], memory: memory), 1, .structure))
    }

    /// rt_sigaction's signal and new action (read at entry; the old action comes at exit).
    static func sigactionHead(_ a: Arguments, memory: TraceeMemory) -> ArgumentList {
        ArgumentList((StraceText.signal(a[0]), 0, .flags), (sigaction(at: a[1], size: a[3], memory: memory), 1, .structure))
    }

    /// rt_sigreturn's argument as strace prints it: the mask the signal frame restores. At the
    /// entry, rsp points at the frame's `ucontext` (the restorer's `ret` took the return address),
    /// and `uc_sigmask` follows uc_flags, uc_link, uc_stack (40 bytes) and the sigcontext (256).
    package static func sigreturnFrame(stackPointer: UInt64, memory: TraceeMemory) -> String {
        "{mask=\(signalSet(at: stackPointer &+ 296, size: 8, memory: memory))}"
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
        var text = "{sa_handler=\(handlerText), sa_mask=\(signalSet(at: address &+ 24, size: 8, memory: maskMemory)), sa_flags=\(FlagTables.sigaction.flags(flags))"
        if flags & FlagTables.sigaction.value(of: "SA_RESTORER")! != 0 { text += ", sa_restorer=" + StraceText.address(restorer) }
        return text + "}"
    }

    static func sigprocmaskHow(_ raw: UInt64) -> String {
        FlagTables.sigprocmaskHow.value(raw & 0xffffffff)
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
}
