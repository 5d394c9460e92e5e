// strace's ways of printing values: addresses, quoted strings, file descriptors, modes.
// Each function names the strace routine it copies.

public enum StraceText {
    /// strace's max_strlen default: strings longer than this print their first 32 bytes and `...`.
    public static let stringLimit = 32

    /// printaddr: `NULL` for 0, else lowercase `0x…`.
    public static func address(_ value: UInt64) -> String {
        value == 0 ? "NULL" : IntegerText.hex(value)
    }

    /// string_quote: `"…"` with `\"`, `\\`, `\f \n \r \t \v`, printable ASCII as is, and other
    /// bytes in octal — as short as possible unless the next byte is an octal digit (`\0001`).
    /// `forceHex` gives getrandom's `"\x4a\xe2…"`.
    public static func quote(_ bytes: some Collection<UInt8>, forceHex: Bool = false) -> String {
        var out: [UInt8] = [0x22]
        out.reserveCapacity(bytes.count + 2)
        let array = Array(bytes)
        for index in array.indices {
            let c = array[index]
            if forceHex {
                out += Array("\\x".utf8)
                out.append(hexDigit(c >> 4)); out.append(hexDigit(c & 0xf))
                continue
            }
            switch c {
            case 0x22: out += [0x5c, 0x22]
            case 0x5c: out += [0x5c, 0x5c]
            case 0x0c: out += [0x5c, UInt8(ascii: "f")]
            case 0x0a: out += [0x5c, UInt8(ascii: "n")]
            case 0x0d: out += [0x5c, UInt8(ascii: "r")]
            case 0x09: out += [0x5c, UInt8(ascii: "t")]
            case 0x0b: out += [0x5c, UInt8(ascii: "v")]
            case 0x20..<0x7f: out.append(c)
            default:
                out.append(0x5c)
                let nextIsOctal = index + 1 < array.count && (0x30...0x37).contains(array[index + 1])
                if nextIsOctal {
                    out.append(0x30 + (c >> 6)); out.append(0x30 + (c >> 3 & 7))
                } else if c >> 3 != 0 {
                    if c >> 6 != 0 { out.append(0x30 + (c >> 6)) }
                    out.append(0x30 + (c >> 3 & 7))
                }
                out.append(0x30 + (c & 7))
            }
        }
        out.append(0x22)
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? 0x30 + value : 0x61 + value - 10
    }

    /// printstrn: `NULL` for a null address whatever the length; else the first `stringLimit`
    /// bytes of a buffer of `length` bytes, quoted, with `...` when the buffer is longer. strace
    /// fetches one byte more than it shows (`stringLimit + 1`, or the whole buffer when shorter)
    /// and prints the address when any of those bytes is unreadable.
    package static func buffer(at address: UInt64, length: UInt64, memory: TraceeMemory, forceHex: Bool = false) -> String {
        if address == 0 { return "NULL" }
        let fetched = fetchedCount(length)
        if fetched == 0 { return "\"\"" }
        guard let bytes = memory.read(address: address, count: fetched), bytes.count == fetched else {
            return StraceText.address(address)
        }
        return quote(bytes.prefix(stringLimit), forceHex: forceHex) + (length > UInt64(stringLimit) ? "..." : "")
    }

    /// How many bytes strace reads of a buffer of `length` bytes to print it.
    @inline(__always)
    static func fetchedCount(_ length: UInt64) -> Int { Int(min(length, UInt64(stringLimit + 1))) }

    /// The same from bytes already captured (the first bytes of the buffer, `length` its full
    /// size), or nil when fewer than strace reads were captured (the buffer ran into unmapped memory).
    static func buffer(captured bytes: [UInt8], address: UInt64, length: UInt64) -> String? {
        if address == 0 { return "NULL" }
        guard bytes.count >= fetchedCount(length) else { return nil }
        let shown = Int(min(length, UInt64(stringLimit)))
        return quote(bytes.prefix(shown)) + (length > UInt64(stringLimit) ? "..." : "")
    }

