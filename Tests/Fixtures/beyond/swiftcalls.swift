// A Swift program that calls the C library's allocator directly.
import Glibc

func grab(_ n: Int) -> UnsafeMutableRawPointer? {
    return malloc(n)
}

let a = grab(200000)
let b = calloc(4, 1000)
free(b)
free(a)
print("done")
