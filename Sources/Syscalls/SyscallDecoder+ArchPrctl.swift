// arch_prctl as strace 6.1 prints it (its prctl.c): the option by name; ARCH_GET_FS/GS and the
// ARCH_GET_XCOMP_* queries print what the call stored, at exit; ARCH_GET_CPUID has no argument;
// ARCH_REQ_XCOMP_* name the feature; every other option prints its argument in hex (`0`, not NULL).

extension SyscallDecoder {
    static let archOptions = FlagTable("archvals", unknown: "ARCH_???", [
        ("ARCH_SET_GS", 0x1001), ("ARCH_SET_FS", 0x1002), ("ARCH_GET_FS", 0x1003), ("ARCH_GET_GS", 0x1004),
        ("ARCH_GET_CPUID", 0x1011), ("ARCH_SET_CPUID", 0x1012), ("ARCH_GET_XCOMP_SUPP", 0x1021),
        ("ARCH_GET_XCOMP_PERM", 0x1022), ("ARCH_REQ_XCOMP_PERM", 0x1023), ("ARCH_GET_XCOMP_GUEST_PERM", 0x1024),
        ("ARCH_REQ_XCOMP_GUEST_PERM", 0x1025), ("ARCH_MAP_VDSO_X32", 0x2001), ("ARCH_MAP_VDSO_32", 0x2002),
        ("ARCH_MAP_VDSO_64", 0x2003),
    ])

    /// x86_xfeatures.in (masks), printed verbose: `0x3 /* XFEATURE_MASK_FP|XFEATURE_MASK_SSE */`.
    static let xfeatureMasks = FlagTable("x86_xfeatures", unknown: "XFEATURE_MASK_???", [
        ("XFEATURE_MASK_FPSSE", 0x3), ("XFEATURE_MASK_FP", 0x1), ("XFEATURE_MASK_SSE", 0x2), ("XFEATURE_MASK_YMM", 0x4),
        ("XFEATURE_MASK_BNDREGS", 0x8), ("XFEATURE_MASK_BNDCSR", 0x10), ("XFEATURE_MASK_AVX512", 0xe0),
        ("XFEATURE_MASK_OPMASK", 0x20), ("XFEATURE_MASK_ZMM_Hi256", 0x40), ("XFEATURE_MASK_Hi16_ZMM", 0x80),
        ("XFEATURE_MASK_PT", 0x100), ("XFEATURE_MASK_PKRU", 0x200), ("XFEATURE_MASK_PASID", 0x400),
        ("XFEATURE_MASK_LBR", 0x8000), ("XFEATURE_MASK_XTILE", 0x60000), ("XFEATURE_MASK_XTILE_CFG", 0x20000),
        ("XFEATURE_MASK_XTILE_DATA", 0x40000),
    ])

    /// x86_xfeature_bits.in (bit numbers), printed verbose: `0x12 /* XFEATURE_XTILE_DATA */`.
    static let xfeatureBits = FlagTable("x86_xfeature_bits", unknown: "XFEATURE_???", [
        ("XFEATURE_FP", 0), ("XFEATURE_SSE", 1), ("XFEATURE_YMM", 2), ("XFEATURE_BNDREGS", 3), ("XFEATURE_BNDCSR", 4),
        ("XFEATURE_OPMASK", 5), ("XFEATURE_ZMM_Hi256", 6), ("XFEATURE_Hi16_ZMM", 7),
        ("XFEATURE_PT_UNIMPLEMENTED_SO_FAR", 8), ("XFEATURE_PKRU", 9), ("XFEATURE_PASID", 10), ("XFEATURE_LBR", 15),
        ("XFEATURE_XTILE_CFG", 17), ("XFEATURE_XTILE_DATA", 18),
    ])

    /// The options whose line strace finishes at exit, from what the call stored.
    static func archPrctlWritesBack(_ a: Arguments) -> Bool {
        switch a[0] & 0xffffffff {
        case 0x1003, 0x1004, 0x1021, 0x1022, 0x1024: return true
        default: return false
        }
    }

    /// `ARCH_GET_FS, `: what strace prints of a writing-back option at entry.
    static func archPrctlHead(_ a: Arguments) -> ArgumentList { ArgumentList((archOptions.value(a[0] & 0xffffffff), 0, .flags)) }

    /// ARCH_GET_FS/GS: `[0x7f…]` (`[NULL]`); ARCH_GET_XCOMP_*: `[0x3 /* XFEATURE_MASK_FP|… */]`.
    static func archPrctlResult(_ a: Arguments, failed: Bool, memory: TraceeMemory) -> String {
        guard a[1] != 0, !failed, let bytes = memory.read(address: a[1], count: 8), bytes.count == 8 else {
            return StraceText.address(a[1])
        }
        let value = UInt64(littleEndian: bytes)
        switch a[0] & 0xffffffff {
        case 0x1003, 0x1004: return "[" + StraceText.address(value) + "]"
        default: return "[" + verbose(value, maskNames(value)) + "]"
        }
    }

    /// The argument list decided at entry.
    static func archPrctlArguments(_ a: Arguments) -> ArgumentList {
        let option = a[0] & 0xffffffff
        switch option {
        case 0x1011: return ArgumentList(("ARCH_GET_CPUID", 0, .flags))
        case 0x1023, 0x1025:
            return ArgumentList((archOptions.value(option), 0, .flags), (verbose(a[1], xfeatureBits.lookup(a[1]) ?? "XFEATURE_???"), 1, .flags))
        default: return ArgumentList((archOptions.value(option), 0, .flags), (hex(a[1]), 1, .raw))
        }
    }

    /// The names of a feature mask's bits (`XFEATURE_MASK_FP|0x100000`), nil for 0.
    private static func maskNames(_ value: UInt64) -> String? {
        if value == 0 { return nil }
        let known = xfeatureMasks.entries.contains { $0.value != 0 && value & $0.value == $0.value }
        return known ? xfeatureMasks.bareFlags(value) : "XFEATURE_MASK_???"
    }

    /// XLAT_STYLE_VERBOSE: the number, then its names in a comment when it has any.
    private static func verbose(_ value: UInt64, _ names: String?) -> String {
        guard let names else { return hex(value) }
        return "\(hex(value)) /* \(names) */"
    }
}
