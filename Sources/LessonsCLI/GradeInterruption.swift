// Ctrl-C during `lessons grade`: one line on stderr says how far grading got, where the report
// is (or why there is none) and what to do next, then the grader dies of SIGINT as it always
// did (status 130 in a shell), so a script or a shell loop sees the same end.
//
// The handler only sets a flag and wakes a thread through a pipe (all a signal handler may
// do); that thread waits for any report being written, says the line and raises SIGINT again
// with its default action. A second Ctrl-C ends the grader at once.

import Foundation
import Grading
#if canImport(Glibc)
import Glibc
#endif

/// Nonzero once SIGINT came: no partial report is begun after it.
nonisolated(unsafe) private var gradeInterrupted: sig_atomic_t = 0
/// The pipe's write end, which wakes the thread that says the last line.
nonisolated(unsafe) private var gradeInterruptWake: Int32 = -1

private let gradeInterruptHandler: @convention(c) (Int32) -> Void = { _ in
    if gradeInterrupted != 0 {
        signal(SIGINT, SIG_DFL)
        raise(SIGINT)
        return
    }
    gradeInterrupted = 1
    var byte: UInt8 = 1
    _ = write(gradeInterruptWake, &byte, 1)
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

    /// From now on Ctrl-C says its line. Once per process (the handler's state is global).
    /// A grader started with SIGINT ignored (`lessons grade … &` in a script) keeps ignoring it.
    func install() {
        var current = sigaction()
        guard sigaction(SIGINT, nil, &current) == 0 else { return }
        let ignored = unsafeBitCast(SIG_IGN, to: Int.self)
        if let handler = current.__sigaction_handler.sa_handler, unsafeBitCast(handler, to: Int.self) == ignored { return }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        gradeInterruptWake = ends[1]
        let readEnd = ends[0]
        let thread = Thread { [self] in
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) < 0 && errno == EINTR {}
            sayAndDie()
        }
        thread.stackSize = 1 << 20
        thread.start()
        var action = sigaction()
        action.__sigaction_handler.sa_handler = gradeInterruptHandler
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
    }

    /// A result came in (the progress bar is drawn under the same lock, so never after the line).
    func progressed(_ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        stop.stage = .grading(done: done, total: total)
        progress?.update(done, total)
    }

    /// Writes a partial report unless Ctrl-C came; the line then says what the file holds.
    func writePartial(_ report: GradeReport, _ write: () throws -> Void) {
        lock.lock(); defer { lock.unlock() }
        guard gradeInterrupted == 0, case .partialFile(let path, _) = stop.destination else { return }
        do {
            try write()
            stop.destination = .partialFile(path, partial: report.partial)
        } catch {
            // The file keeps the last partial report written, if any; the final write says why it failed.
        }
    }

    /// Writes the whole report; Ctrl-C meanwhile waits for it, so its line is true.
    func writeWhole(total: Int, _ write: () throws -> Void) throws {
        lock.lock(); defer { lock.unlock() }
        progress?.finish()
        try write()
        stop.stage = .written(total: total)
        if case .partialFile(let path, _) = stop.destination { stop.destination = .wholeOnly(path) }
    }

    private func sayAndDie() -> Never {
        lock.lock()
        progress?.finish()
        FileHandleOutput.standardError.write("lessons: " + ReportRenderer.interrupted(stop, language: language) + "\n")
        signal(SIGINT, SIG_DFL)
        raise(SIGINT)
        // SIGINT blocked or ignored by whoever started us: end as it would have.
        exit(128 + SIGINT)
    }
}
