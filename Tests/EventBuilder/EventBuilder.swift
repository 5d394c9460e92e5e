// Trace events for tests, made the way the tracer makes them: registers and memory through
// SyscallDecoder, a siginfo through the signal decoder. Hand-built runs then carry strace's
// own text and the decoder's typed arguments, never a text written by hand.

import Syscalls

public enum EventBuilder {
    /// The call `name` with these argument registers and return, as the tracer decodes it.
    /// `data` is the memory at every pointer argument (a path, a buffer): none when nil.
    public static func call(_ name: String, _ arguments: [UInt64], _ result: Int64?, data: [UInt8]? = nil) -> SyscallEvent {
        let number = SyscallTable.number(of: name) ?? 999
        return call(number: number, arguments, result, data: data)
    }

    /// The same, by syscall number.
    public static func call(number: Int, _ arguments: [UInt64], _ result: Int64?, data: [UInt8]? = nil) -> SyscallEvent {
        let registers = Array((arguments + Array(repeating: 0, count: 6)).prefix(max(6, arguments.count)))
        let memory = PointedMemory(addresses: Set(arguments.filter { $0 != 0 }), bytes: data ?? [])
        let entry = SyscallDecoder.entry(number: number, arguments: registers, memory: memory)
        return SyscallDecoder.exit(entry, returnValue: result, memory: memory)
    }

    /// A C library call from the program's own code (`malloc(5000) = 0x…`) as the tracer prints
    /// it from the argument registers and `rax` at return; `result` nil for `free`.
    public static func libraryCall(_ function: String, _ arguments: [UInt64], _ result: UInt64?,
                                   returnAddress: UInt64 = 0x401234) -> LibraryCallEvent {
        LibraryCallDecoder.event(function: function, arguments: arguments, returnValue: result, returned: true,
                                 returnAddress: returnAddress)
    }

    /// A signal as the tracer decodes its siginfo: a fault at `address` (SIGSEGV, SIGBUS, …),
    /// or a signal sent by process `sender` (uid 0).
    public static func signal(_ signal: Int32, code: Int32, address: UInt64? = nil, sender: Int32? = nil) -> SignalEvent {
        var siginfo = [UInt8](repeating: 0, count: 128)
        func put(_ value: UInt64, at offset: Int, size: Int) {
            for k in 0..<size { siginfo[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(k))) }
        }
        put(UInt64(UInt32(bitPattern: signal)), at: 0, size: 4)
        put(UInt64(UInt32(bitPattern: code)), at: 8, size: 4)
        if let address { put(address, at: 16, size: 8) }
        if let sender { put(UInt64(UInt32(bitPattern: sender)), at: 16, size: 4) }
        return SyscallDecoder.signal(siginfo: siginfo)
    }
}

/// Tracee memory holding the same bytes at each of `addresses`, and nothing anywhere else.
public struct PointedMemory: TraceeMemory {
    public var addresses: Set<UInt64>
    public var bytes: [UInt8]

    public init(addresses: Set<UInt64>, bytes: [UInt8]) {
        self.addresses = addresses
        self.bytes = bytes
    }

    public func read(address: UInt64, count: Int) -> [UInt8]? {
        guard addresses.contains(address), !bytes.isEmpty else { return nil }
        return Array(bytes.prefix(count))
    }

    public func readCString(address: UInt64, limit: Int) -> [UInt8]? {
        guard addresses.contains(address), !bytes.isEmpty else { return nil }
        return Array(bytes.prefix(limit))
    }
}
