#if canImport(Glibc)
import Glibc
#endif

guard CommandLine.arguments.count > 1 else {
    fputs("usage: map-file FILE\n", stderr)
    exit(1)
}
let path = CommandLine.arguments[1]
let fd = open(path, O_RDONLY)
if fd < 0 {
    perror(path)
    exit(1)
}
var info = stat()
if fstat(fd, &info) != 0 {
    perror("fstat")
    exit(1)
}
let size = Int(info.st_size)
var lines = 0
if size > 0 {                          // mmap refuses a length of 0
    guard let text = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), text != MAP_FAILED else {
        perror("mmap")
        exit(1)
    }
    let bytes = UnsafeRawBufferPointer(start: text, count: size)
    for byte in bytes where byte == UInt8(ascii: "\n") {
        lines += 1
    }
    munmap(text, size)
}
close(fd)
print(lines)
