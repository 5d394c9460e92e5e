// Argument lists written byte by byte into a stack buffer and made a String once: appending to
// a String piece by piece re-checks its storage at every piece, and the tracer renders the
// memory calls' lists (mmap's six arguments and two flag sets) once per call.

struct TextWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0
    private var overflowed = false

    private init(_ buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    /// The text `body` writes. The buffer lives on the stack; a longer text is written again
    /// into a larger one.
    static func render(_ body: (inout TextWriter) -> Void) -> String {
        var capacity = 512
        while true {
            let text: String? = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                var writer = TextWriter(buffer)
                body(&writer)
                return writer.overflowed ? nil : String(decoding: UnsafeBufferPointer(rebasing: buffer[..<writer.count]), as: UTF8.self)
            }
            if let text { return text }
            capacity *= 8
        }
    }

    var isEmpty: Bool { count == 0 }

    mutating func write(_ byte: UInt8) {
        guard count < buffer.count else { overflowed = true; return }
        buffer[count] = byte
        count += 1
    }

    mutating func write(_ text: String) {
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard count + bytes.count <= buffer.count else { overflowed = true; return }
            UnsafeMutableBufferPointer(rebasing: buffer[count...]).baseAddress!.update(from: bytes.baseAddress!, count: bytes.count)
            count += bytes.count
        }
        if done == nil { for byte in text.utf8 { write(byte) } }
    }

    mutating func write(_ text: StaticString) {
        text.withUTF8Buffer { bytes in for byte in bytes { write(byte) } }
    }

    /// `0x1f` (strace's `%#x` is `0` for zero: see `writeHexOrZero`).
    mutating func writeHex(_ value: UInt64) {
        guard count + IntegerText.hexCount(value) <= buffer.count else { overflowed = true; return }
        count += IntegerText.writeHex(value, to: UnsafeMutableBufferPointer(rebasing: buffer[count...]))
    }

    /// strace's printaddr: `NULL` or `0x7f…`.
    mutating func writeAddress(_ value: UInt64) {
        if value == 0 { write("NULL") } else { writeHex(value) }
    }

    /// strace's `%#x`: `0` for zero, `0x1f` otherwise.
    mutating func writeHexOrZero(_ value: UInt64) {
        if value == 0 { write(0x30) } else { writeHex(value) }
    }

    mutating func writeDecimal(_ value: UInt64) {
        guard count + IntegerText.decimalCount(value) <= buffer.count else { overflowed = true; return }
        count += IntegerText.writeDecimal(value, to: UnsafeMutableBufferPointer(rebasing: buffer[count...]))
    }

    mutating func writeDecimal(_ value: Int64) {
        if value < 0 { write(0x2d) }
        writeDecimal(value.magnitude)
    }
}
