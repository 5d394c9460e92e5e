// Integers as text for trace lines, without the standard library's generic radix formatting:
// a line has several numbers and the tracer writes a line per syscall (scripts/bench-trace.sh).
// The digits are written in one place, for Strings here (up to 15 bytes they are small strings:
// no allocation) and for TextWriter's buffers.

enum IntegerText {
    /// Bytes of `0x…` for `value` (`0x0` for zero).
    @inline(__always)
    static func hexCount(_ value: UInt64) -> Int { 2 + max(1, (64 - value.leadingZeroBitCount + 3) / 4) }

    /// Bytes of `value` in decimal.
    @inline(__always)
    static func decimalCount(_ value: UInt64) -> Int {
        var count = 1
        var rest = value
        while rest >= 10 { count += 1; rest /= 10 }
        return count
    }

    /// Writes `0x…` (lowercase, no padding) at the start of `buffer`, which holds at least
    /// `hexCount(value)` bytes; returns that count.
    @inline(__always)
    static func writeHex(_ value: UInt64, to buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let count = hexCount(value)
        buffer[0] = 0x30  // 0
        buffer[1] = 0x78  // x
        var rest = value
        for index in stride(from: count - 1, through: 2, by: -1) {
            let nibble = UInt8(rest & 0xf)
            buffer[index] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
            rest >>= 4
        }
        return count
    }

    /// Writes `value` in decimal at the start of `buffer` (at least `decimalCount(value)` bytes);
    /// returns that count.
    @inline(__always)
    static func writeDecimal(_ value: UInt64, to buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let count = decimalCount(value)
        var rest = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            buffer[index] = 0x30 + UInt8(rest % 10)
            rest /= 10
        }
        return count
    }

    /// `0x7f3a…`; `0x0` for zero.
    @inline(__always)
    static func hex(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: hexCount(value)) { writeHex(value, to: $0) }
    }

    /// Unsigned decimal.
    @inline(__always)
    static func decimal(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: decimalCount(value)) { writeDecimal(value, to: $0) }
    }

    /// Signed decimal.
    @inline(__always)
    static func decimal(_ value: Int64) -> String {
        value >= 0 ? decimal(UInt64(value)) : "-" + decimal(value.magnitude)
    }
}
