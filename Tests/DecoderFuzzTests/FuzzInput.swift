// Input `index` of a fuzz run with `seed`: registers, memory, return values and whole traces
// drawn from a seeded generator, so any input can be replayed from (seed, index).

import Syscalls

/// SplitMix64: small, fast, and the same sequence on every machine (as in GradingTests' parser fuzzer).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct FuzzInput {
    var rng: SplitMix64
    var memory = FuzzMemory()

    /// The calls decoded beyond the raw form, drawn more often than the rest.
    static let decodedNames = [
        "brk", "mmap", "munmap", "mprotect", "pkey_mprotect", "mremap", "madvise", "msync", "mlock", "munlock", "mlock2",
        "mlockall", "munlockall", "mincore", "remap_file_pages", "pkey_alloc", "pkey_free", "read", "pread64", "write",
        "open", "openat", "close", "lseek", "exit", "exit_group", "execve", "clone", "clone3", "fork", "vfork", "wait4",
        "waitid", "kill", "tkill", "tgkill", "getrandom", "newfstatat", "fstat", "access", "rt_sigprocmask", "pipe",
        "pipe2", "dup", "dup2", "dup3", "arch_prctl", "set_tid_address", "set_robust_list", "futex", "rt_sigaction",
        "nanosleep", "clock_nanosleep", "fcntl", "ioctl", "prlimit64", "rt_sigreturn", "close_range",
    ]
    static let decodedNumbers: [Int] = decodedNames.compactMap { SyscallTable.number(of: $0) }

    init(seed: UInt64, index: Int) {
        rng = SplitMix64(seed: seed &* 0x1000_0000_01B3 ^ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        _ = rng.next()
        memory = makeMemory()
    }

    mutating func below(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// Random bytes, pointers into the regions, NULs and printable text mixed.
    mutating func makeMemory() -> FuzzMemory {
        var memory = FuzzMemory()
        var bases: [UInt64] = [0x7ffd_0000_0000 &+ (rng.next() & 0xffff_fff8), 0xffff_ffff_ffff_f000]
        if chance(30) { bases.append(0) }
        if chance(50) { bases.append(rng.next()) }
        if chance(30) { bases.append(0x5555_5555_0000 &+ UInt64(below(4096))) }  // unaligned
        for (index, base) in bases.enumerated() {
            // The top region ends exactly at 2^64.
            let size = index == 1 ? 4096 : [0, 1, 7, 8, 31, 32, 33, 64, 88, 96, 144, 4096][below(12)]
            memory.regions.append(.init(base: base, bytes: []))
            var bytes: [UInt8] = []
            bytes.reserveCapacity(size)
            while bytes.count < size {
                switch below(6) {
                case 0: bytes += (0..<8).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                case 1: bytes += [UInt8](repeating: 0, count: 8)
                case 2: bytes += Array("/tmp/x\0abc\"\\\n\t\u{7f}".utf8)
                case 3, 4:
                    // a pointer into some region, maybe near its end
                    let target = bases[below(bases.count)]
                    let pointer = target &+ UInt64(below(5000)) &- UInt64(below(3) == 0 ? 8 : 0)
                    bytes += (0..<8).map { UInt8(truncatingIfNeeded: pointer >> (8 * UInt64($0))) }
                default: bytes += [UInt8](repeating: 0xff, count: 8)
                }
            }
            memory.regions[index].bytes = Array(bytes.prefix(size))
        }
        return memory
    }

    /// A register value: boundaries, pointers into (and just past) the regions, flag-like bits, noise.
    mutating func register() -> UInt64 {
        switch below(14) {
        case 0: return 0
        case 1: return UInt64.max &- UInt64(below(16))  // -1, -2, …: ends that wrap past 2^64
        case 2: return UInt64(below(70))
        case 3: return 1 << UInt64(below(64))
        case 4: return UInt64(Int64.max) &+ UInt64(below(3))
        case 5: return 0xffff_ffff &- UInt64(below(3))
        case 6: return 0xffff_ff9c  // AT_FDCWD as a 32-bit int
        case 7, 8:
            guard !memory.regions.isEmpty else { return 0 }
            let region = memory.regions[below(memory.regions.count)]
            let offset = UInt64(below(region.bytes.count + 40))  // inside, or just past the end
            return region.base &+ offset &- (chance(20) ? 40 : 0)
        case 9: return rng.next() & 0xffff_ffff
        case 10: return rng.next() | 0xdec0_de00_0000_0000
        default: return rng.next()
        }
    }

    mutating func arguments() -> [UInt64] { (0..<6).map { _ in register() } }

    mutating func number() -> Int {
        switch below(10) {
        case 0..<5: return Self.decodedNumbers[below(Self.decodedNumbers.count)]
        case 5..<9: return below(SyscallTable.highestNumber + 3)
        default: return [-1, Int.min, Int.max, 0x4000_0000, 1000, 512][below(6)]
        }
    }

    /// A return value: nil (never returned), errors, restart codes, counts, addresses, noise.
    mutating func returnValue() -> Int64? {
        switch below(10) {
        case 0: return nil
        case 1: return -Int64(1 + below(4095))
        case 2: return [-512, -513, -514, -516, -4096, -4095][below(6)]
        case 3: return 0
        case 4: return Int64(below(100))
        case 5: return [Int64.min, Int64.max, Int64.max - 1, Int64.min + 1][below(4)]
        case 6: return Int64(bitPattern: register())
        default: return Int64(bitPattern: rng.next())
        }
    }

    /// A raw siginfo_t: a signal number (valid or not), a code, random fields.
    mutating func siginfo() -> [UInt8] {
        var bytes = (0..<128).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        let signo = Int32(truncatingIfNeeded: chance(70) ? Int64(1 + below(64)) : Int64(bitPattern: rng.next()))
        let code = Int32(truncatingIfNeeded: chance(70) ? Int64(below(12)) - 6 : Int64(bitPattern: rng.next()))
        for (offset, value) in [(0, signo), (8, code)] {
            for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * Int32(k))) }
        }
        if chance(20) { bytes = Array(bytes.prefix(below(128))) }  // short: the decoder pads
        return bytes
    }

    mutating func exit() -> ProcessExit {
        chance(50) ? .exited(status: Int32(truncatingIfNeeded: Int64(bitPattern: rng.next())))
            : .killed(signal: Int32(truncatingIfNeeded: Int64(bitPattern: rng.next()) % 80), coreDumped: chance(50))
    }
}
