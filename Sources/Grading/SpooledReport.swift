// A class's report as grading holds it: each result without its bulky parts (traces, output,
// memory pictures, explanations, diagnostics), which wait in a file on disk until a report is
// rendered, one student at a time. What grading keeps in memory is then what scores, totals,
// internal errors, similar submissions and lateness need, so the grader's memory stays flat
// however large the class; the rendered report is the same byte for byte.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The bulky parts of one result: everything a report shows of it that no score, total or
/// status needs. `ExerciseResult.splitDetails()` takes them out, `joined(_:)` puts them back.
struct ResultDetails: Codable, Equatable {
    struct Case: Codable, Equatable {
        var explanation: String
        var feedback: String
        var failures: [CaseFailure]
        var trace: [String]
        var stdout: String
        var stderr: String
        var notes: [String]
        var memory: [String]
    }

    var feedback: String
    var diagnostics: String
    var cases: [Case]

    var isEmpty: Bool {
        feedback.isEmpty && diagnostics.isEmpty && cases.allSatisfy {
            $0.explanation.isEmpty && $0.feedback.isEmpty && $0.failures.isEmpty && $0.trace.isEmpty && $0.stdout.isEmpty
                && $0.stderr.isEmpty && $0.notes.isEmpty && $0.memory.isEmpty
        }
    }
}

extension ExerciseResult {
    /// The result without its bulky parts, and those parts. The summary keeps the status, the
    /// points, the notes, the timing, the file notes, lateness, the fingerprint and each case's
    /// name, status, points and hiddenness.
    func splitDetails() -> (summary: ExerciseResult, details: ResultDetails) {
        var summary = self
        summary.feedback = ""
        summary.diagnostics = ""
        let cases = self.cases.map { item in
            ResultDetails.Case(explanation: item.explanation, feedback: item.feedback, failures: item.failures, trace: item.trace,
                               stdout: item.stdout, stderr: item.stderr, notes: item.notes, memory: item.memory)
        }
        summary.cases = self.cases.map { item in
            var bare = CaseResult(name: item.name, status: item.status, hidden: item.hidden, score: item.score, maxScore: item.maxScore)
            bare.run = item.run
            return bare
        }
        return (summary, ResultDetails(feedback: feedback, diagnostics: diagnostics, cases: cases))
    }

    /// The summary with its bulky parts back (a summary's own fields, such as lateness added
    /// after the split, are kept).
    func joined(_ details: ResultDetails) -> ExerciseResult {
        var whole = self
        whole.feedback = details.feedback
        whole.diagnostics = details.diagnostics
        for (index, item) in details.cases.enumerated() where whole.cases.indices.contains(index) {
            whole.cases[index].explanation = item.explanation
            whole.cases[index].feedback = item.feedback
            whole.cases[index].failures = item.failures
            whole.cases[index].trace = item.trace
            whole.cases[index].stdout = item.stdout
            whole.cases[index].stderr = item.stderr
            whole.cases[index].notes = item.notes
            whole.cases[index].memory = item.memory
        }
        return whole
    }
}

/// Results' bulky parts in an unlinked temporary file: appended once as each result arrives,
/// read back when a report is rendered. Without a file (none could be made) they stay in memory.
final class ResultSpool: @unchecked Sendable {
    /// Where one result's details are.
    struct Slot: Sendable, Equatable {
        var offset: Int64
        var length: Int
    }

    private let lock = NSLock()
    private var fd: Int32
    private var end: Int64 = 0
    /// The details kept in memory when there is no file, by slot offset.
    private var kept: [Int64: ResultDetails] = [:]
    private let encoder = JSONEncoder()
    private let decoder = JSONDecoder()

