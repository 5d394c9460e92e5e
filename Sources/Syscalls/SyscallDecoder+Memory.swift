// The memory calls as strace 6.1 prints them (its mem.c, pkeys.c): mmap, munmap, mprotect,
// mremap, brk, madvise, msync, the locks, remap_file_pages, the protection keys, and
// mincore's vector (read at exit).

extension SyscallDecoder {
    /// The argument lists of the memory calls: mmap's family, brk, the locks and protection keys.
    static func memoryArguments(number: Int, _ a: Arguments) -> String? {
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
        case Nr.msync:
            return "\(StraceText.address(a[0])), \(a[1]), \(FlagTables.msync.flags(a[2] & 0xffffffff))"
        case Nr.mlock2:
            return "\(StraceText.address(a[0])), \(a[1]), \(FlagTables.mlock2.flags(a[2] & 0xffffffff))"
        case Nr.mlockall:
            return FlagTables.mlockall.flags(a[0] & 0xffffffff)
        case Nr.remapFilePages:
            // addr, size, prot, pgoff, flags (printed like mmap's)
            return "\(StraceText.address(a[0])), \(a[1]), \(FlagTables.prot.flags(a[2])), \(a[3]), \(StraceText.mmapFlags(a[4]))"
        case Nr.pkeyAlloc:
            return "\(hex(a[0])), \(FlagTables.pkeyAccess.flags(a[1]))"
        case Nr.pkeyFree:
            return StraceText.int(a[0])  // printargs_d
        default:
            return nil
        }
    }

    /// `0x7f…, 4096`: the start of the memory calls' lists.
    @inline(__always)
    static func writeAddressAndLength(_ a: Arguments, to text: inout TextWriter) {
        text.writeAddress(a[0])
        text.write(", ")
        text.writeDecimal(a[1])
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
