// The file calls as strace 6.1 prints them (its open.c, fcntl.c, ioctl.c, stat.c, …): open and
// openat, access, close, dup, lseek, fcntl, ioctl's terminal requests, newfstatat and fstat.

extension SyscallDecoder {
    /// The fcntl commands whose arguments are decoded; strace's other known ones print raw.
    static let decodedFcntlCommands: Set<String> = ["F_DUPFD", "F_GETFD", "F_SETFD", "F_GETFL", "F_SETFL", "F_DUPFD_CLOEXEC"]

    /// The argument lists of the file calls decided at entry.
    static func fileArguments(number: Int, _ a: Arguments) -> ArgumentList? {
        switch number {
        case Nr.close, Nr.dup:
            return ArgumentList((StraceText.fd(a[0]), 0, .fd))
        case Nr.lseek:
            return ArgumentList((StraceText.fd(a[0]), 0, .fd), (String(Int64(bitPattern: a[1])), 1, .number), (whence(a[2]), 2, .flags))
        case Nr.fcntl where decodedFcntlCommands.contains(FlagTables.fcntlCommands.name(of: a[1] & 0xffffffff) ?? ""):
            // the commands that duplicate a descriptor and read or set its flags (tmpfile(),
            // shells); the others stay raw. F_GETFD and F_GETFL returns: fcntlReturn.
            let command = FlagTables.fcntlCommands.name(of: a[1] & 0xffffffff)!
            var list = ArgumentList((StraceText.fd(a[0]), 0, .fd))
            list.add(command, 1, .flags)
            switch command {
            case "F_DUPFD", "F_DUPFD_CLOEXEC": list.add(String(Int64(bitPattern: a[2])), 2, .fd)
            case "F_SETFD": list.add(FlagTables.fdFlags.flags(a[2] & 0xffffffff), 2, .flags)
            case "F_SETFL": list.add(StraceText.openFlags(a[2]), 2, .flags)
            default: break  // F_GETFD, F_GETFL: no argument
            }
            return list
        case Nr.fcntl where FlagTables.fcntlCommands.name(of: a[1] & 0xffffffff) == nil:
            // a command strace does not know: `0x12345 /* F_??? */`, the argument in hex
            return ArgumentList((StraceText.fd(a[0]), 0, .fd), (hex(a[1] & 0xffffffff) + " /* F_??? */", 1, .flags), (hex(a[2]), 2, .raw))
        case Nr.closeRange:
            return ArgumentList((String(a[0] & 0xffffffff), 0, .fd), (String(a[1] & 0xffffffff), 1, .fd),
                                (FlagTables.closeRange.flags(a[2] & 0xffffffff), 2, .flags))
        case Nr.dup2:
            return ArgumentList((StraceText.fd(a[0]), 0, .fd), (StraceText.fd(a[1]), 1, .fd))
        case Nr.dup3:
            // printflags takes an unsigned int
            return ArgumentList((StraceText.fd(a[0]), 0, .fd), (StraceText.fd(a[1]), 1, .fd),
                                (FlagTables.open.flags(a[2] & 0xffffffff), 2, .flags))
        default:
            return nil
        }
    }

    /// open/openat after the directory: `"/etc/passwd", O_RDONLY`, with the mode when the flags
    /// create a file (O_CREAT, O_TMPFILE); the path is captured for checks.
    /// `first` is the register of the path (1 for openat, 0 for open).
    static func openArguments(_ list: inout ArgumentList, first: Int, _ a: Arguments, entry: inout SyscallEntry,
                              memory: TraceeMemory) {
        let path = StraceText.path(at: a[first], memory: memory)
        entry.captured = path.bytes
        let flags = a[first + 1]
        list.add(path.text, first, .string)
        list.add(StraceText.openFlags(flags), first + 1, .flags)
        if flags & (0o100 | 0o20000000) != 0 { list.add(StraceText.mode(a[first + 2]), first + 2, .number) }
    }

    /// newfstatat's directory and path, printed before the call fills the struct.
    static func newfstatatHead(_ a: Arguments, memory: TraceeMemory) -> ArgumentList {
        ArgumentList((StraceText.dirfd(a[0]), 0, .fd), (StraceText.path(at: a[1], memory: memory).text, 1, .string))
    }