    /// printpath: a NUL-terminated path in full (up to PATH_MAX), `NULL`, or its address.
    package static func path(at address: UInt64, memory: TraceeMemory) -> (text: String, bytes: [UInt8]?) {
        if address == 0 { return ("NULL", nil) }
        guard let bytes = memory.readCString(address: address, limit: pathMax) else {
            return (StraceText.address(address), nil)
        }
        return (quote(bytes) + (bytes.count >= pathMax ? "..." : ""), bytes)
    }
    static let pathMax = 4095

    /// A C string argument cut at `stringLimit` like strace's printstr (execve's argv members).
    static func cString(at address: UInt64, memory: TraceeMemory) -> String {
        guard let bytes = memory.readCString(address: address, limit: stringLimit + 1) else {
            return StraceText.address(address)
        }
        if bytes.count > stringLimit { return quote(bytes.prefix(stringLimit)) + "..." }
        return quote(bytes)
    }

    /// printfd: a descriptor is a C int (`0x100000005` → 5, `0xffffffff` → -1).
    public static func fd(_ raw: UInt64) -> String { IntegerText.decimal(Int64(Int32(truncatingIfNeeded: raw))) }

    /// print_dirfd: `AT_FDCWD` or the descriptor.
    public static func dirfd(_ raw: UInt64) -> String {
        let fd = Int32(truncatingIfNeeded: raw)
        return fd == FlagTables.atFDCWD ? "AT_FDCWD" : String(fd)
    }

    /// PRINT_VAL_U: unsigned decimal.
    static func unsigned(_ raw: UInt64) -> String { IntegerText.decimal(raw) }

    /// A C int in decimal.
    static func int(_ raw: UInt64) -> String { IntegerText.decimal(Int64(Int32(truncatingIfNeeded: raw))) }

    /// print_numeric_umode_t: `%#03o` (`0644`, `000`) of a 16-bit umode_t.
    static func mode(_ raw: UInt64) -> String {
        let octal = String(raw & 0xffff, radix: 8)
        return "0" + (octal.count < 2 ? String(repeating: "0", count: 2 - octal.count) + octal : octal)
    }

    /// tprint_open_modes: access mode, then the other flags.
    static func openFlags(_ raw: UInt64) -> String {
        let flags = raw & 0xffffffff
        let access = FlagTables.openAccess.lookup(flags & 3)!
        let rest = flags & ~3
        if rest == 0 { return access }
        return access + "|" + FlagTables.open.bareFlags(rest)
    }

    /// print_mmap_flags: the map type, the other flags, the hugetlb size.
    static func mmapFlags(_ raw: UInt64) -> String {
        TextWriter.render { appendMmapFlags(raw, to: &$0) }
    }

    static func appendMmapFlags(_ raw: UInt64, to text: inout TextWriter) {
        text.write(FlagTables.map.value(raw & FlagTables.mapType))
        var flags = raw & ~FlagTables.mapType
        let hugeMask = FlagTables.mapHugeMask << FlagTables.mapHugeShift
        let huge = flags & hugeMask
        // strace clears the hugetlb bits with `~mask` of an unsigned int, which also drops bits 32-63
        flags &= ~hugeMask & 0xffff_ffff
        if flags != 0 { text.write(0x7c); FlagTables.map.appendBareFlags(flags, to: &text) }
        if huge != 0 {
            text.write(0x7c)
            text.writeDecimal(huge >> FlagTables.mapHugeShift)
            text.write("<<MAP_HUGE_SHIFT")
        }
    }

    /// printsignal: `SIGTERM`, `0`, or the number for an invalid one.
    static func signal(_ raw: UInt64) -> String {
        let value = Int32(truncatingIfNeeded: raw)
        if value == 0 { return "0" }
        return SignalTable.name(of: value)
    }
}
