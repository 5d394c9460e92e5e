#if canImport(Glibc)
import Glibc
#endif

// The runtime grew the heap before main; every rise after it adds what is missing plus a
// 128 KiB pad. 16 live blocks of 64 KiB need 1 MiB, so the break rises several times.
for i in 0..<16 {
    guard let p = malloc(64 * 1024) else {
        fputs("allocation failed\n", stderr)
        exit(1)
    }
    memset(p, Int32(i), 64 * 1024)
}
