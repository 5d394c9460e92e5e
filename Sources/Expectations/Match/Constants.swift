// Symbolic names the expectation language knows (x86_64 Linux values), and what each
// syscall's arguments are, so that `PROT_READ|PROT_WRITE` compares with the raw register
// and a failure can say "asked mmap for 4096 bytes".
// A private copy until module Syscalls publishes its flag tables; kept small on purpose.

/// A named constant: its value and the family it belongs to.
struct NamedConstant: Sendable {
    var value: Int64
    var family: String
}

enum Constants {
    /// Flags and values usable as arguments, by name.
    static let arguments: [String: NamedConstant] = {
        var table: [String: NamedConstant] = [:]
        func add(_ family: String, _ entries: [(String, Int64)]) {
            for (name, value) in entries { table[name] = NamedConstant(value: value, family: family) }
        }
        add("PROT", [("PROT_NONE", 0), ("PROT_READ", 0x1), ("PROT_WRITE", 0x2), ("PROT_EXEC", 0x4),
                     ("PROT_GROWSDOWN", 0x0100_0000), ("PROT_GROWSUP", 0x0200_0000)])
        add("MAP", [("MAP_SHARED", 0x1), ("MAP_PRIVATE", 0x2), ("MAP_SHARED_VALIDATE", 0x3), ("MAP_FIXED", 0x10),
                    ("MAP_ANONYMOUS", 0x20), ("MAP_ANON", 0x20), ("MAP_32BIT", 0x40), ("MAP_GROWSDOWN", 0x100),
                    ("MAP_DENYWRITE", 0x800), ("MAP_EXECUTABLE", 0x1000), ("MAP_LOCKED", 0x2000),
                    ("MAP_NORESERVE", 0x4000), ("MAP_POPULATE", 0x8000), ("MAP_NONBLOCK", 0x10000),
                    ("MAP_STACK", 0x20000), ("MAP_HUGETLB", 0x40000), ("MAP_SYNC", 0x80000),
                    ("MAP_FIXED_NOREPLACE", 0x100000), ("MAP_UNINITIALIZED", 0x400_0000)])
        add("O", [("O_RDONLY", 0), ("O_WRONLY", 0x1), ("O_RDWR", 0x2), ("O_CREAT", 0x40), ("O_EXCL", 0x80),
                  ("O_NOCTTY", 0x100), ("O_TRUNC", 0x200), ("O_APPEND", 0x400), ("O_NONBLOCK", 0x800),
                  ("O_DSYNC", 0x1000), ("O_DIRECT", 0x4000), ("O_LARGEFILE", 0x8000), ("O_DIRECTORY", 0x10000),
                  ("O_NOFOLLOW", 0x20000), ("O_NOATIME", 0x40000), ("O_CLOEXEC", 0x80000), ("O_SYNC", 0x101000),
                  ("O_PATH", 0x200000), ("O_TMPFILE", 0x410000)])
        add("AT", [("AT_FDCWD", -100), ("AT_SYMLINK_NOFOLLOW", 0x100), ("AT_REMOVEDIR", 0x200),
                   ("AT_SYMLINK_FOLLOW", 0x400), ("AT_EMPTY_PATH", 0x1000)])
        add("MADV", [("MADV_NORMAL", 0), ("MADV_RANDOM", 1), ("MADV_SEQUENTIAL", 2), ("MADV_WILLNEED", 3),
                     ("MADV_DONTNEED", 4), ("MADV_FREE", 8), ("MADV_REMOVE", 9), ("MADV_DONTFORK", 10),
                     ("MADV_DOFORK", 11), ("MADV_MERGEABLE", 12), ("MADV_UNMERGEABLE", 13), ("MADV_HUGEPAGE", 14),
                     ("MADV_NOHUGEPAGE", 15), ("MADV_DONTDUMP", 16), ("MADV_DODUMP", 17), ("MADV_WIPEONFORK", 18),
                     ("MADV_KEEPONFORK", 19), ("MADV_COLD", 20), ("MADV_PAGEOUT", 21)])
        add("MREMAP", [("MREMAP_MAYMOVE", 1), ("MREMAP_FIXED", 2), ("MREMAP_DONTUNMAP", 4)])
        add("MS", [("MS_ASYNC", 1), ("MS_INVALIDATE", 2), ("MS_SYNC", 4)])
        add("SEEK", [("SEEK_SET", 0), ("SEEK_CUR", 1), ("SEEK_END", 2)])
        add("GRND", [("GRND_NONBLOCK", 1), ("GRND_RANDOM", 2)])
        add("CLONE", [("CLONE_VM", 0x100), ("CLONE_FS", 0x200), ("CLONE_FILES", 0x400), ("CLONE_SIGHAND", 0x800),
                      ("CLONE_PIDFD", 0x1000), ("CLONE_PTRACE", 0x2000), ("CLONE_VFORK", 0x4000),
                      ("CLONE_PARENT", 0x8000), ("CLONE_THREAD", 0x10000), ("CLONE_NEWNS", 0x20000),
                      ("CLONE_SYSVSEM", 0x40000), ("CLONE_SETTLS", 0x80000), ("CLONE_PARENT_SETTID", 0x100000),
                      ("CLONE_CHILD_CLEARTID", 0x200000), ("CLONE_DETACHED", 0x400000), ("CLONE_UNTRACED", 0x800000),
                      ("CLONE_CHILD_SETTID", 0x100_0000)])
        add("STD", [("STDIN_FILENO", 0), ("STDOUT_FILENO", 1), ("STDERR_FILENO", 2)])
        add("WAIT", [("WNOHANG", 1), ("WUNTRACED", 2), ("WCONTINUED", 8), ("__WALL", 0x4000_0000)])
        return table
    }()