    /// A spool in `$TMPDIR`, else /var/tmp, else /tmp: /var/tmp first because /tmp is often a
    /// tmpfs, whose files take memory.
    init() {
        let chosen = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 }
        var descriptor: Int32 = -1
        for folder in [chosen, "/var/tmp", "/tmp"].compactMap({ $0 }) {
            var template = Array("\(folder)/lessons-results-XXXXXX".utf8CString)
            descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            if descriptor >= 0 {
                // Unnamed at once: nothing is left behind however the grader ends.
                template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
                _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
                break
            }
        }
        fd = descriptor
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Whether details go to a file (false: they are kept in memory).
    var onDisk: Bool {
        lock.lock(); defer { lock.unlock() }
        return fd >= 0
    }

    func append(_ details: ResultDetails) -> Slot {
        lock.lock(); defer { lock.unlock() }
        let slot = Slot(offset: end, length: 0)
        guard fd >= 0, let data = try? encoder.encode(details) else {
            kept[slot.offset] = details
            end += 1
            return slot
        }
        var written = 0
        let failed = data.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let count = pwrite(fd, buffer.baseAddress! + written, buffer.count - written, off_t(end) + off_t(written))
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return true }
                written += count
            }
            return false
        }
        if failed {
            // A full disk: this and every later result's details stay in memory.
            close(fd)
            fd = -1
            kept[slot.offset] = details
            end += 1
            return slot
        }
        end += Int64(data.count)
        return Slot(offset: slot.offset, length: data.count)
    }

    func details(_ slot: Slot) -> ResultDetails? {
        lock.lock(); defer { lock.unlock() }
        if slot.length == 0 { return kept[slot.offset] }
        var data = Data(count: slot.length)
        var read = 0
        let failed = data.withUnsafeMutableBytes { buffer -> Bool in
            while read < buffer.count {
                let count = pread(fd, buffer.baseAddress! + read, buffer.count - read, off_t(slot.offset) + off_t(read))
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return true }
                read += count
            }
            return false
        }
        return failed ? nil : try? decoder.decode(ResultDetails.self, from: data)
    }
}

/// A report whose results' bulky parts may wait on disk (`ResultSpool`): `summary` has every
/// student with each result's summary; `student(_:)` gives one student whole. Report formats
/// render from it one student at a time. A report in memory (merged, decoded) is one too.
package struct SpooledReport: Sendable {
    /// Every student, each result without its bulky parts when they are spooled; the totals,
    /// internal errors and similar submissions are the whole report's.
    package var summary: GradeReport
    private let spool: ResultSpool?
    /// Per student id, per exercise: where the result's details are (nil: it has none).
    private let slots: [String: [ResultSpool.Slot?]]

    /// A report held whole in memory.
    package init(_ report: GradeReport) {
        summary = report
        spool = nil
        slots = [:]
    }

    init(summary: GradeReport, spool: ResultSpool, slots: [String: [ResultSpool.Slot?]]) {
        self.summary = summary
        self.spool = spool
        self.slots = slots
    }

    /// Student `index` of `summary.students`, whole.
    package func student(_ index: Int) -> GradeReport.Student {
        var student = summary.students[index]
        guard let spool, let places = slots[student.id] else { return student }
        for (slot, place) in zip(student.exercises.indices, places) {
            guard let place else { continue }
            guard let details = spool.details(place) else {
                // Never a silently thinner report: the instructor learns this result lost its details.
                student.exercises[slot].notes.append(SpooledReport.unreadableDetailsNote)
                continue
            }
            student.exercises[slot] = student.exercises[slot].joined(details)
        }
        return student
    }

    /// Said of a result whose bulky parts could not be read back from the spool file.
    static let unreadableDetailsNote = "its traces, output and feedback could not be read back from the grader's spool file (in $TMPDIR, else /var/tmp); grade again"

    /// Every student, whole, one at a time.
    package var students: LazyMapSequence<Range<Int>, GradeReport.Student> {
        summary.students.indices.lazy.map { student($0) }
    }

    /// The whole report in memory (for callers that want the value; reports render without it).
    package var whole: GradeReport {
        var report = summary
        report.students = Array(students)
        return report
    }
}
