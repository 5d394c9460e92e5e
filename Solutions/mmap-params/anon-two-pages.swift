#if canImport(Glibc)
import Glibc
#endif

let page = sysconf(Int32(_SC_PAGESIZE))
let length = 2 * page
guard let p = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
      p != MAP_FAILED else {
    perror("mmap")
    exit(1)
}
p.storeBytes(of: UInt8(ascii: "a"), as: UInt8.self)                      // first page
p.storeBytes(of: UInt8(ascii: "b"), toByteOffset: page, as: UInt8.self)  // second page
if munmap(p, length) != 0 {
    perror("munmap")
    exit(1)
}