    static let errnos: [String: Int32] = [
        "EPERM": 1, "ENOENT": 2, "ESRCH": 3, "EINTR": 4, "EIO": 5, "ENXIO": 6, "E2BIG": 7, "ENOEXEC": 8,
        "EBADF": 9, "ECHILD": 10, "EAGAIN": 11, "EWOULDBLOCK": 11, "ENOMEM": 12, "EACCES": 13, "EFAULT": 14,
        "ENOTBLK": 15, "EBUSY": 16, "EEXIST": 17, "EXDEV": 18, "ENODEV": 19, "ENOTDIR": 20, "EISDIR": 21,
        "EINVAL": 22, "ENFILE": 23, "EMFILE": 24, "ENOTTY": 25, "ETXTBSY": 26, "EFBIG": 27, "ENOSPC": 28,
        "ESPIPE": 29, "EROFS": 30, "EMLINK": 31, "EPIPE": 32, "EDOM": 33, "ERANGE": 34, "EDEADLK": 35,
        "ENAMETOOLONG": 36, "ENOLCK": 37, "ENOSYS": 38, "ENOTEMPTY": 39, "ELOOP": 40, "EOVERFLOW": 75,
        "EOPNOTSUPP": 95, "ENOTSUP": 95, "ETIMEDOUT": 110, "ERESTARTSYS": 512,
    ]

    static let signals: [String: Int32] = [
        "SIGHUP": 1, "SIGINT": 2, "SIGQUIT": 3, "SIGILL": 4, "SIGTRAP": 5, "SIGABRT": 6, "SIGIOT": 6, "SIGBUS": 7,
        "SIGFPE": 8, "SIGKILL": 9, "SIGUSR1": 10, "SIGSEGV": 11, "SIGUSR2": 12, "SIGPIPE": 13, "SIGALRM": 14,
        "SIGTERM": 15, "SIGSTKFLT": 16, "SIGCHLD": 17, "SIGCONT": 18, "SIGSTOP": 19, "SIGTSTP": 20,
        "SIGTTIN": 21, "SIGTTOU": 22, "SIGURG": 23, "SIGXCPU": 24, "SIGXFSZ": 25, "SIGVTALRM": 26,
        "SIGPROF": 27, "SIGWINCH": 28, "SIGIO": 29, "SIGPWR": 30, "SIGSYS": 31,
    ]

