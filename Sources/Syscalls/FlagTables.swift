// Flag and value tables for the calls this module decodes, as data: names and x86_64 values in
// strace 6.1's order (its src/xlat/*.in files), because strace prints matching flags in table
// order. Tests/SyscallsTests/FlagTableTests.swift checks every value against the system headers
// by compiling a C program that prints them.

/// One strace xlat table: names with values, in strace's order.
public struct FlagTable: Sendable {
    public let name: String
    public let entries: [(name: String, value: UInt64)]
    /// The text strace puts in a comment after an unknown value (`PROT_???`).
    let unknown: String

    init(_ name: String, unknown: String, _ entries: [(String, UInt64)]) {
        self.name = name
        self.unknown = unknown
        self.entries = entries.map { (name: $0.0, value: $0.1) }
    }

    /// The value of one name (`PROT_READ` → 1).
    public func value(of name: String) -> UInt64? { entries.first { $0.name == name }?.value }

    /// The first name of one value (`1` → `PROT_READ`).
    public func name(of value: UInt64) -> String? { entries.first { $0.value == value }?.name }

    /// strace's printflags: every entry whose bits are all set, in table order, joined by `|`;
    /// leftover bits as `|0x…`; a value with no known bit as `0x… /* PROT_??? */`; 0 as the
    /// table's zero entry (`PROT_NONE`) or `0`.
    func flags(_ value: UInt64) -> String {
        TextWriter.render { appendFlags(value, to: &$0) }
    }

    /// `flags(value)` written to `text` (the hot calls build their argument list in one buffer).
    func appendFlags(_ value: UInt64, to text: inout TextWriter) {
        var remaining = value
        var first = true
        for entry in entries {
            if (remaining == entry.value && first) || (entry.value != 0 && remaining & entry.value == entry.value) {
                if !first { text.write(0x7c) }  // |
                text.write(entry.name)
                first = false
                remaining &= ~entry.value
                if remaining == 0 { break }
            }
        }
        if first {
            if remaining == 0 {
                text.write(0x30)
            } else {
                text.writeHex(remaining)
                text.write(" /* ")
                text.write(unknown)
                text.write(" */")
            }
        } else if remaining != 0 {
            text.write(0x7c)
            text.writeHex(remaining)
        }
    }

    /// Like `flags` but without the `/* …??? */` comment for unknown bits (strace's nested printflags).
    public func bareFlags(_ value: UInt64) -> String {
        TextWriter.render { appendBareFlags(value, to: &$0) }
    }

    func appendBareFlags(_ value: UInt64, to text: inout TextWriter) {
        var remaining = value
        var first = true
        for entry in entries where entry.value != 0 && remaining & entry.value == entry.value {
            if !first { text.write(0x7c) }
            text.write(entry.name)
            first = false
            remaining &= ~entry.value
        }
        if remaining != 0 {
            if !first { text.write(0x7c) }
            text.writeHex(remaining)
        }
    }

    /// strace's printxval: the exact value's name, or `0x3e7 /* MADV_??? */`.
    func value(_ value: UInt64) -> String {
        if let hit = entries.first(where: { $0.value == value }) { return hit.name }
        return hex(value) + " /* \(unknown) */"
    }

    /// The exact value's name, or nil.
    func lookup(_ value: UInt64) -> String? { entries.first(where: { $0.value == value })?.name }
}

/// strace's `%#x`: `0` for zero, `0x1f` otherwise.
@inline(__always) func hex(_ value: UInt64) -> String {
    value == 0 ? "0" : IntegerText.hex(value)
}

public enum FlagTables {
    /// mmap/mprotect `prot` (strace mmap_prot.in).
    public static let prot = FlagTable("prot", unknown: "PROT_???", [
        ("PROT_NONE", 0x0), ("PROT_READ", 0x1), ("PROT_WRITE", 0x2), ("PROT_EXEC", 0x4), ("PROT_SEM", 0x8),
        ("PROT_GROWSDOWN", 0x01000000), ("PROT_GROWSUP", 0x02000000),
    ])

