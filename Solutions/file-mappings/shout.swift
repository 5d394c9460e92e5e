#if canImport(Glibc)
import Glibc
#endif

guard CommandLine.arguments.count > 1 else {
    fputs("usage: shout FILE\n", stderr)
    exit(1)
}
let path = CommandLine.arguments[1]
let fd = open(path, O_RDWR)            // a shared, writable mapping needs O_RDWR
if fd < 0 {
    perror(path)
    exit(1)
}
var info = stat()
if fstat(fd, &info) != 0 || info.st_size == 0 {
    fputs("\(path): empty or unreadable\n", stderr)
    exit(1)
}
let size = Int(info.st_size)
guard let text = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), text != MAP_FAILED else {
    perror("mmap")
    exit(1)
}
let bytes = UnsafeMutableRawBufferPointer(start: text, count: size)
for i in 0..<size where bytes[i] >= UInt8(ascii: "a") && bytes[i] <= UInt8(ascii: "z") {
    bytes[i] -= 32
}
if msync(text, size, MS_SYNC) != 0 {   // write the pages to the file now
    perror("msync")
    exit(1)
}
munmap(text, size)

// Read the file itself back: the changes are in it.
var buffer = [UInt8](repeating: 0, count: 4096)
let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
if got < 0 {
    perror("pread")
    exit(1)
}
print(String(decoding: buffer[0..<got], as: UTF8.self), terminator: "")
close(fd)
