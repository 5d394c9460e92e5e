#if canImport(Glibc)
import Glibc
#endif

for _ in 0..<5 {
    guard let p = malloc(200 * 1024) else {
        fputs("allocation failed\n", stderr)
        exit(1)
    }
    print("got \(p)")
}
