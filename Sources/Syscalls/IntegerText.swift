// Integers as text for trace lines, without the standard library's generic radix formatting:
// a line has several numbers and the tracer writes a line per syscall (scripts/bench-trace.sh).
// Results of up to 15 bytes are small strings: no allocation.

enum IntegerText {
    private static let digits: StaticString = "0123456789abcdef"

    /// `0x7f3a…` (lowercase, no padding); `0x0` for zero.
    @inline(__always)
    static func hex(_ value: UInt64) -> String {
        let count = max(1, (64 - value.leadingZeroBitCount + 3) / 4)
        return String(unsafeUninitializedCapacity: count + 2) { buffer in
            buffer[0] = 0x30  // 0
            buffer[1] = 0x78  // x
            var rest = value
            var index = count + 1
            digits.withUTF8Buffer { table in
                while index >= 2 {
                    buffer[index] = table[Int(rest & 0xf)]
                    rest >>= 4
                    index -= 1
                }
            }
            return count + 2
        }
    }

    /// Unsigned decimal.
    @inline(__always)
    static func decimal(_ value: UInt64) -> String {
        if value < 10 { return value == 0 ? "0" : String(unsafeUninitializedCapacity: 1) { $0[0] = 0x30 + UInt8(value); return 1 } }
        var count = 0
        var probe = value
        while probe > 0 { count += 1; probe /= 10 }
        return String(unsafeUninitializedCapacity: count) { buffer in
            var rest = value
            var index = count - 1
            while index >= 0 {
                buffer[index] = 0x30 + UInt8(rest % 10)
                rest /= 10
                index -= 1
            }
            return count
        }
    }

    /// Signed decimal.
    @inline(__always)
    static func decimal(_ value: Int64) -> String {
        value >= 0 ? decimal(UInt64(value)) : "-" + decimal(value.magnitude)
    }
}
