// Names for the numbers a tracer sees: syscalls, errno values, signals and si_codes, strace's
// syscall classes. The data is generated from the kernel headers (SyscallTable.generated.swift,
// scripts/gen-syscall-table.py); this file is the public surface over it.

/// x86_64 syscall numbers and names, as in `<asm/unistd_64.h>`.
public enum SyscallTable {
    /// The highest syscall number the installed headers define (450 on Linux 6.1 headers).
    public static var highestNumber: Int { GeneratedTables.syscallNames.count - 1 }

    /// `mmap` for 9; nil for a number the kernel headers do not define.
    public static func name(of number: Int) -> String? {
        guard number >= 0, number < GeneratedTables.syscallNames.count else { return nil }
        return GeneratedTables.syscallNames[number]
    }

    /// The name strace shows: the table name, or `syscall_0x1f4` for an unknown number.
    public static func displayName(of number: Int) -> String {
        name(of: number) ?? "syscall_0x" + String(UInt64(bitPattern: Int64(number)), radix: 16)
    }

    /// 9 for `mmap`; nil for an unknown name.
    public static func number(of name: String) -> Int? { numbersByName[name] }

    private static let numbersByName: [String: Int] = {
        var map: [String: Int] = [:]
        for (number, name) in GeneratedTables.syscallNames.enumerated() { if let name { map[name] = number } }
        return map
    }()

    /// Every defined (number, name), in number order.
    public static var all: [(number: Int, name: String)] {
        GeneratedTables.syscallNames.enumerated().compactMap { pair in pair.element.map { (pair.offset, $0) } }
    }

    /// How many arguments strace prints for the call in its raw form (6 for an unknown number).
    public static func argumentCount(of number: Int) -> Int {
        guard number >= 0, number < GeneratedTables.argumentCounts.count else { return 6 }
        return Int(GeneratedTables.argumentCounts[number])
    }
}

/// strace's syscall classes, as `-e trace=%memory` / `%process` select them in strace 6.1.
public enum SyscallClass: String, Sendable, CaseIterable {
    case memory
    case process

    /// `%memory` → .memory (the leading `%` is optional).
    public init?(name: String) {
        self.init(rawValue: name.hasPrefix("%") ? String(name.dropFirst()) : name)
    }

    public var numbers: Set<Int> {
        switch self {
        case .memory: return GeneratedTables.memoryClass
        case .process: return GeneratedTables.processClass
        }
    }
}

extension SyscallTable {
    /// The syscall numbers an strace-style selection names: `trace=mmap,brk`, `%memory`,
    /// `trace=%process,write`. Throws a one-line error naming the unknown word.
    public static func numbers(selection: String) throws -> Set<Int> {
        var text = Substring(selection)
        if text.hasPrefix("trace=") { text = text.dropFirst(6) }
        var numbers = Set<Int>()
        for word in text.split(separator: ",", omittingEmptySubsequences: true) {
            let name = word.trimmingSpaces
            if name.hasPrefix("%") {
                guard let group = SyscallClass(name: name) else {
                    throw SelectionError(description: "unknown syscall class \(name) in '\(selection)': use %memory or %process")
                }
                numbers.formUnion(group.numbers)
            } else if let number = number(of: name) {
                numbers.insert(number)
            } else {
                throw SelectionError(description: "unknown syscall \(name) in '\(selection)': use x86_64 names such as mmap,brk,write")
            }
        }
        if numbers.isEmpty {
            throw SelectionError(description: "'\(selection)' selects no syscall: use trace=NAME,… or trace=%memory")
        }
        return numbers
    }

    public struct SelectionError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }
}

private extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

/// errno names and their messages as strace prints them (`ENOMEM (Cannot allocate memory)`).
public enum ErrnoTable {
    /// The kernel's MAX_ERRNO: a syscall fails by returning -errno, and errnos stop at 4095.
    public static let maxErrno: Int64 = 4095

    /// Whether a raw syscall return is a failure (-4095...-1), as the kernel and strace read it.
    public static func isFailure(_ returnValue: Int64) -> Bool { returnValue < 0 && returnValue >= -maxErrno }

    /// `ENOMEM` for 12; also the kernel-internal restart codes strace names (ERESTARTSYS = 512, …).
    public static func name(of errno: Int32) -> String? {
        GeneratedTables.errnos[errno]?.name ?? kernelInternal[errno]?.name
    }

    /// strerror(3)'s text (`Cannot allocate memory`), strace's text for kernel-internal codes,
    /// `Unknown error N` otherwise.
    public static func message(of errno: Int32) -> String {
        GeneratedTables.errnos[errno]?.message ?? kernelInternal[errno]?.message ?? "Unknown error \(errno)"
    }

