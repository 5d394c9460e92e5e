// The `main` marker: where `main` lies in a freshly exec'd process, so the tracer can put an
// int3 there and tell loader/runtime start-up (before) from the program's own work (after).
// Load base of a PIE = AT_ENTRY (from /proc/PID/auxv) - the ELF's e_entry; a fixed-address
// executable (ET_EXEC) has base 0.

#if canImport(Glibc)
import Glibc
#endif

/// What the ELF file says about an executable.
struct ELFImage {
    /// e_type: 2 ET_EXEC, 3 ET_DYN (PIE).
    var type: UInt16
    var entry: UInt64
    /// The value of the `main` function symbol (.symtab first, then .dynsym), nil if none.
    var mainSymbol: UInt64?

    enum Problem: Error { case unreadable(Int32), notELF, unsupported }

    /// Reads the headers and symbol tables of the ELF file at `path`.
    static func load(path: String) throws(Problem) -> ELFImage {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .unreadable(errno) }
        defer { close(fd) }
        let file = FileReader(fd: fd)
        guard let header = file.bytes(at: 0, count: 64), header.count == 64 else { throw .notELF }
        guard header[0] == 0x7f, header[1] == 0x45, header[2] == 0x4c, header[3] == 0x46 else { throw .notELF }
        // ELFCLASS64, little-endian, x86_64 only.
        guard header[4] == 2, header[5] == 1, header.u16(18) == 62 else { throw .unsupported }
        var image = ELFImage(type: header.u16(16), entry: header.u64(24), mainSymbol: nil)
        let sectionOffset = header.u64(40)
        let sectionSize = Int(header.u16(58))
        let sectionCount = Int(header.u16(60))
        guard sectionOffset > 0, sectionSize >= 64, sectionCount > 0, sectionCount < 65536,
              let sections = file.bytes(at: sectionOffset, count: sectionSize * sectionCount),
              sections.count == sectionSize * sectionCount
        else { return image }

        struct Section { var type: UInt32; var offset: UInt64; var size: UInt64; var link: Int; var entrySize: UInt64 }
        let table = (0..<sectionCount).map { index -> Section in
            let base = index * sectionSize
            return Section(type: sections.u32(base + 4), offset: sections.u64(base + 24),
                           size: sections.u64(base + 32), link: Int(sections.u32(base + 40)),
                           entrySize: sections.u64(base + 56))
        }
        for wanted in [UInt32(2) /* SHT_SYMTAB */, 11 /* SHT_DYNSYM */] {
            for section in table where section.type == wanted && section.link < table.count {
                let strings = table[section.link]
                if let value = findMain(file: file, symbols: section, strings: strings.offset, stringsSize: strings.size) {
                    image.mainSymbol = value
                    return image
                }
            }
        }
        return image

        func findMain(file: FileReader, symbols: Section, strings: UInt64, stringsSize: UInt64) -> UInt64? {
            // The file is the traced program: any field may hold any value.
            guard symbols.entrySize < 4096 else { return nil }
            let entrySize = symbols.entrySize == 0 ? 24 : Int(symbols.entrySize)
            guard entrySize >= 24, symbols.size < 256 << 20,
                  let data = file.bytes(at: symbols.offset, count: Int(symbols.size)),
                  let names = file.bytes(at: strings, count: Int(min(stringsSize, 256 << 20)))
            else { return nil }
            let main: [UInt8] = [0x6d, 0x61, 0x69, 0x6e, 0]  // "main\0"
            var offset = 0
            while offset + 24 <= data.count {
                let name = Int(data.u32(offset))
                let info = data[offset + 4]
                let sectionIndex = data.u16(offset + 6)
                let value = data.u64(offset + 8)
                // STT_FUNC, defined, named exactly "main".
                if info & 0xf == 2, sectionIndex != 0, value != 0, name + 5 <= names.count,
                   names[name..<name + 5].elementsEqual(main) {
                    return value
                }
                offset += entrySize
            }
            return nil
        }
    }

    /// The address of `main` in a process whose entry point is `atEntry`, or nil.
    func mainAddress(atEntry: UInt64) -> UInt64? {
        guard let symbol = mainSymbol else { return nil }
        let base: UInt64 = type == 3 ? atEntry &- entry : 0
        return base &+ symbol
    }
}

/// AT_ENTRY of a process, from /proc/PID/auxv.
func auxvEntry(pid: Int32) -> UInt64? {
    let fd = open("/proc/\(pid)/auxv", O_RDONLY | O_CLOEXEC)
    if fd < 0 { return nil }
    defer { close(fd) }
    guard let bytes = FileReader(fd: fd).readAll(limit: 8192) else { return nil }
    var offset = 0
    while offset + 16 <= bytes.count {
        let key = bytes.u64(offset)
        if key == 0 { break }
        if key == 9 /* AT_ENTRY */ { return bytes.u64(offset + 8) }
        offset += 16
    }
    return nil
}

struct FileReader {
    let fd: Int32

    func bytes(at offset: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0, offset < UInt64(Int.max) else { return nil }
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset) &+ off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            done += n
        }
        buffer.removeLast(count - done)
        return buffer
    }

    func readAll(limit: Int) -> [UInt8]? {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while result.count < limit {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }
}

extension Array where Element == UInt8 {
    func u16(_ at: Int) -> UInt16 {
        guard at + 2 <= count else { return 0 }
        return UInt16(self[at]) | UInt16(self[at + 1]) << 8
    }
    func u32(_ at: Int) -> UInt32 {
        guard at + 4 <= count else { return 0 }
        var value: UInt32 = 0
        for i in (0..<4).reversed() { value = value << 8 | UInt32(self[at + i]) }
        return value
    }
    func u64(_ at: Int) -> UInt64 {
        guard at + 8 <= count else { return 0 }
        var value: UInt64 = 0
        for i in (0..<8).reversed() { value = value << 8 | UInt64(self[at + i]) }
        return value
    }
}