    /// mmap `flags` (strace 6.1 mmap_flags.in, x86_64 values). The first three and MAP_FILE are
    /// the map type (`flags & 0xf`); the hugetlb size bits (`flags >> 26 & 0x3f`) print as `21<<MAP_HUGE_SHIFT`.
    public static let map = FlagTable("map", unknown: "MAP_???", [
        ("MAP_SHARED", 0x1), ("MAP_PRIVATE", 0x2), ("MAP_SHARED_VALIDATE", 0x3),
        ("MAP_FIXED", 0x10), ("MAP_ANONYMOUS", 0x20), ("MAP_32BIT", 0x40),
        ("MAP_NORESERVE", 0x4000), ("MAP_POPULATE", 0x8000), ("MAP_NONBLOCK", 0x10000),
        ("MAP_GROWSDOWN", 0x100), ("MAP_DENYWRITE", 0x800), ("MAP_EXECUTABLE", 0x1000),
        ("MAP_FILE", 0x0), ("MAP_LOCKED", 0x2000), ("MAP_STACK", 0x20000), ("MAP_HUGETLB", 0x40000),
        ("MAP_SYNC", 0x80000), ("MAP_UNINITIALIZED", 0x4000000), ("MAP_FIXED_NOREPLACE", 0x100000),
    ])
    static let mapType: UInt64 = 0xf
    static let mapHugeShift: UInt64 = 26
    static let mapHugeMask: UInt64 = 0x3f

    /// mremap `flags` (strace mremap_flags.in).
    public static let mremap = FlagTable("mremap", unknown: "MREMAP_???", [
        ("MREMAP_MAYMOVE", 0x1), ("MREMAP_FIXED", 0x2), ("MREMAP_DONTUNMAP", 0x4),
    ])

    /// madvise `advice` (strace 6.1 madvise_cmds.in; a value, not flags).
    /// Every fcntl command strace 6.1 names (fcntlcmds.in, x86_64 values); others print `F_???`.
    public static let fcntlCommands = FlagTable("fcntlcmds", unknown: "F_???", [
        ("F_DUPFD", 0), ("F_GETFD", 1), ("F_SETFD", 2), ("F_GETFL", 3), ("F_SETFL", 4), ("F_GETLK", 5), ("F_SETLK", 6),
        ("F_SETLKW", 7), ("F_SETOWN", 8), ("F_GETOWN", 9), ("F_SETSIG", 10), ("F_GETSIG", 11), ("F_SETOWN_EX", 15),
        ("F_GETOWN_EX", 16), ("F_GETOWNER_UIDS", 17), ("F_OFD_GETLK", 36), ("F_OFD_SETLK", 37), ("F_OFD_SETLKW", 38),
        ("F_SETLEASE", 1024), ("F_GETLEASE", 1025), ("F_NOTIFY", 1026), ("F_CANCELLK", 1029), ("F_DUPFD_CLOEXEC", 1030),
        ("F_SETPIPE_SZ", 1031), ("F_GETPIPE_SZ", 1032), ("F_ADD_SEALS", 1033), ("F_GET_SEALS", 1034),
    ])

    /// fcntl F_SETFD flags (strace fdflags.in).
    public static let fdFlags = FlagTable("fdflags", unknown: "FD_???", [("FD_CLOEXEC", 1)])

    /// getrlimit/prlimit64 resources (strace resources.in).
    public static let rlimitResource = FlagTable("resources", unknown: "RLIMIT_???", [
        ("RLIMIT_CPU", 0), ("RLIMIT_FSIZE", 1), ("RLIMIT_DATA", 2), ("RLIMIT_STACK", 3), ("RLIMIT_CORE", 4),
        ("RLIMIT_RSS", 5), ("RLIMIT_NPROC", 6), ("RLIMIT_NOFILE", 7), ("RLIMIT_MEMLOCK", 8), ("RLIMIT_AS", 9),
        ("RLIMIT_LOCKS", 10), ("RLIMIT_SIGPENDING", 11), ("RLIMIT_MSGQUEUE", 12), ("RLIMIT_NICE", 13),
        ("RLIMIT_RTPRIO", 14), ("RLIMIT_RTTIME", 15),
    ])

