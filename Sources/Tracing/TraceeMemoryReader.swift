// Reading a stopped tracee's memory with process_vm_readv (one syscall per read, no PEEK loop).

import CLessonsShims
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

struct TraceeMemoryReader: TraceeMemory {
    let pid: Int32
    private static let pageSize: UInt64 = 4096

    func read(address: UInt64, count: Int) -> [UInt8]? {
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        let got = buffer.withUnsafeMutableBytes { lessons_read_memory(pid, address, $0.baseAddress!, count) }
        if got == count { return buffer }
        // A range that runs into unmapped memory: read page by page up to the first hole.
        var total = 0
        var cursor = address
        while total < count {
            let pageEnd = (cursor / Self.pageSize + 1) * Self.pageSize
            let chunk = min(count - total, Int(truncatingIfNeeded: pageEnd &- cursor))
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
        guard limit >= 0 else { return nil }
        var result: [UInt8] = []
        var cursor = address
        var chunkBuffer = [UInt8](repeating: 0, count: Int(Self.pageSize))
        while result.count < limit + 1 {
            // Never cross a page boundary in one read: the next page may be unmapped.
            let pageEnd = (cursor / Self.pageSize + 1) * Self.pageSize
            let chunk = min(limit + 1 - result.count, Int(truncatingIfNeeded: pageEnd &- cursor))
            let n = chunkBuffer.withUnsafeMutableBytes { lessons_read_memory(pid, cursor, $0.baseAddress!, chunk) }
            if n <= 0 { return result.isEmpty ? nil : result }
            if let nul = chunkBuffer[0..<n].firstIndex(of: 0) {
                result.append(contentsOf: chunkBuffer[0..<nul])
                return Array(result.prefix(limit))
            }
            result.append(contentsOf: chunkBuffer[0..<n])
            cursor &+= UInt64(n)
        }
        return Array(result.prefix(limit))
    }
}
