// The time calls as strace 6.1 prints them (its time.c): nanosleep and clock_nanosleep's
// timespecs and clock names.

extension SyscallDecoder {
    /// print_timespec: `NULL`, `{tv_sec=1, tv_nsec=500}`, or the address.
    static func timespec(at address: UInt64, memory: TraceeMemory) -> String {
        if address == 0 { return "NULL" }
        guard let bytes = memory.read(address: address, count: 16), bytes.count == 16 else { return StraceText.address(address) }
        return "{tv_sec=\(Int64(bitPattern: UInt64(littleEndian: Array(bytes[0..<8])))), tv_nsec=\(UInt64(littleEndian: Array(bytes[8..<16])))}"
    }

    /// printclockname: `CLOCK_MONOTONIC`, or `0x2a /* CLOCK_??? */`.
    static func clockName(_ raw: UInt64) -> String {
        FlagTables.clocks.value(raw & 0xffffffff)
    }

    /// clock_nanosleep's clock, flags and request, printed before the call returns.
    static func clockNanosleepHead(_ a: Arguments, memory: TraceeMemory) -> ArgumentList {
        ArgumentList((clockName(a[0]), 0, .flags), (FlagTables.clockFlags.flags(a[1] & 0xffffffff), 1, .flags),
                     (timespec(at: a[2], memory: memory), 2, .structure))
    }
}
