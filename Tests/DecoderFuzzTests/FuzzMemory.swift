// Tracee memory for the decoder fuzzer: a few regions of random bytes and pointers, one of them
// ending exactly at 2^64, read with the same contract as the tracer's reader (up to `count`
// bytes, fewer where a region ends, nil when the first byte is unmapped).

import Syscalls

struct FuzzMemory: TraceeMemory {
    struct Region {
        var base: UInt64
        var bytes: [UInt8]
    }
    var regions: [Region] = []

    func read(address: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        if count == 0 { return [] }
        for region in regions {
            let offset = address &- region.base  // huge when below the base
            guard offset < UInt64(region.bytes.count) else { continue }
            let start = Int(offset)
            return Array(region.bytes[start..<start + min(count, region.bytes.count - start)])
        }
        return nil
    }

    func readCString(address: UInt64, limit: Int) -> [UInt8]? {
        guard limit >= 0, limit < Int.max, let bytes = read(address: address, count: limit + 1) else { return nil }
        if let nul = bytes.firstIndex(of: 0) { return Array(bytes[..<nul]) }
        // No NUL: a string cut at the limit, or unreadable (strace prints the address).
        return bytes.count > limit ? Array(bytes.prefix(limit)) : nil
    }
}
