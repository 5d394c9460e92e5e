// How the picture writes what memory calls did: protections as /proc/PID/maps does, mapping
// flags in words, fault signals and codes, sizes and addresses. The numbers and names come from
// the Syscalls tables (generated from, and tested against, the system headers).

import Syscalls

/// `PROT_*` bits.
enum Protection {
    static let read = FlagTables.prot.value(of: "PROT_READ")!
    static let write = FlagTables.prot.value(of: "PROT_WRITE")!
    static let exec = FlagTables.prot.value(of: "PROT_EXEC")!

    /// `rw-`, as /proc/PID/maps writes it.
    static func short(_ prot: UInt64) -> String {
        (prot & read != 0 ? "r" : "-") + (prot & write != 0 ? "w" : "-") + (prot & exec != 0 ? "x" : "-")
    }

    /// `PROT_READ|PROT_WRITE`, `PROT_NONE`.
    static func symbolic(_ prot: UInt64) -> String {
        prot == 0 ? "PROT_NONE" : FlagTables.prot.bareFlags(prot)
    }
}

/// `MAP_*` bits.
enum MapFlags {
    static let fixed = FlagTables.map.value(of: "MAP_FIXED")!
    static let anonymous = FlagTables.map.value(of: "MAP_ANONYMOUS")!
    /// The map type (shared, private, shared-validate) is the low two bits; the rest are flags.
    static let typeBits: UInt64 = 0x03
    /// `MAP_FIXED_NOREPLACE` → `fixed-noreplace`, by bit value.
    static let table: [(UInt64, String)] = FlagTables.map.entries
        .filter { $0.value != 0 }
        .map { ($0.value, $0.name.dropFirst("MAP_".count).lowercased().split(separator: "_").joined(separator: "-")) }
        .sorted { $0.0 < $1.0 }

    /// `private anonymous`, in words.
    static func words(_ flags: UInt64) -> String {
        var parts: [String] = []
        let type = flags & typeBits
        if let name = table.first(where: { $0.0 == type })?.1 { parts.append(name) }
        var known = typeBits
        for (bit, name) in table where bit > typeBits && flags & bit == bit {
            parts.append(name)
            known |= bit
        }
        if flags & ~known != 0 { parts.append("0x" + String(flags & ~known, radix: 16)) }
        return parts.joined(separator: " ")
    }
}

enum FaultSignal {
    /// The signals a bad memory access or instruction raises.
    static let faults: Set<Int32> = Set(["SIGILL", "SIGTRAP", "SIGBUS", "SIGFPE", "SIGSEGV"].compactMap(SignalTable.number(of:)))

    static func name(_ signal: Int32) -> String { SignalTable.name(of: signal) }

    static func isFault(_ signal: Int32) -> Bool { faults.contains(signal) }

    /// The si_code of a SIGSEGV, with what it means for a learner.
    static func code(signal: Int32, code: Int32) -> String? {
        guard SignalTable.name(of: signal) == "SIGSEGV", let name = SignalTable.codeName(code, signal: signal),
              let meaning = SignalDescriptions.codeMeaning(name) else { return nil }
        return name + ": " + meaning.english
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
