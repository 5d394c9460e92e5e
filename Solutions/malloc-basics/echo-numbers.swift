#if canImport(Glibc)
import Glibc
#endif

guard let firstLine = readLine(), let n = Int(firstLine), n >= 0 else {
    fputs("expected a count on the first line\n", stderr)
    exit(1)
}
// One allocation with room for exactly n Int32 values. Swift's allocate never returns nil:
// if the memory is not there, the runtime stops the program.
let numbers = UnsafeMutablePointer<Int32>.allocate(capacity: n)
for i in 0..<n {
    guard let line = readLine(), let value = Int32(line) else {
        fputs("expected \(n) numbers\n", stderr)
        numbers.deallocate()
        exit(1)
    }
    numbers[i] = value
}
for i in 0..<n {
    print(numbers[i])
}
numbers.deallocate()
