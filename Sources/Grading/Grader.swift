// Grading a class: every student × every exercise through the same `Checker` as `check`, in
// worker processes (the `lessons` executable in worker mode, WorkerPool.swift), each pinned with
// its programs to one CPU. A crash while checking one submission costs that submission one
// retry, then an internal error; never the class. Results are cached so an interrupted run
// resumes where it stopped, and a partial report can be written as students finish.

import Foundation
import Notebook
import Sandbox
import Toolchain

package struct GradeOptions: Sendable {
    /// Parallel workers (default: the CPUs this process may run on).
    package var jobs: Int
    package var shard: Shard?
    /// Nil: no result cache (every submission checked afresh).
    package var cache: ResultCache?
    /// The folder is one submission (`DIR/<lesson>/<exercise>.c`), graded as student `id`.
    package var singleSubmission: String?
    /// Feedback language.
    package var language: String
    /// Called with (0, total) before the first result and (done, total) after each; for
    /// progress display, and for what an interrupted run says it got through.
    package var progress: (@Sendable (Int, Int) -> Void)?
    /// Pin workers to CPUs (worker slot modulo the CPUs allowed).
    package var pin: Bool
    /// The `lessons` executable the workers run (nil: `Grader.workerExecutable()`).
    package var workerExecutable: String?
    /// Added to the workers' environment (tests: `GradingWorker.crashHookVariable`).
    package var workerEnvironment: [String: String] = [:]
    /// Told each worker's pid as it starts (tests check that none outlives the grading).
    package var workerStarted: (@Sendable (Int32) -> Void)?
    /// Given the report of the students finished so far as results arrive (at most about once
    /// a second, and never slower than grading), to be written where the final one will go.
    package var partialReport: (@Sendable (SpooledReport) -> Void)?
    /// Least seconds between partial reports (tests: 0, one per finished student).
    package var partialInterval: Double = 1
    /// Seconds a worker may spend on one submission before it is killed as hung (nil: from the
    /// exercise's own limits, ClassProgress.allowedSeconds; a stuck tool is the only way there).
    package var taskSecondsLimit: Double?
    /// `--deadline` and `--late-penalty` (LatePolicy.swift); nil: no lateness recorded.
    package var late: LatePolicy?

    package init(jobs: Int = Grader.availableCPUs().count, shard: Shard? = nil, cache: ResultCache? = nil,
                singleSubmission: String? = nil, language: String = "en", progress: (@Sendable (Int, Int) -> Void)? = nil,
                pin: Bool = true) {
        self.jobs = jobs
        self.shard = shard
        self.cache = cache
        self.singleSubmission = singleSubmission
        self.language = language
        self.progress = progress
        self.pin = pin
    }
}

