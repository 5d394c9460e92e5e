// Reading a stopped tracee's memory with process_vm_readv (one syscall per read, no PEEK loop).
//
// Addresses and counts come from the traced program: every sum and page boundary is computed
// with wrapping arithmetic, and a range is cut where it would pass the top of the address space
// (nothing is mapped there; the bytes past 2^64 do not exist), so no value can trap here.

import CLessonsPtrace
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

struct TraceeMemoryReader: TraceeMemory {
    let pid: Int32
    private static let pageSize: UInt64 = 4096

    /// The bytes from `address` to the end of its page (1…4096), without overflowing at the top page.
    @inline(__always)
    private static func bytesToPageEnd(_ address: UInt64) -> Int {
        Int(truncatingIfNeeded: pageSize &- (address & (pageSize &- 1)))
    }

    /// How many of `count` bytes at `address` lie below 2^64.
    @inline(__always)
    static func countBelowTop(address: UInt64, count: Int) -> Int {
        let room = UInt64.max &- address  // bytes after the first one
        return UInt64(count) &- 1 > room ? Int(truncatingIfNeeded: room &+ 1) : count
    }

    func read(address: UInt64, count requested: Int) -> [UInt8]? {
        guard requested > 0 else { return [] }
        let count = Self.countBelowTop(address: address, count: requested)
        guard count > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: count)
        let got = buffer.withUnsafeMutableBytes { lessons_read_memory(pid, address, $0.baseAddress!, count) }
        if got == count { return buffer }
        // A range that runs into unmapped memory: read page by page up to the first hole.
        var total = 0
        var cursor = address
        while total < count {
            let chunk = min(count - total, Self.bytesToPageEnd(cursor))
            let n = buffer.withUnsafeMutableBytes { lessons_read_memory(pid, cursor, $0.baseAddress! + total, chunk) }
            if n <= 0 { break }
            total += n
            cursor &+= UInt64(n)
            if n < chunk { break }
        }
        guard total > 0 else { return nil }
        buffer.removeLast(count - total)
        return buffer
    }

    func readCString(address: UInt64, limit: Int) -> [UInt8]? {
        guard limit >= 0, limit < Int.max else { return nil }
        var result: [UInt8] = []
        var cursor = address
        var chunkBuffer = [UInt8](repeating: 0, count: Int(Self.pageSize))
        while result.count < limit + 1 {
            // Never cross a page boundary in one read: the next page may be unmapped.
            let chunk = min(limit + 1 - result.count, Self.bytesToPageEnd(cursor))
            let n = chunkBuffer.withUnsafeMutableBytes { lessons_read_memory(pid, cursor, $0.baseAddress!, chunk) }
            if n <= 0 { return nil }  // unreadable before its NUL: strace's umovestr fails, it prints the address
            if let nul = chunkBuffer[0..<n].firstIndex(of: 0) {
                result.append(contentsOf: chunkBuffer[0..<nul])
                return Array(result.prefix(limit))
            }
            result.append(contentsOf: chunkBuffer[0..<n])
            let next = cursor &+ UInt64(n)
            if next < cursor { break }  // the string ran to the top of the address space
            cursor = next
        }
        return Array(result.prefix(limit))
    }
}
