// Symbolic names the expectation language knows, so that `PROT_READ|PROT_WRITE` compares
// with the raw register and a failure can say "asked mmap for 4096 bytes". The values come
// from module Syscalls' tables (strace's xlat data, checked against the system headers);
// only the few names those tables do not carry are listed here.

import Syscalls

/// A named constant: its value and the table it came from.
struct NamedConstant: Sendable {
    var value: Int64
    var family: String
}

enum Constants {
    /// Flags and values usable as arguments, by name.
    static let arguments: [String: NamedConstant] = {
        var table: [String: NamedConstant] = [:]
        for flags in FlagTables.all {
            for entry in flags.entries where table[entry.name] == nil {
                table[entry.name] = NamedConstant(value: Int64(bitPattern: entry.value), family: flags.name)
            }
        }
        // MAP_ANON is glibc's old spelling of MAP_ANONYMOUS, which strace never prints.
        let extras: [(String, Int64)] = [
            ("AT_FDCWD", Int64(FlagTables.atFDCWD)), ("MAP_ANON", Int64(FlagTables.map.value(of: "MAP_ANONYMOUS")!)),
            ("STDIN_FILENO", 0), ("STDOUT_FILENO", 1), ("STDERR_FILENO", 2),
        ]
        for (name, value) in extras where table[name] == nil { table[name] = NamedConstant(value: value, family: "extra") }
        return table
    }()

    static func errno(named name: String) -> Int32? { ErrnoTable.number(of: name) }

    static func signal(named name: String) -> Int32? {
        name.hasPrefix("SIG") ? SignalTable.number(of: name) : nil
    }

    static func signalCode(named name: String) -> Int32? { SignalTable.codeNumber(of: name) }

    /// The signal a `si_code` name belongs to, or nil when it fits any signal (`SI_*`).
    static func signal(forCode code: String) -> String? {
        let prefixes = ["SEGV_": "SIGSEGV", "BUS_": "SIGBUS", "ILL_": "SIGILL", "FPE_": "SIGFPE",
                        "TRAP_": "SIGTRAP", "CLD_": "SIGCHLD", "POLL_": "SIGPOLL", "SYS_": "SIGSYS"]
        for (prefix, signal) in prefixes where code.hasPrefix(prefix) { return signal }
        return nil
    }

    static func signalName(_ number: Int32) -> String { SignalTable.name(of: number) }

    static func errnoName(_ number: Int32) -> String { ErrnoTable.name(of: number) ?? "errno \(number)" }

    static func codeName(_ code: Int32, signal: Int32) -> String { SignalTable.codeName(code, signal: signal) ?? "\(code)" }

    /// What a learner should read for a `si_code`.
    static func codeMeaning(_ name: String, language: FeedbackLanguage = .english) -> String? {
        SignalDescriptions.codeMeaning(name)?.text(korean: language == .korean)
    }
}

/// How the kernel reads one syscall argument.
enum ArgumentKind: Sendable {
    /// A C `int` (or `unsigned int`): only the low 32 bits count, sign-extended.
    case int
    /// A 64-bit value: length, offset, address.
    case long
    /// An address in the tracee.
    case pointer
    /// A path or buffer whose bytes the tracer captures in `SyscallEvent.data`.
    case bytes
}

/// One argument of a known syscall: its name in the man page and how to talk about it.
struct ArgumentInfo: Sendable {
    var name: String
    var kind: ArgumentKind
    /// How a learner reads it: "length", "protection", "flags", "file descriptor", …
    var role: Role

    enum Role: Sendable { case address, length, protection, mapFlags, fileDescriptor, offset, path, buffer, count, flags, other }
}

enum ArgumentTable {
    static func arguments(of name: String) -> [ArgumentInfo]? { table[name] }

    /// strace leaves out some trailing arguments (the `mode` of `openat` without O_CREAT).
    static func minimumArguments(of name: String) -> Int? {
        ["openat": 3, "open": 2][name]
    }

    private static func a(_ name: String, _ kind: ArgumentKind, _ role: ArgumentInfo.Role) -> ArgumentInfo {
        ArgumentInfo(name: name, kind: kind, role: role)
    }

    static let table: [String: [ArgumentInfo]] = [
        "mmap": [a("addr", .pointer, .address), a("length", .long, .length), a("prot", .int, .protection),
                 a("flags", .int, .mapFlags), a("fd", .int, .fileDescriptor), a("offset", .long, .offset)],
        "munmap": [a("addr", .pointer, .address), a("length", .long, .length)],
        "mprotect": [a("addr", .pointer, .address), a("length", .long, .length), a("prot", .int, .protection)],
        "brk": [a("addr", .pointer, .address)],
        "mremap": [a("old_address", .pointer, .address), a("old_size", .long, .length), a("new_size", .long, .length),
                   a("flags", .int, .flags), a("new_address", .pointer, .address)],
        "madvise": [a("addr", .pointer, .address), a("length", .long, .length), a("advice", .int, .flags)],
        "msync": [a("addr", .pointer, .address), a("length", .long, .length), a("flags", .int, .flags)],
        "mlock": [a("addr", .pointer, .address), a("length", .long, .length)],
        "munlock": [a("addr", .pointer, .address), a("length", .long, .length)],
        "openat": [a("dirfd", .int, .fileDescriptor), a("pathname", .bytes, .path), a("flags", .int, .flags),
                   a("mode", .int, .other)],
        "open": [a("pathname", .bytes, .path), a("flags", .int, .flags), a("mode", .int, .other)],
        "close": [a("fd", .int, .fileDescriptor)],
        "read": [a("fd", .int, .fileDescriptor), a("buf", .bytes, .buffer), a("count", .long, .count)],
        "write": [a("fd", .int, .fileDescriptor), a("buf", .bytes, .buffer), a("count", .long, .count)],
        "pread64": [a("fd", .int, .fileDescriptor), a("buf", .bytes, .buffer), a("count", .long, .count),
                    a("offset", .long, .offset)],
        "pwrite64": [a("fd", .int, .fileDescriptor), a("buf", .bytes, .buffer), a("count", .long, .count),
                     a("offset", .long, .offset)],
        "fstat": [a("fd", .int, .fileDescriptor), a("statbuf", .pointer, .other)],
        "newfstatat": [a("dirfd", .int, .fileDescriptor), a("pathname", .bytes, .path), a("statbuf", .pointer, .other),
                       a("flags", .int, .flags)],
        "lseek": [a("fd", .int, .fileDescriptor), a("offset", .long, .offset), a("whence", .int, .other)],
        "getrandom": [a("buf", .pointer, .buffer), a("buflen", .long, .count), a("flags", .int, .flags)],
        "exit_group": [a("status", .int, .other)],
        "exit": [a("status", .int, .other)],
        "wait4": [a("pid", .int, .other), a("wstatus", .pointer, .other), a("options", .int, .flags),
                  a("rusage", .pointer, .other)],
        "kill": [a("pid", .int, .other), a("sig", .int, .other)],
        "fork": [],
        "vfork": [],
        "getpid": [],
        "getppid": [],
    ]
}
