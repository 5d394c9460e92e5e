// Reproducible addresses: the programs a check runs get the same heap, mmap and stack
// addresses on every run, so trace excerpts and explanations — and therefore whole reports —
// are identical from run to run (a resumed `grade` equals a fresh one; `check` equals `grade`).
// The personality flag ADDR_NO_RANDOMIZE (what `setarch -R` sets) is inherited by threads and
// processes created afterwards and kept across exec; our own layout is not changed. It belongs
// to a thread, not to the process, so every thread that starts checks sets it.
// Where the system forbids it (some container seccomp profiles), runs stay randomised and
// reports differ only in addresses.

#if canImport(Glibc)
import Glibc
#endif

enum ReproducibleLayout {
    static let addressNoRandomize: UInt = 0x0040000  // ADDR_NO_RANDOMIZE, <linux/personality.h>

    private typealias Personality = @convention(c) (UInt) -> Int32

    /// glibc's personality(2) wrapper; it is not in the Glibc module map, so found at run time.
    private static let personality: Personality? = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "personality") else { return nil }
        return unsafeBitCast(symbol, to: Personality.self)
    }()

    /// Runs `body` with address randomisation off for what the calling thread starts, then
    /// gives the thread back the personality it had (a pooled or test thread is left as found).
    static func fixed<T>(_ body: () throws -> T) rethrows -> T {
        guard let personality else { return try body() }
        let previous = personality(0xffff_ffff)
        guard previous != -1, UInt(previous) & addressNoRandomize == 0,
              personality(UInt(previous) | addressNoRandomize) != -1 else { return try body() }
        defer { _ = personality(UInt(previous)) }
        return try body()
    }

    /// Whether the system lets a thread turn randomisation off (some container seccomp
    /// profiles forbid personality(2)); leaves the calling thread as it was.
    static var isAvailable: Bool { fixed { isFixedForThisThread } }

    /// Whether the calling thread starts programs without address randomisation now.
    static var isFixedForThisThread: Bool {
        guard let personality else { return false }
        let current = personality(0xffff_ffff)
        return current != -1 && UInt(current) & addressNoRandomize != 0
    }
}