    /// F_GETFD and F_GETFL succeed with flags, which strace prints in hex and by name:
    /// `0x1 (flags FD_CLOEXEC)`, `0x8002 (flags O_RDWR|O_LARGEFILE)`; nil for anything else.
    static func fcntlReturn(_ a: Arguments, _ value: Int64?) -> String? {
        guard let value, value >= 0 else { return nil }
        switch FlagTables.fcntlCommands.name(of: a[1] & 0xffffffff) {
        case "F_GETFD":
            return value & 1 != 0 ? "\(hex(UInt64(value))) (flags FD_CLOEXEC)" : hex(UInt64(value))
        case "F_GETFL": return "\(hex(UInt64(value))) (flags \(StraceText.openFlags(UInt64(value))))"
        default: return nil
        }
    }

    static func whence(_ raw: UInt64) -> String {
        FlagTables.whence.value(raw & 0xffffffff)
    }

    /// The requests decoded here; any other prints in strace's raw form.
    static func isDecodedIoctl(_ a: Arguments) -> Bool {
        let request = UInt32(truncatingIfNeeded: a[1])
        return FlagTables.ioctlRequests.name(of: UInt64(request)) != nil
    }

    /// `1, TCGETS`: what strace prints of an ioctl before it returns.
    static func ioctlHead(_ a: Arguments) -> ArgumentList {
        let request = UInt32(truncatingIfNeeded: a[1])
        return ArgumentList((StraceText.fd(a[0]), 0, .fd),
                            (FlagTables.ioctlRequests.name(of: UInt64(request)) ?? hex(UInt64(request)), 1, .flags))
    }

    static func ioctlArgument(_ a: Arguments, failed: Bool, memory: TraceeMemory) -> String {
        switch FlagTables.ioctlRequests.name(of: UInt64(UInt32(truncatingIfNeeded: a[1]))) {
        case "TCGETS":  // strace prints the struct only on success; we print the address then too
            return StraceText.address(a[2])
        case "TIOCGWINSZ":
            if !failed, let bytes = memory.read(address: a[2], count: 8), bytes.count == 8 {
                func u16(_ i: Int) -> UInt16 { UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 }
                return "{ws_row=\(u16(0)), ws_col=\(u16(2)), ws_xpixel=\(u16(4)), ws_ypixel=\(u16(6))}"
            }
            return StraceText.address(a[2])
        default:
            return hex(a[2])
        }
    }

    /// access(2) mode: `F_OK` or `R_OK|W_OK|X_OK`.
    static func accessMode(_ raw: UInt64) -> String {
        let mode = raw & 0xffffffff
        if mode == 0 { return "F_OK" }
        return FlagTables.access.flags(mode)
    }

    static func atFlags(_ raw: UInt64) -> String {
        FlagTables.at.flags(raw & 0xffffffff)
    }

    /// The abbreviated struct stat strace prints: `{st_mode=S_IFREG|0644, st_size=33519, ...}`.
    static func statStruct(at address: UInt64, memory: TraceeMemory) -> String {
        guard address != 0 else { return "NULL" }
        guard let bytes = memory.read(address: address, count: 144), bytes.count == 144 else { return StraceText.address(address) }
        let mode = UInt32(littleEndian: Array(bytes[24..<28]))
        let rdev = UInt64(littleEndian: Array(bytes[40..<48]))
        let size = Int64(bitPattern: UInt64(littleEndian: Array(bytes[48..<56])))
        let type = mode & 0o170000
        var modeText: String
        switch type {
        case 0o140000: modeText = "S_IFSOCK|"
        case 0o120000: modeText = "S_IFLNK|"
        case 0o100000: modeText = "S_IFREG|"
        case 0o60000: modeText = "S_IFBLK|"
        case 0o40000: modeText = "S_IFDIR|"
        case 0o20000: modeText = "S_IFCHR|"
        case 0o10000: modeText = "S_IFIFO|"
        default: modeText = ""
        }
        if mode & 0o4000 != 0 { modeText += "S_ISUID|" }
        if mode & 0o2000 != 0 { modeText += "S_ISGID|" }
        if mode & 0o1000 != 0 { modeText += "S_ISVTX|" }
        modeText += StraceText.mode(UInt64(mode & 0o777))
        if type == 0o20000 || type == 0o60000 {
            let major = ((rdev >> 32) & 0xfffff000) | ((rdev >> 8) & 0xfff)
            let minor = ((rdev >> 12) & 0xffffff00) | (rdev & 0xff)
            return "{st_mode=\(modeText), st_rdev=makedev(\(hex(major)), \(hex(minor))), ...}"
        }
        return "{st_mode=\(modeText), st_size=\(size), ...}"
    }
}
