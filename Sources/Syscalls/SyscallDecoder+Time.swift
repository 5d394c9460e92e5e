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
        let names = ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
                     "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME",
                     "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", "CLOCK_SGI_CYCLE", "CLOCK_TAI"]
        let value = raw & 0xffffffff
        return value < UInt64(names.count) ? names[Int(value)] : hex(value) + " /* CLOCK_??? */"
    }
}
