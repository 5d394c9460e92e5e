// Ctrl-C (SIGINT) or SIGTERM (a Slurm time limit, `timeout`, systemd, `kill`) during
// `lessons grade`: one line on stderr says how far grading got, where the report is (or why
// there is none) and what to do next, then the grader dies of that signal as it always did
// (status 130 or 143 in a shell), so a script, a shell loop or the scheduler sees the same end.
//
// The handler only sets a flag and wakes a thread through a pipe, passing the signal's number
// (all a signal handler may do); that thread waits for any report being written, says the
// line and raises the signal again with its default action. A second signal of either kind
// ends the grader at once.

import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// The signals that stop a grade with a line, each said its own way.
private let gradeStopSignals: [(number: Int32, signal: GradeStop.Signal)] = [(SIGINT, .interrupt), (SIGTERM, .terminate)]

/// The number of the first stopping signal, 0 before: no partial report is begun after it.
nonisolated(unsafe) private var gradeStopping: sig_atomic_t = 0
/// The pipe's write end, which wakes the thread that says the last line.
nonisolated(unsafe) private var gradeStopWake: Int32 = -1

private let gradeStopHandler: @convention(c) (Int32) -> Void = { number in
    if gradeStopping != 0 {
        signal(number, SIG_DFL)
        raise(number)
        return
    }
    gradeStopping = number
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(gradeStopWake, &byte, 1)
}

final class GradeInterruption: @unchecked Sendable {
    private let lock = NSLock()
    private var stop: GradeStop
    private let language: String
    private let progress: ProgressBar?

    /// `output` takes partial reports when `partialReports`; the progress bar, if any, is
    /// cleared before the line.
    init(output: String?, partialReports: Bool, cached: Bool, language: String, progress: ProgressBar?) {
        stop = GradeStop(stage: .starting, destination: partialReports ? .partialFile(output ?? "", partial: nil) : .wholeOnly(output),
                         cached: cached)
        self.language = language
        self.progress = progress
    }

    /// From now on Ctrl-C and SIGTERM say their line. Once per process (the handler's state is
    /// global). A signal ignored when the grader started (SIGINT for `lessons grade … &` in a script)
    /// stays ignored: whoever started it chose that.
    func install() {
        let ignored = unsafeBitCast(SIG_IGN, to: Int.self)
        let caught = gradeStopSignals.filter { stop in
            var current = sigaction()
            guard sigaction(stop.number, nil, &current) == 0 else { return false }
            if let handler = current.__sigaction_handler.sa_handler, unsafeBitCast(handler, to: Int.self) == ignored { return false }
            return true
        }
        guard !caught.isEmpty else { return }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        gradeStopWake = ends[1]
        let readEnd = ends[0]
        let thread = Thread { [self] in
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
            sayAndDie(Int32(byte))
        }
        thread.stackSize = 1 << 20
        thread.start()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = gradeStopHandler
        // Either signal waits while the handler runs on this thread, so the first one wins.
        sigemptyset(&action.sa_mask)
        for stop in caught { sigaddset(&action.sa_mask, stop.number) }
        action.sa_flags = SA_RESTART
        for stop in caught { sigaction(stop.number, &action, nil) }
    }

    /// A result came in (the progress bar is drawn under the same lock, so never after the line).
    func progressed(_ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        stop.stage = .grading(done: done, total: total)
        progress?.update(done, total)
    }

    /// Writes a partial report unless a stopping signal came; the line then says what the file holds.
    func writePartial(_ report: GradeReport, _ write: () throws -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard gradeStopping == 0, case .partialFile(let path, _) = stop.destination else { return }
        do {
            try write()
            stop.destination = .partialFile(path, partial: report.partial)
        } catch {
            // The file keeps the last partial report written, if any; the final write says why it failed.
        }
    }

    /// Writes the whole report; a stopping signal meanwhile waits for it, so its line is true.
    func writeWhole(total: Int, _ write: () throws -> Void) throws {
        lock.lock(); defer { lock.unlock() }
        progress?.finish()
        try write()
        stop.stage = .written(total: total)
        if case .partialFile(let path, _) = stop.destination { stop.destination = .wholeOnly(path) }
    }

    private func sayAndDie(_ number: Int32) -> Never {
        lock.lock()
        progress?.finish()
        var stop = self.stop
        stop.signal = gradeStopSignals.first { $0.number == number }?.signal ?? .interrupt
        FileHandleOutput.standardError.write("lessons: " + ReportRenderer.stopped(stop, language: language) + "\n")
        signal(number, SIG_DFL)
        raise(number)
        // The signal blocked by whoever started us: end as it would have.
        exit(128 + number)
    }
}
