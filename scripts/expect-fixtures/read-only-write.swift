#if canImport(Glibc)
import Glibc
#endif
let p = mmap(nil, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)!
p.storeBytes(of: 1, as: UInt8.self)
