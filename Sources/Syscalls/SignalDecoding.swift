// A raw x86_64 siginfo_t (128 bytes from PTRACE_GETSIGINFO) → strace's `{si_signo=…, …}`
// (strace's printsiginfo.c), plus the fields a check needs.
//
// x86_64 layout: si_signo @0, si_errno @4, si_code @8, then the union @16:
//   kill/tkill: si_pid @16, si_uid @20        rt/queue: + sigval @24 (si_int, si_ptr)
//   SIGCHLD: si_pid @16, si_uid @20, si_status @24, si_utime @32, si_stime @40
//   faults: si_addr @16, si_addr_lsb @24, si_lower @32, si_upper @40 / si_pkey @32
//   SIGPOLL: si_band @16, si_fd @24           SIGSYS: si_call_addr @16, si_syscall @24, si_arch @28
//   timer: si_tid @16, si_overrun @20, sigval @24

enum SignalDecoding {
    static func decode(_ raw: [UInt8]) -> SignalEvent {
        let info = SigInfo(raw)
        let signo = info.i32(0)
        guard signo != 0 else { return SignalEvent(signal: 0, code: 0, rendered: "{}") }
        let code = info.i32(8)
        var event = SignalEvent(signal: signo, code: code, rendered: "")
        var parts = ["si_signo=" + SignalTable.name(of: signo)]
        let codeText = SignalTable.codeName(code, signal: signo) ?? hex(UInt64(UInt32(bitPattern: code)))
        parts.append("si_code=" + codeText)
        let errno = info.i32(4)
        if errno != 0 { parts.append("si_errno=" + (ErrnoTable.name(of: errno) ?? String(errno))) }

        func source() {
            event.senderPid = info.i32(16)
            event.senderUid = UInt32(bitPattern: info.i32(20))
            parts.append("si_pid=\(info.i32(16))")
            parts.append("si_uid=\(UInt32(bitPattern: info.i32(20)))")
        }
        func value() {
            parts.append("si_int=\(info.i32(24))")
            parts.append("si_ptr=" + StraceText.address(info.u64(24)))
        }
        func faultAddress() {
            event.faultAddress = info.u64(16)
            parts.append("si_addr=" + StraceText.address(info.u64(16)))
        }

        if code <= 0 {
            switch code {
            case 0, -6:  // SI_USER, SI_TKILL
                source()
            case -2:     // SI_TIMER
                parts.append("si_timerid=" + hex(UInt64(UInt32(bitPattern: info.i32(16)))))
                parts.append("si_overrun=\(info.i32(20))")
                value()
            case -5:     // SI_SIGIO
                parts.append("si_band=\(Int64(bitPattern: info.u64(16)))")
                parts.append("si_fd=\(info.i32(24))")
            default:
                source()
                if info.u64(24) != 0 { value() }
            }
        } else {
            switch signo {
            case 17:  // SIGCHLD
                source()
                let status = info.i32(24)
                event.childStatus = status
                parts.append("si_status=" + (code == 1 ? String(status) : StraceText.signal(UInt64(UInt32(bitPattern: status)))))
                parts.append("si_utime=" + clockTicks(info.u64(32)))
                parts.append("si_stime=" + clockTicks(info.u64(40)))
            case 4, 8, 5:  // SIGILL, SIGFPE, SIGTRAP
                faultAddress()
            case 7:   // SIGBUS
                faultAddress()
                if code == 4 || code == 5 { parts.append("si_addr_lsb=" + hex(UInt64(info.u16(24)))) }
            case 11:  // SIGSEGV
                faultAddress()
                if code == 3 {  // SEGV_BNDERR
                    parts.append("si_lower=" + StraceText.address(info.u64(32)))
                    parts.append("si_upper=" + StraceText.address(info.u64(40)))
                } else if code == 4 {  // SEGV_PKUERR
                    parts.append("si_pkey=\(UInt32(bitPattern: info.i32(32)))")
                }
            case 29:  // SIGIO / SIGPOLL
                if (1...3).contains(code) {
                    parts.append("si_band=\(Int64(bitPattern: info.u64(16)))")
                    parts.append("si_fd=\(info.i32(24))")
                }
            case 31:  // SIGSYS
                parts.append("si_call_addr=" + StraceText.address(info.u64(16)))
                parts.append("si_syscall=" + ("__NR_" + (SyscallTable.name(of: Int(info.i32(24))) ?? String(info.i32(24)))))
                let arch = UInt32(bitPattern: info.i32(28))
                parts.append("si_arch=" + (arch == 0xc000003e ? "AUDIT_ARCH_X86_64" : hex(UInt64(arch)) + " /* AUDIT_ARCH_??? */"))
            default:
                if info.i32(16) != 0 || info.i32(20) != 0 { source() }
                if info.u64(24) != 0 { value() }
            }
        }
        event.rendered = "{" + parts.joined(separator: ", ") + "}"
        return event
    }
}

/// strace's print_clock_t: ticks, and for a nonzero value the seconds at 100 ticks per second
/// (`10 /* 0.10 s */`).
func clockTicks(_ ticks: UInt64) -> String {
    guard ticks != 0 else { return "0" }
    let hundredths = ticks % 100
    return "\(ticks) /* \(ticks / 100).\(hundredths < 10 ? "0" : "")\(hundredths) s */"
}

private struct SigInfo {
    let bytes: [UInt8]
    init(_ raw: [UInt8]) { bytes = raw.count >= 128 ? raw : raw + [UInt8](repeating: 0, count: 128 - raw.count) }
    func u64(_ offset: Int) -> UInt64 { UInt64(littleEndian: Array(bytes[offset..<offset + 8])) }
    func i32(_ offset: Int) -> Int32 { Int32(littleEndian: Array(bytes[offset..<offset + 4])) }
    func u16(_ offset: Int) -> UInt16 { UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8 }
}
