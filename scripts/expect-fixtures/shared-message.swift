#if canImport(Glibc)
import Glibc
#endif
let page = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)!
let pid = fork()
if pid == 0 {
    let text = "hello from child"
    _ = text.withCString { strcpy(page.assumingMemoryBound(to: CChar.self), $0) }
    _exit(0)
}
var status: Int32 = 0
waitpid(pid, &status, 0)
print(String(cString: page.assumingMemoryBound(to: CChar.self)))