    public static let madvise = FlagTable("madvise", unknown: "MADV_???", [
        ("MADV_NORMAL", 0), ("MADV_RANDOM", 1), ("MADV_SEQUENTIAL", 2), ("MADV_WILLNEED", 3), ("MADV_DONTNEED", 4),
        ("MADV_FREE", 8), ("MADV_REMOVE", 9), ("MADV_DONTFORK", 10), ("MADV_DOFORK", 11), ("MADV_MERGEABLE", 12),
        ("MADV_UNMERGEABLE", 13), ("MADV_HUGEPAGE", 14), ("MADV_NOHUGEPAGE", 15), ("MADV_DONTDUMP", 16),
        ("MADV_DODUMP", 17), ("MADV_WIPEONFORK", 18), ("MADV_KEEPONFORK", 19), ("MADV_COLD", 20),
        ("MADV_PAGEOUT", 21), ("MADV_POPULATE_READ", 22), ("MADV_POPULATE_WRITE", 23),
        ("MADV_DONTNEED_LOCKED", 24), ("MADV_COLLAPSE", 25), ("MADV_HWPOISON", 100), ("MADV_SOFT_OFFLINE", 101),
    ])

    /// msync `flags` (strace mctl_sync.in).
    public static let msync = FlagTable("msync", unknown: "MS_???", [
        ("MS_SYNC", 0x4), ("MS_ASYNC", 0x1), ("MS_INVALIDATE", 0x2),
    ])

    /// mlockall `flags` (strace mlockall_flags.in).
    public static let mlockall = FlagTable("mlockall", unknown: "MCL_???", [
        ("MCL_CURRENT", 0x1), ("MCL_FUTURE", 0x2), ("MCL_ONFAULT", 0x4),
    ])

    /// mlock2 `flags` (strace mlock_flags.in).
    public static let mlock2 = FlagTable("mlock2", unknown: "MLOCK_???", [("MLOCK_ONFAULT", 0x1)])

    /// open/openat access mode, `flags & 3` (strace open_access_modes.in).
    public static let openAccess = FlagTable("open_access", unknown: "O_???", [
        ("O_RDONLY", 0), ("O_WRONLY", 1), ("O_RDWR", 2), ("O_ACCMODE", 3),
    ])

    /// open/openat flags besides the access mode (strace open_mode_flags.in, x86_64 kernel values:
    /// O_LARGEFILE is the kernel's 0100000 although glibc defines it as 0 on x86_64).
    public static let open = FlagTable("open", unknown: "O_???", [
        ("O_CREAT", 0o100), ("O_EXCL", 0o200), ("O_NOCTTY", 0o400), ("O_TRUNC", 0o1000), ("O_APPEND", 0o2000),
        ("O_NONBLOCK", 0o4000), ("O_SYNC", 0o4010000), ("__O_SYNC", 0o4000000), ("O_DSYNC", 0o10000),
        ("O_DIRECT", 0o40000), ("O_LARGEFILE", 0o100000), ("O_NOFOLLOW", 0o400000), ("O_NOATIME", 0o1000000),
        ("O_CLOEXEC", 0o2000000), ("O_PATH", 0o10000000), ("O_TMPFILE", 0o20200000), ("__O_TMPFILE", 0o20000000),
        ("O_DIRECTORY", 0o200000), ("FASYNC", 0o20000),
    ])

    /// The `*at` calls' directory descriptor for "the current directory".
    public static let atFDCWD: Int32 = -100

    /// clone flags (strace clone_flags.in; the low byte is the exit signal). CLONE_DETACHED is
    /// not in it: the kernel ignores it, and strace prints it as an unknown bit.
    public static let clone = FlagTable("clone", unknown: "CLONE_???", cloneFlags)

