#if canImport(Glibc)
import Glibc
#endif

guard let raw = malloc(8 * MemoryLayout<Int32>.stride) else {
    fputs("allocation failed\n", stderr)
    exit(1)
}
let p = raw.bindMemory(to: Int32.self, capacity: 8)
for i in 0..<8 {
    // &p[i] in Swift: the address of element i, compared with p + i.
    let same = withUnsafeMutablePointer(to: &p[i]) { $0 == p + i }
    let offset = UnsafeRawPointer(p).distance(to: UnsafeRawPointer(p + i))
    print("i=\(i) same=\(same ? 1 : 0) offset=\(offset)")
}
free(raw)
