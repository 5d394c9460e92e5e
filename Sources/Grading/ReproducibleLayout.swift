// Reproducible addresses: the programs a check runs get the same heap, mmap and stack
// addresses on every run, so trace excerpts and explanations — and therefore whole reports —
// are identical from run to run (a resumed `grade` equals a fresh one; `check` equals `grade`).
// The personality flag ADDR_NO_RANDOMIZE (what `setarch -R` sets) is inherited across fork and
// exec; our own process's layout is not changed. Where the system forbids it (some container
// seccomp profiles), runs stay randomised and reports differ only in addresses.

#if canImport(Glibc)
import Glibc
#endif

enum ReproducibleLayout {
    static let addressNoRandomize: UInt = 0x0040000  // ADDR_NO_RANDOMIZE, <linux/personality.h>

    /// Turns off address randomisation for the programs this process starts, once.
    /// Whether it is in effect.
    static let enabled: Bool = enable()

    private static func enable() -> Bool {
        // glibc's personality(2) wrapper is not in the Glibc module map; find it at run time.
        typealias Personality = @convention(c) (UInt) -> Int32
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "personality") else { return false }
        let personality = unsafeBitCast(symbol, to: Personality.self)
        let current = personality(0xffff_ffff)
        guard current != -1 else { return false }
        if UInt(current) & addressNoRandomize != 0 { return true }
        return personality(UInt(current) | addressNoRandomize) != -1
    }
}
