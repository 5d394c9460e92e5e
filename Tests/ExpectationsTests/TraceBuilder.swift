// Builds small `ProgramRun`s by hand, the way the tracer would record them.

@testable import Expectations
import Syscalls

struct TraceBuilder {
    var events: [TraceEvent] = []
    var root: Int32 = 100
    var stdout = ""
    var stderr = ""
    var exit: ProcessExit? = .exited(status: 0)
    var phase: Phase = .program

    /// Appends a syscall; `rendered` defaults to the raw numbers (hex above 4096).
    mutating func call(_ name: String, _ args: [UInt64], _ result: Int64?, rendered: String? = nil,
                       data: String? = nil, pid: Int32? = nil) {
        let text = rendered ?? args.map { $0 > 4096 && $0 < UInt64(Int64.max) ? "0x" + String($0, radix: 16) : "\(Int64(bitPattern: $0))" }
            .joined(separator: ", ")
        let ret: String
        if let result {
            if result < 0 && result >= -4095 {
                let errno = Int32(-result)
                ret = "-1 \(Constants.errnoName(errno)) (message)"
            } else {
                ret = result > 4096 ? "0x" + String(result, radix: 16) : "\(result)"
            }
        } else {
            ret = "?"
        }
        let event = SyscallEvent(number: Syscalls.SyscallTable.number(of: name) ?? 999, name: name, arguments: args + Array(repeating: 0, count: max(0, 6 - args.count)),
                                 returnValue: result, data: data.map { Array($0.utf8) }, renderedArguments: text,
                                 returnText: ret)
        events.append(TraceEvent(sequence: events.count, pid: pid ?? root, phase: phase, kind: .syscall(event)))
    }

    mutating func mmap(length: UInt64, prot: UInt64 = 3, flags: UInt64 = 0x22, fd: UInt64 = UInt64.max, offset: UInt64 = 0,
                       result: Int64, pid: Int32? = nil) {
        let protText = prot == 3 ? "PROT_READ|PROT_WRITE" : prot == 1 ? "PROT_READ" : "\(prot)"
        let flagText = flags == 0x22 ? "MAP_PRIVATE|MAP_ANONYMOUS" : flags == 0x21 ? "MAP_SHARED|MAP_ANONYMOUS" : flags == 2 ? "MAP_PRIVATE" : "0x" + String(flags, radix: 16)
        let fdText = fd == UInt64.max || fd == 0xffff_ffff ? "-1" : "\(fd)"
        call("mmap", [0, length, prot, flags, fd, offset], result,
             rendered: "NULL, \(length), \(protText), \(flagText), \(fdText), \(offset)", pid: pid)
    }

    mutating func munmap(_ address: Int64, _ length: UInt64, pid: Int32? = nil) {
        call("munmap", [UInt64(address), length], 0, rendered: "0x\(String(address, radix: 16)), \(length)", pid: pid)
    }

    mutating func brk(_ address: UInt64, _ result: Int64, pid: Int32? = nil) {
        call("brk", [address], result, rendered: address == 0 ? "NULL" : "0x" + String(address, radix: 16), pid: pid)
    }

    mutating func write(_ fd: UInt64, _ text: String, pid: Int32? = nil) {
        call("write", [fd, 0x5000, UInt64(text.utf8.count)], Int64(text.utf8.count),
             rendered: "\(fd), \(quote(text)), \(text.utf8.count)", data: text, pid: pid)
    }

    mutating func spawn(_ child: Int32, thread: Bool = false, from pid: Int32? = nil) {
        events.append(TraceEvent(sequence: events.count, pid: pid ?? root, phase: .program,
                                 kind: .spawned(child: child, isThread: thread)))
    }

    mutating func signal(_ signal: Int32, code: Int32, address: UInt64? = nil, pid: Int32? = nil) {
        let rendered = "{si_signo=\(Constants.signalName(signal)), si_code=\(Constants.codeName(code, signal: signal))"
            + (address.map { ", si_addr=0x\(String($0, radix: 16))" } ?? "") + "}"
        events.append(TraceEvent(sequence: events.count, pid: pid ?? root, phase: .program,
                                 kind: .signal(SignalEvent(signal: signal, code: code, faultAddress: address, rendered: rendered))))
    }

    mutating func exited(_ pid: Int32, _ exit: ProcessExit) {
        events.append(TraceEvent(sequence: events.count, pid: pid, phase: .program, kind: .exit(exit)))
    }

    var run: ProgramRun {
        ProgramRun(events: events, rootPid: root, exit: exit, stdout: Array(stdout.utf8), stderr: Array(stderr.utf8))
    }
}

func matchText(_ text: String, _ run: ProgramRun, hidden: Bool = false) -> MatchResult {
    do {
        var script = try ExpectationScript.parse(text, file: "l.md", line: 1)
        script.hidden = hidden
        return Matcher.match([script], against: run)
    } catch {
        return MatchResult(passed: false, failures: [MatchFailure(expectation: "parse error", line: 0, explanation: "\(error)")])
    }
}

// The addresses the matcher and explanation tests build their runs around.
let a1: Int64 = 0x7fff_f7fb_0000
let a2: Int64 = 0x7fff_f7f7_0000
let heap0: UInt64 = 0x5555_5555_9000

/// Start-up brk(NULL) and the loader's mmap, then `main`: where most hand-built runs begin.
func withHeap() -> TraceBuilder {
    var t = TraceBuilder()
    t.phase = .startup
    t.brk(0, Int64(heap0))
    t.mmap(length: 8192, result: 0x7fff_f7fc_0000)
    t.phase = .program
    return t
}
