// Tracer.run: spawn a program under ptrace on a dedicated thread and turn its stops into
// TraceEvents. The loop itself lives in TraceSession.swift.

import CLessonsPtrace
import Syscalls
#if canImport(Glibc)
import Glibc
#endif

public enum Tracer {
    /// Runs `request` to completion (every traced process reaped) and returns what happened.
    /// `onEvent` is called on the tracer's own thread, in order, for every event that passes
    /// the phase filter (`includeStartup`), whether or not events are recorded. `onUnfinished` is
    /// called just before an event that interrupts a shown call, i.e. comes between its entry and
    /// its return, for strace's `<unfinished ...>` lines (not with source lines or library calls,
    /// whose events are extended, held back and reordered).
    public static func run(_ request: TraceRequest, onEvent: ((TraceEvent) -> Void)? = nil,
                           onUnfinished: ((UnfinishedCall) -> Void)? = nil) throws -> TraceOutcome {
        var result: Result<TraceOutcome, TraceError> = .failure(TraceError("the tracer thread did not run"))
        guard let thread = DedicatedThread.start({
            result = Result { () throws(TraceError) -> TraceOutcome in
                let session = try TraceSession(request: request, onUnfinished: onUnfinished, onEvent: onEvent)
                return try session.run()
            }
        }) else {
            throw TraceError("cannot start the tracer thread: \(String(cString: strerror(errno)))")
        }
        thread.join()
        return try result.get()
    }
}
