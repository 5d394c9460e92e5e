#if canImport(Glibc)
import Glibc
#endif

/// The first line of some bytes, as text.
func firstLine(_ bytes: UnsafeRawBufferPointer) -> String {
    let line = bytes.prefix { $0 != UInt8(ascii: "\n") }
    return String(decoding: line, as: UTF8.self)
}

guard CommandLine.arguments.count > 1 else {
    fputs("usage: private-scratch FILE\n", stderr)
    exit(1)
}
let path = CommandLine.arguments[1]
let fd = open(path, O_RDONLY)          // read-only is enough for a private mapping
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
guard let text = mmap(nil, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), text != MAP_FAILED else {
    perror("mmap")
    exit(1)
}
text.storeBytes(of: UInt8(ascii: "J"), as: UInt8.self)   // copy-on-write: only our copy changes
print("memory: " + firstLine(UnsafeRawBufferPointer(start: text, count: size)))

var buffer = [UInt8](repeating: 0, count: 4096)
let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
if got < 0 {
    perror("pread")
    exit(1)
}
buffer.withUnsafeBytes { print("file: " + firstLine(UnsafeRawBufferPointer(rebasing: $0[0..<got]))) }
munmap(text, size)
close(fd)
