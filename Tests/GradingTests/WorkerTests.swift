// Grading in worker processes: the frame protocol, a worker that crashes (the test-only hook
// makes one die of a Swift trap on a chosen submission) or hangs, workers that cannot start,
// and partial reports as students finish. The fixture class of EndToEndTests is the class.

import Foundation
import Notebook
import Testing
@testable import Grading

@Suite struct WorkerTests {
    @Test func framesSurviveBeingCutAnywhere() throws {
        let result = ExerciseResult(exercise: "l/e", status: .failed, score: 0, maxScore: 5, feedback: "ünïcode ✓\n\u{0}")
        let bytes = try WorkerFrame.encode(.result(WorkerMessage.Result(id: 7, result: result))) +
            WorkerFrame.encode(.ready(WorkerMessage.Ready(version: WorkerFrame.version, pid: 42)))
        for cut in [0, 1, 3, 4, 10, bytes.count / 2, bytes.count - 1, bytes.count] {
            var reader = WorkerFrame.Reader()
            var messages: [WorkerMessage] = []
            reader.append(bytes[0..<cut])
            while let message = try reader.next() { messages.append(message) }
            reader.append(bytes[cut...])
            while let message = try reader.next() { messages.append(message) }
            #expect(messages.count == 2)
            guard case .result(let decoded)? = messages.first else { Issue.record("not a result: \(messages)"); continue }
            #expect(decoded.id == 7 && decoded.result == result)
        }
        // A length beyond any real message is refused before anything is allocated for it.
        var reader = WorkerFrame.Reader()
        reader.append([0xff, 0xff, 0xff, 0xff, 0x7b][...])
        #expect(throws: WorkerError.self) { try reader.next() }
    }

    @Test func theWorkerExecutableIsLessonsBesideTheTestBundle() throws {
        let path = try Grader.workerExecutable()
        #expect((path as NSString).lastPathComponent == "lessons")
        #expect(FileManager.default.isExecutableFile(atPath: path))
    }

    @Test func aWorkerThatCrashesOnceIsRetriedAndLeavesNoTrace() throws {
        var options = GradeOptions(jobs: 2, cache: nil)
        options.workerEnvironment = [GradingWorker.crashHookVariable: "alice/fixture-memory/echo@1,bob/fixture-break/grow@1"]
        let workers = PidList()
        options.workerStarted = { workers.append($0) }
        let report = try Grader.grade(directory: GradedFixture.students, exercises: GradedFixture.pack.exercises,
                                      tool: "lessons-test", options: options)
        #expect(GradedFixture.statuses(report) == GradedFixture.expected)
        #expect(report.internalErrors.isEmpty)
        // Two crashes, two fresh workers.
        #expect(workers.values.count >= 3, "\(workers.values)")
        #expect(!workers.values.contains { kill($0, 0) == 0 }, "a worker outlived the grading")
    }

    @Test func aHungWorkerIsKilledAndItsTaskAloneIsAnInternalError() throws {
        // One exercise of short tasks (the slowest, carol's timeout, is not among them), so the
        // watchdog's limit can be short and still far above what any task needs.
        let echo = try #require(GradedFixture.pack.exercise("fixture-memory/echo"))
        var options = GradeOptions(jobs: 2, cache: nil)
        options.workerEnvironment = [GradingWorker.hangHookVariable: "dave/fixture-memory/echo"]
        options.taskSecondsLimit = 20
        let report = try Grader.grade(directory: GradedFixture.students, exercises: [echo], tool: "lessons-test", options: options)
        var expected = GradedFixture.expected.mapValues { $0["fixture-memory/echo"] }
        expected["dave"] = .internalError
        #expect(GradedFixture.statuses(report).mapValues { $0["fixture-memory/echo"] } == expected)
        let notes = report.internalErrors.first?.notes ?? []
        #expect(report.internalErrors.count == 1 && notes.count == 2, "\(report.internalErrors)")
        #expect(notes.allSatisfy { $0.contains("took longer than 20 s") }, "\(notes)")
        // Left out of dave's maximum, not scored against him.
        #expect(report.students.first { $0.id == "dave" }?.maxScore == 0)
    }

    @Test func workersThatCannotStartStopTheGradingWithOneLine() throws {
        var options = GradeOptions(jobs: 1, cache: nil)
        options.workerExecutable = "/bin/false"
        do {
            _ = try Grader.grade(directory: GradedFixture.students, exercises: GradedFixture.pack.exercises, tool: "t", options: options)
            Issue.record("graded with /bin/false as the worker")
        } catch let error as WorkerError {
            #expect(error.description.hasPrefix("the grading workers (/bin/false __grade-worker) die as they start: the worker exited with status 1"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
        options.workerExecutable = "/nonexistent/lessons"
        #expect(throws: WorkerError("cannot start the grading worker /nonexistent/lessons: No such file or directory; pass the path of the lessons executable")) {
            try Grader.grade(directory: GradedFixture.students, exercises: GradedFixture.pack.exercises, tool: "t", options: options)
        }
    }

    @Test func partialReportsComeAsStudentsFinish() throws {
        let partials = ReportList()
        var options = GradeOptions(jobs: 1, cache: nil)
        options.partialInterval = 0
        options.partialReport = { partials.append($0.whole) }
        let report = try Grader.grade(directory: GradedFixture.students, exercises: GradedFixture.pack.exercises,
                                      tool: "lessons-test", options: options)
        #expect(report.partial == nil)
        let classSize = GradedFixture.expected.count
        let all = partials.values
        #expect(!all.isEmpty)
        var graded = 0
        for partial in all {
            let progress = try #require(partial.partial)
            #expect(progress.students == classSize && progress.studentsGraded == partial.students.count)
            #expect(progress.studentsGraded > graded && progress.studentsGraded < classSize)
            graded = progress.studentsGraded
            // Each finished student is exactly as in the final report.
            for student in partial.students { #expect(report.students.contains(student)) }
            #expect(try ReportRenderer.decode(Data(ReportRenderer.json(partial).utf8)) == partial)
            #expect(ReportRenderer.text(partial).contains("partial report: \(progress.studentsGraded) of \(classSize) students graded so far"))
        }
    }
}

/// Reports told by the grader, from any thread.
final class ReportList: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [GradeReport] = []
    func append(_ report: GradeReport) { lock.lock(); reports.append(report); lock.unlock() }
    var values: [GradeReport] { lock.lock(); defer { lock.unlock() }; return reports }
}
