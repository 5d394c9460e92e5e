// The trace's own integer formatting against the standard library's, at the edges and at random.
import Testing
@testable import Syscalls

@Suite struct IntegerTextTests {
    static let edges: [UInt64] = [0, 1, 9, 10, 15, 16, 99, 100, 255, 256, 4095, 4096, 0xffff_ffff, 0x1_0000_0000,
                                  0x7fff_ffff_ffff, 0x7f3a_1c2b_3000, 0x0fff_ffff_ffff_ffff, 0x1000_0000_0000_0000,
                                  UInt64(Int64.max), UInt64(Int64.max) + 1, .max - 1, .max]

    @Test func hexAndDecimalMatchTheStandardLibrary() {
        var generator = SystemRandomNumberGenerator()
        let samples = Self.edges + (0..<2000).map { _ in UInt64.random(in: 0 ... .max, using: &generator) >> UInt64.random(in: 0...63, using: &generator) }
        for value in samples {
            #expect(IntegerText.hex(value) == "0x" + String(value, radix: 16))
            #expect(IntegerText.decimal(value) == String(value))
            let signed = Int64(bitPattern: value)
            #expect(IntegerText.decimal(signed) == String(signed))
        }
        #expect(IntegerText.decimal(Int64.min) == "-9223372036854775808")
        #expect(IntegerText.decimal(Int64(-1)) == "-1")
    }

    @Test func flagListsKeepStraceOrderAndLeftoverBits() {
        #expect(FlagTables.prot.flags(0) == "PROT_NONE")
        #expect(FlagTables.prot.flags(3) == "PROT_READ|PROT_WRITE")
        #expect(FlagTables.prot.flags(0x10) == "0x10 /* PROT_??? */")
        #expect(FlagTables.prot.flags(0x11) == "PROT_READ|0x10")
        #expect(FlagTables.msync.flags(0) == "0")
        #expect(FlagTables.map.bareFlags(0x20 | 0x8000_0000) == "MAP_ANONYMOUS|0x80000000")
        #expect(FlagTables.map.bareFlags(0x8000_0000) == "0x80000000")
        #expect(StraceText.mmapFlags(0x22) == "MAP_PRIVATE|MAP_ANONYMOUS")
        #expect(SyscallDecoder.rawArguments(number: Nr.getpid, []) == "")
        #expect(SyscallDecoder.rawArguments(number: Nr.mmap, [0, 4096, 3, 0x22, UInt64(bitPattern: -1), 0])
                == "0, 0x1000, 0x3, 0x22, 0xffffffffffffffff, 0")
    }

    @Test func theTextWriterMatchesTheStandardLibraryAndGrowsPastItsStackBuffer() {
        var generator = SystemRandomNumberGenerator()
        for value in Self.edges + (0..<500).map({ _ in UInt64.random(in: 0 ... .max, using: &generator) }) {
            #expect(TextWriter.render { $0.writeHex(value) } == "0x" + String(value, radix: 16))
            #expect(TextWriter.render { $0.writeDecimal(value) } == String(value))
            #expect(TextWriter.render { $0.writeDecimal(Int64(bitPattern: value)) } == String(Int64(bitPattern: value)))
        }
        #expect(TextWriter.render { $0.writeAddress(0); $0.write(", "); $0.writeHexOrZero(0) } == "NULL, 0")
        // Longer than the first (512-byte) buffer: written again into a larger one, whole.
        let long = String(repeating: "PROT_READ|", count: 300)
        #expect(TextWriter.render { $0.write(long); $0.write("é") } == long + "é")
    }
}

