#if canImport(Glibc)
import Glibc
#endif

let size = MemoryLayout<Int32>.size
guard let raw = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
      raw != MAP_FAILED else {
    perror("mmap")
    exit(1)
}
let value = raw.bindMemory(to: Int32.self, capacity: 1)
value.pointee = 1
let child = fork()
if child < 0 {
    perror("fork")
    exit(1)
}
if child == 0 {
    value.pointee = 2                 // the child gets its own copy of the page
    print("child \(value.pointee)")
    exit(0)
}
waitpid(child, nil, 0)
print("parent \(value.pointee)")
munmap(raw, size)
