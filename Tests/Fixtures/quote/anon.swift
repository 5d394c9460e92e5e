#if canImport(Glibc)
import Glibc
#endif

let page = sysconf(Int32(_SC_PAGESIZE))
guard let p = mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else { exit(1) }
p.storeBytes(of: UInt8(ascii: "a"), as: UInt8.self)
munmap(p, page)