    /// clone3 flags: clone_flags.in, then clone3_flags.in (strace prints the tables in that order).
    public static let clone3 = FlagTable("clone3", unknown: "CLONE_???", cloneFlags + [
        ("CLONE_NEWTIME", 0x80), ("CLONE_CLEAR_SIGHAND", 0x100000000), ("CLONE_INTO_CGROUP", 0x200000000),
    ])

    private static let cloneFlags: [(String, UInt64)] = [
        ("CLONE_VM", 0x100), ("CLONE_FS", 0x200), ("CLONE_FILES", 0x400),
        ("CLONE_SIGHAND", 0x800), ("CLONE_PIDFD", 0x1000), ("CLONE_PTRACE", 0x2000), ("CLONE_VFORK", 0x4000),
        ("CLONE_PARENT", 0x8000), ("CLONE_THREAD", 0x10000), ("CLONE_NEWNS", 0x20000), ("CLONE_SYSVSEM", 0x40000),
        ("CLONE_SETTLS", 0x80000), ("CLONE_PARENT_SETTID", 0x100000), ("CLONE_CHILD_CLEARTID", 0x200000),
        ("CLONE_UNTRACED", 0x800000), ("CLONE_CHILD_SETTID", 0x1000000),
        ("CLONE_NEWCGROUP", 0x2000000), ("CLONE_NEWUTS", 0x4000000), ("CLONE_NEWIPC", 0x8000000),
        ("CLONE_NEWUSER", 0x10000000), ("CLONE_NEWPID", 0x20000000), ("CLONE_NEWNET", 0x40000000),
        ("CLONE_IO", 0x80000000),
    ]

    /// wait4/waitid options (strace wait4_options.in: WUNTRACED is not listed where WSTOPPED,
    /// the same bit, is defined).
    public static let waitOptions = FlagTable("wait", unknown: "W???", [
        ("WNOHANG", 0x1), ("WEXITED", 0x4), ("WSTOPPED", 0x2), ("WCONTINUED", 0x8), ("WNOWAIT", 0x1000000),
        ("__WCLONE", 0x80000000), ("__WALL", 0x40000000), ("__WNOTHREAD", 0x20000000),
    ])

    /// waitid's idtype (strace waitid_types.in; a value).
    public static let waitidTypes = FlagTable("waitid", unknown: "P_???", [
        ("P_ALL", 0), ("P_PID", 1), ("P_PGID", 2), ("P_PIDFD", 3),
    ])

    /// The ptrace event in the high bits of a wait status (strace ptrace_events.in; a value).
    public static let ptraceEvents = FlagTable("ptrace_events", unknown: "PTRACE_EVENT_???", [
        ("PTRACE_EVENT_FORK", 1), ("PTRACE_EVENT_VFORK", 2), ("PTRACE_EVENT_CLONE", 3), ("PTRACE_EVENT_EXEC", 4),
        ("PTRACE_EVENT_VFORK_DONE", 5), ("PTRACE_EVENT_EXIT", 6), ("PTRACE_EVENT_SECCOMP", 7), ("PTRACE_EVENT_STOP", 128),
    ])

    /// close_range flags (strace close_range_flags.in).
    public static let closeRange = FlagTable("close_range", unknown: "CLOSE_RANGE_???", [
        ("CLOSE_RANGE_UNSHARE", 0x2), ("CLOSE_RANGE_CLOEXEC", 0x4),
    ])

    /// pkey_alloc access rights (strace pkey_access.in).
    public static let pkeyAccess = FlagTable("pkey_access", unknown: "PKEY_???", [
        ("PKEY_DISABLE_ACCESS", 0x1), ("PKEY_DISABLE_WRITE", 0x2), ("PKEY_DISABLE_EXECUTE", 0x4),
    ])

    /// getrandom flags (strace getrandom_flags.in).
    public static let getrandom = FlagTable("getrandom", unknown: "GRND_???", [
        ("GRND_NONBLOCK", 0x1), ("GRND_RANDOM", 0x2), ("GRND_INSECURE", 0x4),
    ])