    /// 12 for `ENOMEM` (aliases such as `EWOULDBLOCK` resolve too).
    public static func number(of name: String) -> Int32? { numbersByName[name] }

    private static let numbersByName: [String: Int32] = {
        var map: [String: Int32] = [:]
        for (value, entry) in GeneratedTables.errnos { map[entry.name] = value }
        for (value, entry) in kernelInternal { map[entry.name] = value }
        for (alias, target) in GeneratedTables.errnoAliases { if let value = map[target] { map[alias] = value } }
        return map
    }()

    /// Codes that never reach user space but that a tracer sees in `rax` when a call is
    /// interrupted; strace prints `= ? ERESTARTSYS (To be restarted if SA_RESTART is set)`.
    static let kernelInternal: [Int32: (name: String, message: String)] = [
        512: ("ERESTARTSYS", "To be restarted if SA_RESTART is set"),
        513: ("ERESTARTNOINTR", "To be restarted"),
        514: ("ERESTARTNOHAND", "To be restarted if no handler"),
        515: ("ENOIOCTLCMD", "No ioctl command"),
        516: ("ERESTART_RESTARTBLOCK", "Interrupted by signal"),
        517: ("EPROBE_DEFER", "Driver requests probe retry"),
        518: ("EOPENSTALE", "Open found a stale dentry"),
        519: ("ENOPARAM", "Parameter not supported"),
        521: ("EBADHANDLE", "Illegal NFS file handle"),
        522: ("ENOTSYNC", "Update synchronization mismatch"),
        523: ("EBADCOOKIE", "Cookie is stale"),
        524: ("ENOTSUPP", "Operation is not supported"),
        525: ("ETOOSMALL", "Buffer or request is too small"),
        526: ("ESERVERFAULT", "An untranslatable error occurred"),
        527: ("EBADTYPE", "Type not supported by server"),
        528: ("EJUKEBOX", "Request initiated, but will not complete before timeout"),
        529: ("EIOCBQUEUED", "iocb queued, will get completion event"),
        530: ("ERECALLCONFLICT", "Conflict with recalled state"),
    ]

    /// The restart codes strace prints as `? NAME (text)` rather than `-1 NAME (text)`.
    static let restartCodes: Set<Int32> = [512, 513, 514, 516]
}

/// Signal names as strace prints them (`SIGSEGV`, `SIGRTMIN`, `SIGRT_3`).
public enum SignalTable {
    public static func name(of signal: Int32) -> String {
        if let name = GeneratedTables.signals[signal] { return name }
        if signal == 32 { return "SIGRTMIN" }
        if signal > 32 && signal <= 64 { return "SIGRT_\(signal - 32)" }
        return String(signal)
    }

    /// 11 for `SIGSEGV` (also `SEGV`, `SIGRTMIN`, `SIGRT_3`, `SIGIOT`, `SIGPOLL`).
    public static func number(of name: String) -> Int32? {
        let full = name.hasPrefix("SIG") ? name : "SIG" + name
        if let hit = GeneratedTables.signals.first(where: { $0.value == full }) { return hit.key }
        switch full {
        case "SIGIOT": return 6
        case "SIGPOLL": return 29
        case "SIGRTMIN": return 32
        default:
            if full.hasPrefix("SIGRT_"), let n = Int32(full.dropFirst(6)), n >= 1, n <= 32 { return 32 + n }
            return nil
        }
    }

    /// The si_code's name as strace prints it: the generic SI_* names first (SI_USER, SI_KERNEL,
    /// SI_TKILL…), then the signal's own family (SEGV_ACCERR for SIGSEGV, CLD_EXITED for SIGCHLD…).
    public static func codeName(_ code: Int32, signal: Int32) -> String? {
        if let generic = GeneratedTables.signalCodes["SI"]?[code] { return generic }
        let family: String?
        switch signal {
        case 5: family = "TRAP"
        case 17: family = "CLD"
        case 29: family = "POLL"
        case 4: family = "ILL"
        case 8: family = "FPE"
        case 11: family = "SEGV"
        case 7: family = "BUS"
        case 31: family = "SYS"
        default: family = nil
        }
        return family.flatMap { GeneratedTables.signalCodes[$0]?[code] }
    }

    /// SEGV_ACCERR → 2 (any family).
    public static func codeNumber(of name: String) -> Int32? {
        for family in GeneratedTables.signalCodes.values {
            if let hit = family.first(where: { $0.value == name }) { return hit.key }
        }
        return nil
    }
}
