// The memory calls as strace 6.1 prints them (its mem.c, pkeys.c): mmap, munmap, mprotect,
// mremap, brk, madvise, msync, the locks, remap_file_pages, the protection keys, and
// mincore's vector (read at exit).

extension SyscallDecoder {
    /// The argument lists of the memory calls: mmap's family, brk, the locks and protection keys.
    static func memoryArguments(number: Int, _ a: Arguments) -> ArgumentList? {
        switch number {
        case Nr.brk:
            return ArgumentList((StraceText.address(a[0]), 0, .address))
        case Nr.mmap:
            return TextWriter.renderArguments { text, spans in
                writeAddressAndLength(a, to: &text, spans: &spans)
                text.write(", ")
                FlagTables.prot.appendFlags(a[2], to: &text)
                text.endArgument(2, .flags, in: &spans)
                text.write(", ")
                StraceText.appendMmapFlags(a[3], to: &text)
                text.endArgument(3, .flags, in: &spans)
                text.write(", ")
                text.writeDecimal(Int64(Int32(truncatingIfNeeded: a[4])))
                text.endArgument(4, .fd, in: &spans)
                text.write(", ")
                text.writeHexOrZero(a[5])
                text.endArgument(5, .number, in: &spans)
            }
        case Nr.munmap, Nr.mlock, Nr.munlock:
            return TextWriter.renderArguments { writeAddressAndLength(a, to: &$0, spans: &$1) }
        case Nr.mprotect:
            return TextWriter.renderArguments { text, spans in
                writeAddressAndLength(a, to: &text, spans: &spans)
                text.write(", ")
                FlagTables.prot.appendFlags(a[2], to: &text)
                text.endArgument(2, .flags, in: &spans)
            }
        case Nr.pkeyMprotect:
            return ArgumentList((StraceText.address(a[0]), 0, .address), (String(a[1]), 1, .number),
                                (FlagTables.prot.flags(a[2]), 2, .flags), (StraceText.int(a[3]), 3, .number))
        case Nr.mremap:
            var list = ArgumentList((StraceText.address(a[0]), 0, .address), (String(a[1]), 1, .number),
                                    (String(a[2]), 2, .number), (FlagTables.mremap.flags(a[3]), 3, .flags))
            if a[3] & 3 == 3 { list.add(StraceText.address(a[4]), 4, .address) }
            return list
        case Nr.madvise:
            return ArgumentList((StraceText.address(a[0]), 0, .address), (String(a[1]), 1, .number),
                                (FlagTables.madvise.value(a[2] & 0xffffffff), 2, .flags))
        case Nr.msync:
            return ArgumentList((StraceText.address(a[0]), 0, .address), (String(a[1]), 1, .number),
                                (FlagTables.msync.flags(a[2] & 0xffffffff), 2, .flags))
        case Nr.mlock2:
            return ArgumentList((StraceText.address(a[0]), 0, .address), (String(a[1]), 1, .number),
                                (FlagTables.mlock2.flags(a[2] & 0xffffffff), 2, .flags))
        case Nr.mlockall:
            return ArgumentList((FlagTables.mlockall.flags(a[0] & 0xffffffff), 0, .flags))
        case Nr.remapFilePages:
            // addr, size, prot, pgoff, flags (printed like mmap's)
            return ArgumentList((StraceText.address(a[0]), 0, .address), (String(a[1]), 1, .number),
                                (FlagTables.prot.flags(a[2]), 2, .flags), (String(a[3]), 3, .number),
                                (StraceText.mmapFlags(a[4]), 4, .flags))
        case Nr.pkeyAlloc:
            return ArgumentList((hex(a[0]), 0, .number), (FlagTables.pkeyAccess.flags(a[1]), 1, .flags))
        case Nr.pkeyFree:
            return ArgumentList((StraceText.int(a[0]), 0, .number))  // printargs_d
        default:
            return nil
        }
    }

    /// `0x7f…, 4096`: the start of the memory calls' lists.
    @inline(__always)
    static func writeAddressAndLength(_ a: Arguments, to text: inout TextWriter, spans: inout [ArgumentSpan]) {
        text.writeAddress(a[0])
        text.endArgument(0, .address, in: &spans)
        text.write(", ")
        text.writeDecimal(a[1])
        text.endArgument(1, .number, in: &spans)
    }

    /// mincore's address and length, printed before the call fills the vector.
    static func mincoreHead(_ a: Arguments) -> ArgumentList {
        ArgumentList((StraceText.address(a[0]), 0, .address), (String(a[1]), 1, .number))
    }

    /// mincore's vector: one entry per page of the length (`[1, 0, 1]`, the low bit of each
    /// byte), as print_array prints it; the address when the call failed.
    static func mincoreVector(_ a: Arguments, failed: Bool, memory: TraceeMemory) -> String {
        let length = a[1]
        let pages = length / 4096 + (length & 4095 != 0 ? 1 : 0)
        // print_array: NULL and an empty array print before anything is read
        if a[2] == 0 { return "NULL" }
        if pages == 0 { return "[]" }
        if failed { return StraceText.address(a[2]) }
        return array(at: a[2], count: pages, elementSize: 1, memory: memory) { String($0[0] & 1) }
    }
}
