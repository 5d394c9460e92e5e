#if canImport(Glibc)
import Glibc
#endif

let page = sysconf(Int32(_SC_PAGESIZE))
guard let p = mmap(nil, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
    perror("mmap")
    exit(1)
}
p.storeBytes(of: UInt8(ascii: "x"), as: UInt8.self)   // the page is read-only: SIGSEGV
