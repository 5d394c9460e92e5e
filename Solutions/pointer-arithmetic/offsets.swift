#if canImport(Glibc)
import Glibc
#endif

guard let raw = malloc(8 * MemoryLayout<Int32>.stride) else {
    fputs("allocation failed\n", stderr)
    exit(1)
}
let p = raw.bindMemory(to: Int32.self, capacity: 8)
for i in 0..<8 {
    // withUnsafeMutablePointer(to: &x) is not a general address-of: it lends the closure a
    // pointer to x's storage for the call only (it must not escape), and when x has no storage
    // of its own (a computed property, say) that is the address of a temporary copy. p[i] on
    // an UnsafeMutablePointer is the element's own memory, so here the pointer is p + i.
    let same = withUnsafeMutablePointer(to: &p[i]) { $0 == p + i }
    let offset = UnsafeRawPointer(p).distance(to: UnsafeRawPointer(p + i))
    print("i=\(i) same=\(same ? 1 : 0) offset=\(offset)")
}
free(raw)