    /// `si_code` names: the prefix says which signal they belong to (`SI_` fits any).
    static let signalCodes: [String: Int32] = [
        "SI_USER": 0, "SI_KERNEL": 0x80, "SI_QUEUE": -1, "SI_TIMER": -2, "SI_MESGQ": -3, "SI_ASYNCIO": -4,
        "SI_SIGIO": -5, "SI_TKILL": -6,
        "SEGV_MAPERR": 1, "SEGV_ACCERR": 2, "SEGV_BNDERR": 3, "SEGV_PKUERR": 4,
        "BUS_ADRALN": 1, "BUS_ADRERR": 2, "BUS_OBJERR": 3,
        "ILL_ILLOPC": 1, "ILL_ILLOPN": 2, "ILL_ILLADR": 3, "ILL_ILLTRP": 4, "ILL_PRVOPC": 5, "ILL_PRVREG": 6,
        "ILL_COPROC": 7, "ILL_BADSTK": 8,
        "FPE_INTDIV": 1, "FPE_INTOVF": 2, "FPE_FLTDIV": 3, "FPE_FLTOVF": 4, "FPE_FLTUND": 5, "FPE_FLTRES": 6,
        "FPE_FLTINV": 7, "FPE_FLTSUB": 8,
        "TRAP_BRKPT": 1, "TRAP_TRACE": 2,
        "CLD_EXITED": 1, "CLD_KILLED": 2, "CLD_DUMPED": 3, "CLD_TRAPPED": 4, "CLD_STOPPED": 5, "CLD_CONTINUED": 6,
    ]

    /// The signal a `si_code` name belongs to, or nil when it fits any signal (`SI_*`).
    static func signal(forCode code: String) -> String? {
        let prefixes = ["SEGV_": "SIGSEGV", "BUS_": "SIGBUS", "ILL_": "SIGILL", "FPE_": "SIGFPE",
                        "TRAP_": "SIGTRAP", "CLD_": "SIGCHLD"]
        for (prefix, signal) in prefixes where code.hasPrefix(prefix) { return signal }
        return nil
    }

    static func signalName(_ number: Int32) -> String {
        let names = signals.filter { $0.value == number }.map(\.key).sorted()
        return names.first ?? "signal \(number)"
    }

    static func errnoName(_ number: Int32) -> String {
        let names = errnos.filter { $0.value == number }.map(\.key).sorted()
        let preferred = ["EAGAIN", "EOPNOTSUPP"]
        return names.first { preferred.contains($0) } ?? names.first ?? "errno \(number)"
    }

    static func codeName(_ code: Int32, signal: Int32) -> String {
        let signalName = signalName(signal)
        for (name, value) in signalCodes.sorted(by: { $0.key < $1.key }) where value == code {
            if let owner = Constants.signal(forCode: name), owner == signalName { return name }
        }
        for (name, value) in signalCodes.sorted(by: { $0.key < $1.key }) where value == code && name.hasPrefix("SI_") {
            return name
        }
        return "\(code)"
    }

    /// What a learner should read for a `si_code`.
    static func codeMeaning(_ name: String) -> String? {
        switch name {
        case "SEGV_MAPERR": return "no memory is mapped at that address"
        case "SEGV_ACCERR": return "the page is mapped but its protection forbids that access"
        case "BUS_ADRERR": return "the address lies past the end of a mapped file"
        default: return nil
        }
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

enum SyscallTable {
    static func arguments(of name: String) -> [ArgumentInfo]? { table[name] }

    /// strace leaves out some trailing arguments (the `mode` of `openat` without O_CREAT).
    static func minimumArguments(of name: String) -> Int? {
        ["openat": 3, "open": 2][name]
    }

    private static func a(_ name: String, _ kind: ArgumentKind, _ role: ArgumentInfo.Role) -> ArgumentInfo {
        ArgumentInfo(name: name, kind: kind, role: role)
    }

    private static let table: [String: [ArgumentInfo]] = [
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
