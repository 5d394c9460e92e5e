#if canImport(Glibc)
import Glibc
#endif

let page = sysconf(Int32(_SC_PAGESIZE))
let before = sbrk(0)!
if sbrk(page) == UnsafeMutableRawPointer(bitPattern: -1) {
    perror("sbrk")
    exit(1)
}
let after = sbrk(0)!
before.storeBytes(of: 42, as: UInt8.self)   // the first byte of the new page
print("grew by \(before.distance(to: after))")
