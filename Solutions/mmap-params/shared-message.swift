#if canImport(Glibc)
import Glibc
#endif

let page = sysconf(Int32(_SC_PAGESIZE))
guard let shared = mmap(nil, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0),
      shared != MAP_FAILED else {
    perror("mmap")
    exit(1)
}
let text = shared.assumingMemoryBound(to: CChar.self)
let child = fork()
if child < 0 {
    perror("fork")
    exit(1)
}
if child == 0 {
    _ = strcpy(text, "hello from child")
    exit(0)
}
if waitpid(child, nil, 0) < 0 {
    perror("waitpid")
    exit(1)
}
print(String(cString: text))
munmap(shared, page)
