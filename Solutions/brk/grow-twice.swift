#if canImport(Glibc)
import Glibc
#endif

// Each growth of the heap adds about 132 KiB; 16 blocks of 64 KiB need 1 MiB,
// so the break has to move several times.
for i in 0..<16 {
    guard let p = malloc(64 * 1024) else { exit(1) }
    memset(p, Int32(i), 64 * 1024)
}