    /// clock_nanosleep flags (strace clockflags.in).
    public static let clockFlags = FlagTable("clock", unknown: "TIMER_???", [("TIMER_ABSTIME", 0x1)])

    /// access(2) mode bits (strace access_modes.in; 0 prints as F_OK).
    public static let access = FlagTable("access", unknown: "?_OK", [("R_OK", 4), ("W_OK", 2), ("X_OK", 1)])

    /// The `*at` calls' flags (strace at_flags.in).
    public static let at = FlagTable("at", unknown: "AT_???", [
        ("AT_SYMLINK_NOFOLLOW", 0x100), ("AT_REMOVEDIR", 0x200), ("AT_SYMLINK_FOLLOW", 0x400),
        ("AT_NO_AUTOMOUNT", 0x800), ("AT_EMPTY_PATH", 0x1000), ("AT_RECURSIVE", 0x8000),
    ])

    /// lseek `whence` (strace whence_codes.in; a value).
    public static let whence = FlagTable("whence", unknown: "SEEK_???", [
        ("SEEK_SET", 0), ("SEEK_CUR", 1), ("SEEK_END", 2), ("SEEK_DATA", 3), ("SEEK_HOLE", 4),
    ])

    /// The terminal ioctl requests stdio makes, the only ones decoded (others print in hex).
    public static let ioctlRequests = FlagTable("ioctl", unknown: "", [("TCGETS", 0x5401), ("TIOCGWINSZ", 0x5413)])

    /// Clock ids (strace clocknames.in; a value).
    public static let clocks = FlagTable("clocknames", unknown: "CLOCK_???", [
        ("CLOCK_REALTIME", 0), ("CLOCK_MONOTONIC", 1), ("CLOCK_PROCESS_CPUTIME_ID", 2), ("CLOCK_THREAD_CPUTIME_ID", 3),
        ("CLOCK_MONOTONIC_RAW", 4), ("CLOCK_REALTIME_COARSE", 5), ("CLOCK_MONOTONIC_COARSE", 6), ("CLOCK_BOOTTIME", 7),
        ("CLOCK_REALTIME_ALARM", 8), ("CLOCK_BOOTTIME_ALARM", 9), ("CLOCK_SGI_CYCLE", 10), ("CLOCK_TAI", 11),
    ])

    /// rt_sigprocmask `how` (strace sigprocmaskcmds.in; a value).
    public static let sigprocmaskHow = FlagTable("sigprocmaskcmds", unknown: "SIG_???", [
        ("SIG_BLOCK", 0), ("SIG_UNBLOCK", 1), ("SIG_SETMASK", 2),
    ])

    /// rt_sigaction `sa_flags` (strace sigact_flags.in, x86_64).
    public static let sigaction = FlagTable("sigaction", unknown: "SA_???", [
        ("SA_RESTORER", 0x04000000), ("SA_ONSTACK", 0x08000000), ("SA_RESTART", 0x10000000), ("SA_INTERRUPT", 0x20000000),
        ("SA_NODEFER", 0x40000000), ("SA_RESETHAND", 0x80000000), ("SA_SIGINFO", 0x4), ("SA_NOCLDSTOP", 0x1),
        ("SA_NOCLDWAIT", 0x2),
    ])

    /// Every table, for the header check (Tests/SyscallsTests/FlagTableTests.swift).
    public static let all: [FlagTable] = [
        prot, map, mremap, madvise, msync, mlockall, mlock2, openAccess, open, clone, clone3, waitOptions, waitidTypes,
        getrandom, pkeyAccess, closeRange, fcntlCommands, fdFlags, rlimitResource, ptraceEvents, clockFlags, access, at, whence,
        ioctlRequests, clocks, sigprocmaskHow, sigaction,
        SyscallDecoder.futexOperations, SyscallDecoder.archOptions, SyscallDecoder.xfeatureMasks, SyscallDecoder.xfeatureBits,
    ]
}
