// The worker side of `lessons grade`: the `lessons` executable started as
// `lessons __grade-worker GRADER_PID` with a Unix socket on descriptor 3 (WorkerMessage.swift).
// It checks one submission at a time with the same `Checker` as `lessons check`, so a crash
// while compiling, tracing or matching one submission (a Swift trap is SIGILL) ends this
// process only: the grader sees the socket close, starts another worker and tries the task
// once more (WorkerPool.swift). A worker dies with its grader (PR_SET_PDEATHSIG), and its
// traced programs die with it (PTRACE_O_EXITKILL).

import CLessonsPtrace
import Foundation
import Notebook
import Toolchain
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

package enum GradingWorker {
    /// The hidden word after `lessons` that starts a worker (not a command a person types).
    package static let command = "__grade-worker"

    /// For tests only (off unless set in the grader's environment; a traced program cannot
    /// reach it: it runs with an environment of its own in the sandbox): a comma-separated list
    /// of `STUDENT/LESSON/EXERCISE`, each optionally `@N` for attempt N only. A worker given a
    /// matching task dies of a Swift arithmetic-overflow trap (SIGILL), as a decoder bug would.
    package static let crashHookVariable = "LESSONS_TEST_CRASH_WORKER"
    /// For tests only, like `crashHookVariable`: a worker given a matching task hangs (sleeps
    /// for ever), for the grader's watchdog to kill.
    package static let hangHookVariable = "LESSONS_TEST_HANG_WORKER"

    /// Serves the grader on descriptor 3 until it closes the socket. `arguments`: the words
    /// after the command (the grader's pid).
    package static func serve(arguments: [String]) -> Never {
        guard let grader = arguments.first.flatMap({ Int32($0) }), arguments.count == 1 else {
            fail("\(command) is started by 'lessons grade', not by hand", status: 2)
        }
        lessons_close_from(4)
        // The grader may be gone already: then there is nobody to work for.
        if lessons_die_with_parent(grader) != 0 { exit(0) }
        _ = fcntl(3, F_SETFD, FD_CLOEXEC)  // nothing the worker starts may hold the socket open
        do {
            guard case .start(let start)? = try WorkerFrame.receive(from: 3) else {
                fail("the grader did not start the worker", status: 2)
            }
            guard start.version == WorkerFrame.version else {
                fail("the grader speaks worker protocol \(start.version), this executable \(WorkerFrame.version): use the lessons executable the grader was built with", status: 2)
            }
            try WorkerFrame.send(WorkerFrame.encode(.ready(WorkerMessage.Ready(version: WorkerFrame.version, pid: getpid()))), to: 3)
            let checker = Checker(options: CheckOptions(pinCPU: start.pinCPU, language: start.language))
            let environment = ProcessInfo.processInfo.environment
            let hook = TestHook(crash: environment[crashHookVariable], hang: environment[hangHookVariable])
            while let message = try WorkerFrame.receive(from: 3) {
                guard case .task(let task) = message else { throw WorkerError("expected a task, got \(message)") }
                let result = check(task, start: start, checker: checker, hook: hook)
                try WorkerFrame.send(WorkerFrame.encode(.result(WorkerMessage.Result(id: task.id, result: result))), to: 3)
            }
            exit(0)
        } catch {
            fail("\(error)", status: 3)
        }
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        let line = "lessons \(command): \(message)\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        exit(status)
    }

    /// One task: the submission's bytes into the worker's scratch folder, then the checker.
    static func check(_ task: WorkerMessage.Task, start: WorkerMessage.Start, checker: Checker, hook: TestHook) -> ExerciseResult {
        guard start.exercises.indices.contains(task.exercise) else {
            return internalError(nil, "the grader asked for exercise #\(task.exercise) of \(start.exercises.count)")
        }
        let exercise = start.exercises[task.exercise]
        guard !task.fileName.contains("/"), !task.fileName.hasPrefix("."), Language(fileName: task.fileName) != nil else {
            return internalError(exercise, "the grader sent a file name that is not LESSON/EXERCISE.c or .swift: \(task.fileName)")
        }
        let path = start.scratch + "/" + task.fileName
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            return internalError(exercise, "cannot write the submission's copy \(path): \(String(cString: strerror(errno)))")
        }
        defer { unlink(path) }
        var failure: Int32 = 0
        task.source.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { failure = written < 0 ? errno : ENOSPC; return }
                offset += written
            }
        }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 {
            return internalError(exercise, "cannot write the submission's copy \(path): \(String(cString: strerror(failure)))")
        }
        hook.actIfAsked(student: task.student, exercise: exercise.fullID, attempt: task.attempt)
        do {
            return try checker.check(file: path, exercise: exercise)
        } catch let error as CheckError {
            var missing = ExerciseResult(exercise: exercise.fullID, status: .missing, score: 0, maxScore: exercise.points)
            missing.feedback = error.description
            missing.notes = [error.description]
            return missing
        } catch {
            return internalError(exercise, "\(error)")
        }
    }

    private static func internalError(_ exercise: Exercise?, _ note: String) -> ExerciseResult {
        ExerciseResult(exercise: exercise?.fullID ?? "?", status: .internalError, score: 0, maxScore: exercise?.points ?? 0,
                       feedback: Feedback.internalError, notes: [note])
    }

    /// The test-only hooks (`crashHookVariable`, `hangHookVariable`).
    struct TestHook {
        typealias Targets = [(task: String, attempt: Int?)]
        private var crash: Targets
        private var hang: Targets

        init(crash: String?, hang: String?) {
            self.crash = Self.parse(crash)
            self.hang = Self.parse(hang)
        }

        private static func parse(_ value: String?) -> Targets {
            (value ?? "").split(separator: ",").map { item in
                let parts = item.split(separator: "@", maxSplits: 1)
                return (String(parts[0]), parts.count == 2 ? Int(parts[1]) : nil)
            }
        }

        func actIfAsked(student: String, exercise: String, attempt: Int) {
            let task = student + "/" + exercise
            func matches(_ targets: Targets) -> Bool {
                targets.contains { $0.task == task && ($0.attempt == nil || $0.attempt == attempt) }
            }
            if matches(crash) {
                // A real overflow trap, not a call to fatalError: the crash a decoder bug gave.
                let operands = [Int.max, attempt]
                exit(Int32(truncatingIfNeeded: operands[0] + operands[1]))
            }
            if matches(hang) {
                while true { pause() }
            }
        }
    }
}