package enum Grader {
    /// Grades `directory` against `exercises` (in the order given). Throws for what stops the
    /// whole run (an unreadable folder, a broken lesson, workers that cannot start); every
    /// submission's fate is a result.
    package static func grade(directory: String, exercises: [Exercise], tool: String, options: GradeOptions) throws -> GradeReport {
        try gradeSpooled(directory: directory, exercises: exercises, tool: tool, options: options).whole
    }

    /// `grade`, with the results' bulky parts left on disk until the report is rendered (what
    /// `lessons grade` does, so that its memory does not grow with the class).
    package static func gradeSpooled(directory: String, exercises: [Exercise], tool: String, options: GradeOptions) throws -> SpooledReport {
        // A broken lesson stops everything before any student is judged by it.
        for exercise in exercises {
            for language in exercise.languages {
                for exerciseCase in CaseRunner.cases(of: exercise) {
                    _ = try Checker.parsedExpectations(of: exercise, caseName: exerciseCase.name, language: language)
                    try Checker.checkedInjections(of: exerciseCase)
                }
            }
        }
        let folders: [StudentFolder]
        if let id = options.singleSubmission {
            folders = [ClassFolder.read(student: id, root: directory, exercises: exercises, followRoot: true)]
        } else {
            var ids = try ClassFolder.studentIDs(in: directory)
            if let shard = options.shard { ids = shard.select(ids) }
            folders = ids.map { ClassFolder.read(student: $0, root: directory + "/" + $0, exercises: exercises) }
        }
        let info = exercises.map { GradeReport.ExerciseInfo(id: $0.fullID, maxScore: $0.points) }
        let shard = options.shard.map { GradeReport.ShardInfo(index: $0.index, count: $0.count) }

        let roots = options.singleSubmission != nil ? [directory] : folders.map { directory + "/" + $0.id }
        let state = ClassProgress(folders: folders, roots: roots, exercises: exercises, options: options, tool: tool, info: info, shard: shard)
        options.progress?(0, state.taskCount)
        let executable = try options.workerExecutable ?? workerExecutable()
        let cpus = availableCPUs()
        var environment = ProcessInfo.processInfo.environment.merging(options.workerEnvironment) { $1 }
        // A crashing worker should not spend seconds symbolicating its backtrace.
        if environment["SWIFT_BACKTRACE"] == nil { environment["SWIFT_BACKTRACE"] = "enable=no" }
        let pool = WorkerPool(executable: executable, slots: max(1, min(options.jobs, max(state.taskCount, 1))),
                              environment: environment, started: options.workerStarted) { slot, scratch in
            WorkerMessage.Start(version: WorkerFrame.version, exercises: exercises, language: options.language,
                        pinCPU: options.pin && !cpus.isEmpty ? cpus[slot % cpus.count] : nil, scratch: scratch)
        }
        try pool.run(next: { state.nextJob() }, finished: { job, outcome in state.finish(job, outcome) },
                     meanwhile: { state.writeDuePartialReport() })
        var report = state.report()
        // What this machine's sandbox lacks, once for the whole class (the workers run on it too).
        let sandbox = Sandbox.environmentNotes
        report.summary.sandbox = sandbox.isEmpty ? nil : sandbox
        return report
    }

    /// The `lessons` executable for grading workers: the running executable when it is
    /// `lessons`, else a `lessons` beside it (a test bundle in the build folder).
    package static func workerExecutable() throws -> String {
        var running = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        if running.hasSuffix(" (deleted)") { running.removeLast(" (deleted)".count) }
        if (running as NSString).lastPathComponent == "lessons" { return running }
        var directory = (running as NSString).deletingLastPathComponent
        if let bundle = directory.range(of: ".xctest") {  // a macOS-style bundle: its folder's folder
            directory = (String(directory[..<bundle.lowerBound]) as NSString).deletingLastPathComponent
        }
        let beside = directory + "/lessons"
        guard FileManager.default.isExecutableFile(atPath: beside) else {
            throw WorkerError("cannot find the lessons executable to run grading workers: \(running) is not lessons and \(beside) does not exist; build it (swift build) or pass its path")
        }
        return beside
    }

    /// The CPUs this process may run on (its affinity list, `Cpus_allowed_list` in
    /// /proc/self/status), ascending.
    package static func availableCPUs() -> [Int] {
        let fallback = Array(0..<max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed_list:") }) else { return fallback }
        var cpus: [Int] = []
        for part in line.dropFirst("Cpus_allowed_list:".count).trimmingCharacters(in: .whitespaces).split(separator: ",") {
            let bounds = part.split(separator: "-").compactMap { Int($0) }
            if bounds.count == 1 { cpus.append(bounds[0]) }
            if bounds.count == 2, bounds[0] <= bounds[1] { cpus += Array(bounds[0]...bounds[1]) }
        }
        return cpus.isEmpty ? fallback : cpus
    }
}

/// A counter shared by the workers.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// Adds one and returns the new value.
    func increment() -> Int {
        lock.lock(); defer { lock.unlock() }
        value += 1
        return value
    }
}

/// One slot per task, filled by whichever worker ran it.
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [ExerciseResult?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ result: ExerciseResult) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
    }
    func values() -> [ExerciseResult?] {
        lock.lock(); defer { lock.unlock() }
        return slots
    }
}
