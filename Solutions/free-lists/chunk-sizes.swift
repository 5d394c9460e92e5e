#if canImport(Glibc)
import Glibc
#endif

// The 8 bytes before a block hold its chunk's size; the low 3 bits are flags.
while let line = readLine() {
    guard let n = Int(line) else { continue }
    guard let p = malloc(n) else {
        fputs("allocation failed\n", stderr)
        exit(1)
    }
    let header = p.load(fromByteOffset: -8, as: UInt.self)
    print("malloc(\(n)) chunk=\(header & ~7)")
    free(p)
}
