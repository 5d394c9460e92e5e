// strace's lines when processes interleave. A call's line starts when the call does (`read(3, `);
// if another process prints before the call returns, the line is closed with ` <unfinished ...>`
// and finished later as `<... read resumed>"hello\n", 16) = 6`. The tracer merges entry and exit
// into one event; given the entries too (`SyscallEntryNotice`), this writer prints what strace
// prints, line for line.

public struct StraceInterleaving {
    /// Calls that have started and not returned, by thread: name and the text printed at entry.
    private var started: [Int32: (name: String, printed: String)] = [:]
    /// The thread whose line is open (printed up to its entry part, no newline yet) and how wide
    /// that line is so far, pid prefix included.
    private var openLine: (pid: Int32, width: Int)?

    public init() {}

    /// A call starts: its line starts too, after closing another thread's open line.
    public mutating func enter(_ notice: SyscallEntryNotice, pidPrefix: StraceFormat.PidPrefix, to bytes: inout [UInt8]) {
        closeOpenLine(&bytes)
        let start = bytes.count
        StraceFormat.appendPrefix(notice.pid, pidPrefix, to: &bytes)
        bytes.append(contentsOf: notice.name.utf8)
        bytes.append(0x28)  // (
        bytes.append(contentsOf: notice.printed.utf8)
        started[notice.pid] = (notice.name, notice.printed)
        openLine = (notice.pid, bytes.count - start)
    }

    /// An event: the end of a call finishes that call's line (on the open line, or as
    /// `<... NAME resumed>` on a new one); anything else that prints closes the open line first.
    public mutating func append(_ event: TraceEvent, pidPrefix: StraceFormat.PidPrefix, to bytes: inout [UInt8]) {
        if case .spawned = event.kind { return }  // no line: strace prints nothing here
        if case .syscall(let call) = event.kind, let begun = started.removeValue(forKey: event.pid),
           begun.name == call.name, call.renderedArguments.utf8.starts(with: begun.printed.utf8) {
            let rest = call.renderedArguments.utf8.dropFirst(begun.printed.utf8.count)
            var width: Int
            if let open = openLine, open.pid == event.pid {
                width = open.width
                openLine = nil
            } else {
                closeOpenLine(&bytes)
                let start = bytes.count
                StraceFormat.appendPrefix(event.pid, pidPrefix, to: &bytes)
                bytes.append(contentsOf: "<... ".utf8)
                bytes.append(contentsOf: call.name.utf8)
                bytes.append(contentsOf: " resumed>".utf8)
                width = bytes.count - start
            }
            bytes.append(contentsOf: rest)
            bytes.append(0x29)  // )
            bytes.append(0x20)
            width += rest.count + 2
            if width < StraceFormat.returnColumn {
                bytes.append(contentsOf: repeatElement(0x20, count: StraceFormat.returnColumn - width))
            }
            bytes.append(0x3d)  // =
            bytes.append(0x20)
            bytes.append(contentsOf: call.renderedReturn.utf8)
            bytes.append(0x0a)
            return
        }
        closeOpenLine(&bytes)
        StraceFormat.appendLine(event, pidPrefix: pidPrefix, to: &bytes)
    }

    /// Ends the trace: a line still open stays unfinished, as strace leaves it.
    public mutating func finish(to bytes: inout [UInt8]) {
        closeOpenLine(&bytes)
    }

    private mutating func closeOpenLine(_ bytes: inout [UInt8]) {
        guard openLine != nil else { return }
        bytes.append(contentsOf: " <unfinished ...>\n".utf8)
        openLine = nil
    }
}
