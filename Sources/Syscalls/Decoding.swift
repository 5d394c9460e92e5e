// The seam between the ptrace loop (module Tracing) and the decoders of this module.
// The loop calls `SyscallDecoder` at each syscall entry and exit while the tracee is stopped,
// so buffers and paths are read at the moment they are meaningful.

/// Read access to a stopped tracee's memory (Tracing implements it with process_vm_readv).
package protocol TraceeMemory {
    /// Up to `count` bytes at `address`; fewer if the range ends in unmapped memory; nil if none.
    func read(address: UInt64, count: Int) -> [UInt8]?
    /// A NUL-terminated string of at most `limit` bytes (without the NUL), or its first `limit`
    /// bytes when it is longer; nil when memory becomes unreadable before its NUL or the limit.
    func readCString(address: UInt64, limit: Int) -> [UInt8]?
}

/// What the decoder captured at entry, carried to the exit.
package struct SyscallEntry: Sendable {
    package var number: Int
    package var arguments: [UInt64]
    /// Anything read at entry (e.g. a `write` buffer, an `execve` path), opaque to the loop.
    package var captured: [UInt8]?
    /// Arguments already rendered at entry (strace renders some before the call runs).
    var renderedAtEntry: ArgumentList?
    /// What strace prints of the argument list when the call starts, before it returns, when that
    /// is not `renderedAtEntry` (all of the list, for most calls): the arguments known beforehand
    /// (`read(3, ` … `<unfinished ...>`).
    var printedAtEntry: ArgumentList?

    /// The text strace prints at entry: `printedAtEntry` (with the `, ` before what comes at
    /// exit), or the whole `renderedAtEntry`. Always a prefix of the event's `renderedArguments`.
    package var straceEntryText: String {
        guard let printed = printedAtEntry else { return renderedAtEntry?.text ?? "" }
        return finishedAtEntry || printed.isEmpty ? printed.text : printed.text + ", "
    }
    /// The arguments of `straceEntryText`.
    var entryArguments: ArgumentList { printedAtEntry ?? renderedAtEntry ?? ArgumentList() }
    /// Whether strace's decoder finished the argument list at entry (its RVAL_DECODED). A call
    /// that never returns prints what strace printed at entry, then ` <unfinished ...>` when not.
    package var finishedAtEntry = true

    package init(number: Int, arguments: [UInt64], captured: [UInt8]? = nil) {
        self.number = number
        self.arguments = arguments
        self.captured = captured
    }
}

/// A call whose line another event interrupts. strace prints a call's line from its entry, so
/// when another process prints before the call returns, strace closes the line with
/// ` <unfinished ...>` and finishes it later as `<... NAME resumed>`. The tracer merges entry and
/// exit into one event; it reports the call like this just before the event that interrupts it.
public struct UnfinishedCall: Sendable {
    public var pid: Int32
    public var number: Int
    public var name: String
    /// What strace printed of the arguments at entry (`SyscallEntry.straceEntryText`).
    public var printed: String
    /// How many traced threads lived when the call started (strace's `[pid N] ` prefix on
    /// standard error depends on it).
    public var liveAtEntry: Int
    /// Set when this call is an `execve` of a thread that is not its process's leader, and it has
    /// succeeded: the thread takes the leader's pid. strace then closes the call's line with
    /// ` <pid changed to LEADER ...>` (when nothing came after it), prints
    /// `+++ superseded by execve in pid THREAD +++` for the leader, and finishes the call under
    /// the leader's pid (`<... execve resumed>) = 0`).
    public var supersededLeader: Int32?
    /// Whether the call's line was still open (nothing printed since its entry).
    public var lineOpen: Bool
    /// Not a call: the thread entered a group-stop by this signal. strace prints
    /// `--- stopped by SIGSTOP ---`, a line that is no event of the trace (the signal's delivery is).
    public var stoppedBy: Int32?

    /// strace's `--- stopped by SIG ---` line for thread `pid`.
    public static func groupStop(pid: Int32, signal: Int32, liveAtEntry: Int) -> UnfinishedCall {
        var notice = UnfinishedCall(pid: pid, number: -1, name: "", printed: "", liveAtEntry: liveAtEntry)
        notice.stoppedBy = signal
        return notice
    }

    public init(pid: Int32, number: Int, name: String, printed: String, liveAtEntry: Int,
                supersededLeader: Int32? = nil, lineOpen: Bool = true) {
        self.pid = pid
        self.number = number
        self.name = name
        self.printed = printed
        self.liveAtEntry = liveAtEntry
        self.supersededLeader = supersededLeader
        self.lineOpen = lineOpen
    }
}
