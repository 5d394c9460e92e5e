#if canImport(Glibc)
import Glibc
#endif

// Fixed-size tuples instead of arrays, so no other allocation happens in between.
var old: (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) = (nil, nil, nil)
old.0 = malloc(200)
old.1 = malloc(200)
old.2 = malloc(200)
free(old.0)
free(old.1)
free(old.2)
let new = (malloc(200), malloc(200), malloc(200))
let olds = [old.0, old.1, old.2]
let news = [new.0, new.1, new.2]
for i in 0..<3 {
    for j in 0..<3 where news[i] == olds[j] {   // comparing addresses only
        print("new \(i) = old \(j)")
    }
}
for p in news {
    free(p)
}
