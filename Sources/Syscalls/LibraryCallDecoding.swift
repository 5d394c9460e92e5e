// How a traced C library call is printed (`malloc(5000) = 0x5581d2a4b2a0`, `free(0x…)`,
// `mmap(NULL, 4096, PROT_READ, …) = 0x…`): from the argument registers and `rax` at return,
// the way the syscall decoder prints a syscall from its registers.

package enum LibraryCallDecoder {
    /// The event for a call of `function` with these argument registers (as many as it takes),
    /// returning `returnValue` (`rax`), or never returning (`returned` false).
    package static func event(function: String, arguments: [UInt64], returnValue: UInt64?, returned: Bool,
                             returnAddress: UInt64) -> LibraryCallEvent {
        let a = arguments + Array(repeating: 0, count: max(0, 6 - arguments.count))
        let rendered: String
        var result: String?
        switch function {
        case "malloc": rendered = "\(a[0])"
        case "calloc": rendered = "\(a[0]), \(a[1])"
        case "realloc": rendered = "\(pointer(a[0])), \(a[1])"
        case "free": rendered = pointer(a[0])
        case "mallopt": rendered = "\(malloptParameter(a[0])), \(Int32(truncatingIfNeeded: a[1]))"
        case "sbrk": rendered = "\(Int64(bitPattern: a[0]))"
        case "mmap", "munmap":
            // The same arguments as the syscall of that name, printed by its decoder.
            let number = function == "mmap" ? Nr.mmap : Nr.munmap
            let entry = SyscallDecoder.entry(number: number, arguments: a, memory: NoMemory())
            rendered = SyscallDecoder.exit(entry, returnValue: 0, memory: NoMemory()).renderedArguments
        default: rendered = a.prefix(arguments.count).map { "0x" + String($0, radix: 16) }.joined(separator: ", ")
        }
        switch function {
        case "free": result = nil
        case "mallopt", "munmap": result = returnValue.map { "\(Int32(truncatingIfNeeded: $0))" }
        case "sbrk", "mmap": result = returnValue.map { $0 == UInt64.max ? "-1" : pointer($0) }
        default: result = returnValue.map(pointer)
        }
        if !returned { result = "?" }
        return LibraryCallEvent(function: function, arguments: arguments,
                                returnValue: function == "free" ? nil : returnValue, returned: returned,
                                renderedArguments: rendered, renderedReturn: result, returnAddress: returnAddress)
    }

    static func pointer(_ value: UInt64) -> String { value == 0 ? "NULL" : "0x" + String(value, radix: 16) }

    static func malloptParameter(_ value: UInt64) -> String {
        let names: [Int32: String] = [1: "M_MXFAST", -1: "M_TRIM_THRESHOLD", -2: "M_TOP_PAD", -3: "M_MMAP_THRESHOLD",
                                      -4: "M_MMAP_MAX", -5: "M_CHECK_ACTION", -6: "M_PERTURB", -7: "M_ARENA_TEST",
                                      -8: "M_ARENA_MAX"]
        let parameter = Int32(truncatingIfNeeded: value)
        return names[parameter] ?? "\(parameter)"
    }
}

/// Memory reads are not needed to render mmap/munmap arguments.
private struct NoMemory: TraceeMemory {
    func read(address: UInt64, count: Int) -> [UInt8]? { nil }
    func readCString(address: UInt64, limit: Int) -> [UInt8]? { nil }
}
