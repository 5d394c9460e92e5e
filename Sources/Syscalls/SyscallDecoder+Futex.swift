// futex as strace 6.1 prints it (its futex.c): the operation by exact name (futexops.in is a
// table of values, so `FUTEX_FD|FUTEX_PRIVATE_FLAG` is one name and an unlisted combination
// prints as `0x101 /* FUTEX_??? */`), then the arguments that operation uses.

extension SyscallDecoder {
    /// futexops.in: the commands, their _PRIVATE forms, and the few |FUTEX_CLOCK_REALTIME ones.
    static let futexOperations: FlagTable = {
        let commands = ["FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE", "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP",
                        "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI", "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET",
                        "FUTEX_WAIT_REQUEUE_PI", "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2"]
        var entries = commands.enumerated().map { ($0.element, UInt64($0.offset)) }
        for (value, name) in commands.enumerated() {
            entries.append((value == 2 ? "FUTEX_FD|FUTEX_PRIVATE_FLAG" : name + "_PRIVATE", UInt64(value) | 128))
        }
        for (name, value) in [("FUTEX_WAIT", 0), ("FUTEX_WAIT_PRIVATE", 128), ("FUTEX_WAIT_BITSET", 9),
                              ("FUTEX_WAIT_BITSET_PRIVATE", 137), ("FUTEX_WAIT_REQUEUE_PI", 11),
                              ("FUTEX_WAIT_REQUEUE_PI_PRIVATE", 139)] as [(String, UInt64)] {
            entries.append((name + "|FUTEX_CLOCK_REALTIME", value | 256))
        }
        return FlagTable("futexops", unknown: "FUTEX_???", entries)
    }()

    private static let wakeOperations = ["FUTEX_OP_SET", "FUTEX_OP_ADD", "FUTEX_OP_OR", "FUTEX_OP_ANDN", "FUTEX_OP_XOR"]
    private static let wakeComparisons = ["FUTEX_OP_CMP_EQ", "FUTEX_OP_CMP_NE", "FUTEX_OP_CMP_LT", "FUTEX_OP_CMP_LE",
                                          "FUTEX_OP_CMP_GT", "FUTEX_OP_CMP_GE"]

    static func futex(_ a: Arguments, memory: TraceeMemory) -> ArgumentList {
        // op is a C int, printed by printxval as an unsigned int
        let op = Int32(truncatingIfNeeded: a[1])
        let command = op & 127
        let value = String(UInt32(truncatingIfNeeded: a[2]))
        let value2 = String(UInt32(truncatingIfNeeded: a[3]))
        let value3 = UInt32(truncatingIfNeeded: a[5])
        let bitset = value3 == 0xffffffff ? "FUTEX_BITSET_MATCH_ANY" : hex(UInt64(value3))
        var list = ArgumentList((StraceText.address(a[0]), 0, .address), (futexOperations.value(UInt64(UInt32(bitPattern: op))), 1, .flags))
        func timeout() -> (String, Int, SyscallArgument.Kind) { (timespec(at: a[3], memory: memory), 3, .structure) }
        let value1 = (value, 2, SyscallArgument.Kind.number)
        let bits = (bitset, 5, SyscallArgument.Kind.flags)
        let parts: [(String, Int, SyscallArgument.Kind)]
        switch command {
        case 0: parts = [value1, timeout()]
        case 6, 13: parts = [timeout()]
        case 9: parts = [value1, timeout(), bits]
        case 10: parts = [value1, bits]
        case 3: parts = [value1, (value2, 3, .number), (StraceText.address(a[4]), 4, .address)]
        case 4, 12: parts = [value1, (value2, 3, .number), (StraceText.address(a[4]), 4, .address), (String(value3), 5, .number)]
        case 5: parts = [value1, (value2, 3, .number), (StraceText.address(a[4]), 4, .address), (wakeOperation(value3), 5, .flags)]
        case 11: parts = [value1, timeout(), (StraceText.address(a[4]), 4, .address)]
        case 1, 2: parts = [value1]
        case 7, 8: parts = []
        default: parts = [value1, (StraceText.address(a[3]), 3, .address), (StraceText.address(a[4]), 4, .address), (hex(UInt64(value3)), 5, .raw)]
        }
        for part in parts { list.add(part.0, part.1, part.2) }
        return list
    }

    /// FUTEX_WAKE_OP's encoded operation: `FUTEX_OP_OPARG_SHIFT<<28|FUTEX_OP_ADD<<28|0x1<<12|FUTEX_OP_CMP_GT<<24|0x2`.
    private static func wakeOperation(_ value: UInt32) -> String {
        var text = ""
        if (value >> 28) & 8 != 0 { text += "FUTEX_OP_OPARG_SHIFT<<28|" }
        let operation = Int((value >> 28) & 7)
        text += operation < wakeOperations.count ? wakeOperations[operation] + "<<28" : hex(UInt64(operation)) + "<<28 /* FUTEX_OP_??? */"
        text += "|" + hex(UInt64((value >> 12) & 0xfff)) + "<<12|"
        let comparison = Int((value >> 24) & 0xf)
        text += comparison < wakeComparisons.count ? wakeComparisons[comparison] + "<<24" : hex(UInt64(comparison)) + "<<24 /* FUTEX_OP_CMP_??? */"
        return text + "|" + hex(UInt64(value & 0xfff))
    }
}
