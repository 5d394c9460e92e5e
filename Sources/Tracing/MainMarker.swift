// The `main` marker: where `main` lies in a freshly exec'd process, so the tracer can put an
// int3 there and tell loader/runtime start-up (before) from the program's own work (after).
// Load base of a PIE = AT_ENTRY (from /proc/PID/auxv) - the ELF's e_entry; a fixed-address
// executable (ET_EXEC) has base 0.

#if canImport(Glibc)
import Glibc
#endif

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
