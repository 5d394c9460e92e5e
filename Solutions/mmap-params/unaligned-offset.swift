#if canImport(Glibc)
import Glibc
#endif

let page = sysconf(Int32(_SC_PAGESIZE))
var p = mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100)
if p == MAP_FAILED && errno == EINVAL {
    print("EINVAL")
}
p = mmap(nil, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
if p == MAP_FAILED {
    perror("mmap")
    exit(1)
}
print("ok")
munmap(p, page)
