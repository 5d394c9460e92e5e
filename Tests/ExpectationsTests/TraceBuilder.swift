// Builds small `ProgramRun`s by hand, the way the tracer would record them: every call goes
// through the tracer's decoder (SyscallDecoder), so its text is strace's.

@testable import Expectations
import EventBuilder
import Syscalls

struct TraceBuilder {
    var events: [TraceEvent] = []
    var root: Int32 = 100
    var stdout = ""
    var stderr = ""
    var exit: ProcessExit? = .exited(status: 0)
    var phase: Phase = .program

    /// Appends a syscall, decoded as the tracer decodes it; `data` is the memory every pointer
    /// argument points at (a path, a buffer), none when nil.
    mutating func call(_ name: String, _ args: [UInt64], _ result: Int64?, data: String? = nil, pid: Int32? = nil) {
        events.append(TraceEvent(sequence: events.count, pid: pid ?? root, phase: phase,
                                 kind: .syscall(decoded(name, args, result, data: data))))
    }

    mutating func mmap(length: UInt64, prot: UInt64 = 3, flags: UInt64 = 0x22, fd: UInt64 = UInt64.max, offset: UInt64 = 0,
                       result: Int64, pid: Int32? = nil) {
        call("mmap", [0, length, prot, flags, fd, offset], result, pid: pid)
    }

    mutating func munmap(_ address: Int64, _ length: UInt64, pid: Int32? = nil) {
        call("munmap", [UInt64(address), length], 0, pid: pid)
    }

    mutating func brk(_ address: UInt64, _ result: Int64, pid: Int32? = nil) {
        call("brk", [address], result, pid: pid)
    }

    mutating func write(_ fd: UInt64, _ text: String, pid: Int32? = nil) {
        call("write", [fd, 0x5000, UInt64(text.utf8.count)], Int64(text.utf8.count), data: text, pid: pid)
    }

    mutating func spawn(_ child: Int32, thread: Bool = false, from pid: Int32? = nil) {
        events.append(TraceEvent(sequence: events.count, pid: pid ?? root, phase: .program,
                                 kind: .spawned(child: child, isThread: thread)))
    }

    mutating func signal(_ signal: Int32, code: Int32, address: UInt64? = nil, pid: Int32? = nil) {
        events.append(TraceEvent(sequence: events.count, pid: pid ?? root, phase: .program,
                                 kind: .signal(EventBuilder.signal(signal, code: code, address: address))))
    }

    mutating func exited(_ pid: Int32, _ exit: ProcessExit) {
        events.append(TraceEvent(sequence: events.count, pid: pid, phase: .program, kind: .exit(exit)))
    }

    var run: ProgramRun {
        ProgramRun(events: events, rootPid: root, exit: exit, stdout: Array(stdout.utf8), stderr: Array(stderr.utf8))
    }
}

/// A call as the decoder makes it from registers, with `data` at every pointer argument.
func decoded(_ name: String, _ args: [UInt64], _ result: Int64?, data: String? = nil) -> SyscallEvent {
    EventBuilder.call(name, args, result, data: data.map { Array($0.utf8) })
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
