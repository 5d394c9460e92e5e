// Library calls in expectations: `malloc(5000) = $p` … `free($p)`.
//
// When the tracer was asked for library-call events (`.libraryCall`, module Tracing's
// `TraceExtraOptions.libraryCalls`), an expectation line may name one of the C library
// functions below like a system call: its arguments and return value match the same
// patterns (`malloc(…) = $p`, `calloc(10, 100) = $q`, `realloc($p, _) = $r`, `free($r)`,
// `mallopt(M_MMAP_THRESHOLD, 65536)`, `sbrk(0) = $top`). Counts, `never`, scopes and captures
// work as for system calls. A library call comes before the system calls it caused.
// The libc `mmap`/`munmap` wrappers are traced too, but `mmap(…)` in an expectation always
// means the system call.

import Syscalls

public enum LibraryCallNames {
    /// The functions an expectation may name.
    public static let matchable: Set<String> = ["malloc", "calloc", "realloc", "free", "mallopt", "sbrk"]

    /// A number for the trace model's index, never a syscall's (negative, below -1000).
    static func pseudoNumber(of name: String) -> Int? {
        switch name {
        case "malloc": return -1001
        case "calloc": return -1002
        case "realloc": return -1003
        case "free": return -1004
        case "mallopt": return -1005
        case "sbrk": return -1006
        default: return nil
        }
    }

    /// Whether an expectation block names a library function, so the run must trace them
    /// (the check engine asks for `.libraryCall` events only then).
    public static func mentioned(in text: String) -> Bool {
        for name in matchable {
            var searchStart = text.startIndex
            while let range = text[searchStart...].firstRange(of: name + "(") {
                let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
                if before == nil || !(before!.isLetter || before!.isNumber || before! == "_") { return true }
                searchStart = range.upperBound
            }
        }
        return false
    }
}
