#if canImport(Glibc)
import Glibc
#endif
for _ in 0..<5 {
    let p = malloc(5000)!
    print("got \(p)")
}
