// strace's lines when processes interleave. strace prints a call's line from its entry; if another
// process prints before the call returns, the line is closed with ` <unfinished ...>` and finished
// later as `<... read resumed>"hello\n", 16) = 6`. The tracer merges entry and exit into one event
// and reports the rare interrupted call (`UnfinishedCall`) just before the event that interrupts
// it; this writer prints both as strace does. A call nobody interrupts costs nothing extra.

public struct StraceInterleaving {
    /// Calls printed as unfinished, by thread: number and how many bytes of the argument list went out.
    private var unfinished: [Int32: (number: Int, printedBytes: Int)] = [:]

    public init() {}

    /// `[pid N] name(printed <unfinished ...>`; for a thread's execve that replaced its leader,
    /// `name(printed <pid changed to L ...>` (or nothing, when the line was already cut), then
    /// `+++ superseded by execve in pid N +++` under the leader's pid.
    /// `supersededPrefix` is the `+++ superseded …` line's (strace has one tracee fewer by then).
    public mutating func unfinished(_ call: UnfinishedCall, pidPrefix: StraceFormat.PidPrefix,
                                    supersededPrefix: StraceFormat.PidPrefix? = nil, to bytes: inout [UInt8]) {
        if let signal = call.stoppedBy {
            StraceFormat.appendPrefix(call.pid, pidPrefix, to: &bytes)
            bytes.append(contentsOf: "--- stopped by \(SignalTable.name(of: signal)) ---\n".utf8)
            return
        }
        guard let leader = call.supersededLeader else {
            StraceFormat.appendPrefix(call.pid, pidPrefix, to: &bytes)
            bytes.append(contentsOf: call.name.utf8)
            bytes.append(0x28)  // (
            bytes.append(contentsOf: call.printed.utf8)
            bytes.append(contentsOf: " <unfinished ...>\n".utf8)
            unfinished[call.pid] = (call.number, call.printed.utf8.count)
            return
        }
        if call.lineOpen {
            StraceFormat.appendPrefix(call.pid, pidPrefix, to: &bytes)
            bytes.append(contentsOf: call.name.utf8)
            bytes.append(0x28)
            bytes.append(contentsOf: call.printed.utf8)
            bytes.append(contentsOf: " <pid changed to \(leader) ...>\n".utf8)
            unfinished[leader] = (call.number, call.printed.utf8.count)
        } else if let started = unfinished.removeValue(forKey: call.pid) {
            unfinished[leader] = started
        }
        StraceFormat.appendPrefix(leader, supersededPrefix ?? pidPrefix, to: &bytes)
        bytes.append(contentsOf: "+++ superseded by execve in pid \(call.pid) +++\n".utf8)
    }

    /// An event's line: `<... NAME resumed>` and the rest for a call printed as unfinished,
    /// the usual line otherwise.
    public mutating func append(_ event: TraceEvent, pidPrefix: StraceFormat.PidPrefix, to bytes: inout [UInt8]) {
        if !unfinished.isEmpty, case .syscall(let call) = event.kind, let started = unfinished.removeValue(forKey: event.pid),
           started.number == call.number, started.printedBytes <= call.renderedArguments.utf8.count {
            let start = bytes.count
            StraceFormat.appendPrefix(event.pid, pidPrefix, to: &bytes)
            bytes.append(contentsOf: "<... ".utf8)
            bytes.append(contentsOf: call.name.utf8)
            bytes.append(contentsOf: " resumed>".utf8)
            var arguments = call.renderedArguments
            arguments.withUTF8 { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[started.printedBytes...])) }
            StraceFormat.appendReturn(call, lineStart: start, to: &bytes)
            bytes.append(0x0a)
            return
        }
        StraceFormat.appendLine(event, pidPrefix: pidPrefix, to: &bytes)
    }
}
