// Memory calls beyond mmap's family, as strace 6.1 prints them (its mem.c, pkeys.c):
// remap_file_pages, pkey_alloc, pkey_free, and mincore's vector (read at exit).

extension SyscallDecoder {
    /// The argument lists decided at entry.
    static func memoryCallArguments(number: Int, _ a: Arguments) -> String {
        switch number {
        case Nr.remapFilePages:
            // addr, size, prot, pgoff, flags (printed like mmap's)
            return "\(StraceText.address(a[0])), \(a[1]), \(FlagTables.prot.flags(a[2])), \(a[3]), \(StraceText.mmapFlags(a[4]))"
        case Nr.pkeyAlloc:
            return "\(hex(a[0])), \(FlagTables.pkeyAccess.flags(a[1]))"
        case Nr.pkeyFree:
            return StraceText.int(a[0])  // printargs_d
        default:
            return rawArguments(number: number, a)
        }
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
