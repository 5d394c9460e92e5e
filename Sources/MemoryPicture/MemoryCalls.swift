// The little knowledge of Linux memory calls the picture needs: x86_64 syscall numbers,
// protection and mapping flag names, fault codes, and how to write sizes and addresses.
// Kept here (not taken from the decoder) so that the picture depends only on the event model.

enum MemoryCall {
    static let mmap = 9
    static let mprotect = 10
    static let munmap = 11
    static let brk = 12
    static let mremap = 25

    static func name(_ number: Int) -> String {
        switch number {
        case mmap: return "mmap"
        case mprotect: return "mprotect"
        case munmap: return "munmap"
        case brk: return "brk"
        case mremap: return "mremap"
        default: return "syscall_\(number)"
        }
    }
}

/// `PROT_*` bits (asm-generic/mman-common.h).
enum Protection {
    static let read: UInt64 = 0x1
    static let write: UInt64 = 0x2
    static let exec: UInt64 = 0x4

    /// `rw-`, as /proc/PID/maps writes it.
    static func short(_ prot: UInt64) -> String {
        (prot & read != 0 ? "r" : "-") + (prot & write != 0 ? "w" : "-") + (prot & exec != 0 ? "x" : "-")
    }

    static func symbolic(_ prot: UInt64) -> String {
        if prot == 0 { return "PROT_NONE" }
        var parts: [String] = []
        if prot & read != 0 { parts.append("PROT_READ") }
        if prot & write != 0 { parts.append("PROT_WRITE") }
        if prot & exec != 0 { parts.append("PROT_EXEC") }
        let rest = prot & ~(read | write | exec)
        if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
        return parts.joined(separator: "|")
    }
}

/// `MAP_*` bits (x86_64).
enum MapFlags {
    static let shared: UInt64 = 0x01
    static let `private`: UInt64 = 0x02
    static let fixed: UInt64 = 0x10
    static let anonymous: UInt64 = 0x20
    static let table: [(UInt64, String)] = [
        (0x01, "shared"), (0x02, "private"), (0x03, "shared-validate"), (0x10, "fixed"), (0x20, "anonymous"),
        (0x100, "growsdown"), (0x800, "denywrite"), (0x1000, "executable"), (0x2000, "locked"),
        (0x4000, "noreserve"), (0x8000, "populate"), (0x10000, "nonblock"), (0x20000, "stack"),
        (0x40000, "hugetlb"), (0x100000, "fixed-noreplace"),
    ]

    /// `private anonymous`, in words.
    static func words(_ flags: UInt64) -> String {
        var parts: [String] = []
        let type = flags & 0x03
        if let name = table.first(where: { $0.0 == type })?.1 { parts.append(name) }
        var known: UInt64 = 0x03
        for (bit, name) in table where bit > 0x03 && flags & bit != 0 {
            parts.append(name)
            known |= bit
        }
        if flags & ~known != 0 { parts.append("0x" + String(flags & ~known, radix: 16)) }
        return parts.joined(separator: " ")
    }
}

enum FaultSignal {
    static func name(_ signal: Int32) -> String {
        switch signal {
        case 4: return "SIGILL"
        case 5: return "SIGTRAP"
        case 7: return "SIGBUS"
        case 8: return "SIGFPE"
        case 11: return "SIGSEGV"
        default: return "signal \(signal)"
        }
    }

    static func isFault(_ signal: Int32) -> Bool { [4, 5, 7, 8, 11].contains(signal) }

    /// The si_code of a SIGSEGV, with what it means for a learner.
    static func code(signal: Int32, code: Int32) -> String? {
        guard signal == 11 else { return nil }
        switch code {
        case 1: return "SEGV_MAPERR: nothing is mapped at this address"
        case 2: return "SEGV_ACCERR: mapped, but its protection forbids this access"
        default: return nil
        }
    }
}

enum Sizes {
    static let page: UInt64 = 4096

    static func pageRounded(_ length: UInt64) -> UInt64 {
        let (sum, overflow) = length.addingReportingOverflow(page - 1)
        return overflow ? length : sum & ~(page - 1)
    }

    /// `208896 B (204 KiB)`; small sizes stay in bytes only.
    static func exact(_ bytes: UInt64) -> String {
        bytes < 1024 ? "\(bytes) B" : "\(bytes) B (\(human(bytes)))"
    }

    /// `204 KiB`, `1.0 MiB`, `64 TiB`.
    static func human(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        if value == value.rounded() || value >= 100 { return "\(Int(value.rounded())) \(units[unit])" }
        let tenths = (value * 10).rounded() / 10
        return "\(tenths) \(units[unit])"
    }

    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }

    static func signedDelta(_ from: UInt64, _ to: UInt64) -> String {
        to >= from ? "+\(exact(to - from))" : "-\(exact(from - to))"
    }
}
