#if canImport(Glibc)
import Glibc
#endif

let page = sysconf(Int32(_SC_PAGESIZE))
let before = sbrk(0)!
// sbrk returns the old break, the first byte of the new page, or (void *)-1 on failure.
guard let start = sbrk(page), start != UnsafeMutableRawPointer(bitPattern: -1) else {
    perror("sbrk")
    exit(1)
}
start.storeBytes(of: 42, as: UInt8.self)
let after = sbrk(0)!
print("grew by \(before.distance(to: after))")
