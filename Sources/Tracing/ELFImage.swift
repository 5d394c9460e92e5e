// The one reader of ELF files (64-bit, little-endian): the header, the program headers and the
// symbol tables. The tracer finds `main` with it (where start-up ends and the program begins),
// library calls find the C library's functions, and the sandbox sizes a program's image before
// it runs. Every field may hold any value: the file is the traced program's.

#if canImport(Glibc)
import Glibc
#endif

/// What the ELF file says about an executable.
public struct ELFImage: Sendable {
    /// e_type: 2 ET_EXEC, 3 ET_DYN (PIE).
    var type: UInt16
    var entry: UInt64
    /// The value of the `main` function symbol (.symtab first, then .dynsym), nil if none.
    var mainSymbol: UInt64?

    enum Problem: Error { case unreadable(Int32), notELF, unsupported }

    /// Reads the header and symbol tables of the x86_64 executable at `path`.
    static func load(path: String) throws(Problem) -> ELFImage {
        let file = try ELFFile(path: path)
        guard file.machine == 62 /* EM_X86_64 */ else { throw .unsupported }
        var image = ELFImage(type: file.type, entry: file.entry, mainSymbol: nil)
        let main: [UInt8] = Array("main".utf8)
        for table in [ELFFile.symbolTable, ELFFile.dynamicSymbolTable] {
            file.forEachFunction(in: table) { name, value in
                guard name.elementsEqual(main) else { return true }
                image.mainSymbol = value
                return false
            }
            if image.mainSymbol != nil { break }
        }
        return image
    }

    /// How much address space a program's image needs before it runs: the sum of the
    /// page-rounded p_memsz of its PT_LOAD segments (Int.max for an absurd one); 0 when the file
    /// is not a 64-bit ELF or its program headers cannot be read. A 4 GiB bss under a 256 MiB
    /// cap makes the kernel kill the program inside execve, before any syscall a trace could
    /// show; this number lets a verdict say memory-limit, not crashed.
    public static func loadableBytes(path: String) -> Int {
        (try? ELFFile(path: path))?.loadableBytes ?? 0
    }

    /// The address of `main` in a process whose entry point is `atEntry`, or nil.
    func mainAddress(atEntry: UInt64) -> UInt64? {
        guard let symbol = mainSymbol else { return nil }
        let base: UInt64 = type == 3 ? atEntry &- entry : 0
        return base &+ symbol
    }
}

/// An open ELF file.
final class ELFFile {
    /// sh_type of the full symbol table (absent from stripped files) and of the dynamic one.
    static let symbolTable: UInt32 = 2, dynamicSymbolTable: UInt32 = 11

    private let fd: Int32
    private let file: FileReader
    private let header: [UInt8]

    init(path: String) throws(ELFImage.Problem) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .unreadable(errno) }
        let file = FileReader(fd: fd)
        guard let header = file.bytes(at: 0, count: 64), header.count == 64,
              header[0] == 0x7f, header[1] == 0x45, header[2] == 0x4c, header[3] == 0x46 else {
            close(fd)
            throw .notELF
        }
        // ELFCLASS64, little-endian.
        guard header[4] == 2, header[5] == 1 else {
            close(fd)
            throw .unsupported
        }
        self.fd = fd
        self.file = file
        self.header = header
    }

    deinit { close(fd) }

    var type: UInt16 { header.u16(16) }
    var machine: UInt16 { header.u16(18) }
    var entry: UInt64 { header.u64(24) }

    /// See `ELFImage.loadableBytes(path:)`.
    var loadableBytes: Int {
        let offset = header.u64(32), entrySize = Int(header.u16(54)), count = Int(header.u16(56))
        guard entrySize == 56, count < 128, offset < 1 << 32,
              let table = file.bytes(at: offset, count: count * entrySize), table.count == count * entrySize else { return 0 }
        var total: UInt64 = 0
        for index in 0..<count where table.u32(index * entrySize) == 1 /* PT_LOAD */ {
            let memsz = table.u64(index * entrySize + 40)
            guard memsz < 1 << 48 else { return Int.max }
            total += (memsz + 4095) & ~4095
        }
        return total > UInt64(Int.max) ? Int.max : Int(total)
    }

    struct Section { var type: UInt32; var offset: UInt64; var size: UInt64; var link: Int; var entrySize: UInt64 }

    /// The section headers; empty when there are none or they cannot be read.
    func sections() -> [Section] {
        let offset = header.u64(40), size = Int(header.u16(58)), count = Int(header.u16(60))
        guard offset > 0, size >= 64, count > 0, count < 65536,
              let table = file.bytes(at: offset, count: size * count), table.count == size * count else { return [] }
        return (0..<count).map { index in
            let base = index * size
            return Section(type: table.u32(base + 4), offset: table.u64(base + 24), size: table.u64(base + 32),
                           link: Int(table.u32(base + 40)), entrySize: table.u64(base + 56))
        }
    }

    /// Calls `body` with the name and value of each defined function symbol (STT_FUNC) of the
    /// symbol tables of type `tableType`, in file order, until it returns false.
    func forEachFunction(in tableType: UInt32, _ body: (_ name: ArraySlice<UInt8>, _ value: UInt64) -> Bool) {
        let sections = sections()
        for symbols in sections where symbols.type == tableType && symbols.link < sections.count {
            let strings = sections[symbols.link]
            guard symbols.entrySize < 4096 else { continue }
            let entrySize = symbols.entrySize == 0 ? 24 : Int(symbols.entrySize)
            guard entrySize >= 24, symbols.size < 256 << 20,
                  let data = file.bytes(at: symbols.offset, count: Int(symbols.size)),
                  let names = file.bytes(at: strings.offset, count: Int(min(strings.size, 256 << 20)))
            else { continue }
            var offset = 0
            while offset + 24 <= data.count {
                let name = Int(data.u32(offset))
                let info = data[offset + 4]
                let sectionIndex = data.u16(offset + 6)
                let value = data.u64(offset + 8)
                offset += entrySize
                guard info & 0xf == 2, sectionIndex != 0, value != 0, name < names.count else { continue }
                let end = names[name...].firstIndex(of: 0) ?? names.count
                if !body(names[name..<end], value) { return }
            }
        }
    }
}
