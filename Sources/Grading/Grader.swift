// Grading a class: every student × every exercise through the same `Checker` as `check`,
// on a bounded pool of workers, each pinned with its programs to one CPU, with results
// cached so an interrupted run resumes where it stopped.

import Foundation
import Notebook
import Sandbox

public struct GradeOptions: Sendable {
    /// Parallel workers (default: the CPUs this process may run on).
    public var jobs: Int
    public var shard: Shard?
    /// Nil: no result cache (every submission checked afresh).
    public var cache: ResultCache?
    /// The folder is one submission (`DIR/<lesson>/<exercise>.c`), graded as student `id`.
    public var singleSubmission: String?
    /// Feedback language.
    public var language: String
    /// Called after each result (done, total); for progress display.
    public var progress: (@Sendable (Int, Int) -> Void)?
    /// Pin workers to CPUs (job index modulo the CPUs allowed).
    public var pin: Bool
    /// `--deadline` and `--late-penalty` (LatePolicy.swift); nil: no lateness recorded.
    public var late: LatePolicy?

    public init(jobs: Int = Grader.availableCPUs().count, shard: Shard? = nil, cache: ResultCache? = nil,
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

public enum Grader {
    /// Grades `directory` against `exercises` (in the order given). Throws for what stops the
    /// whole run (an unreadable folder, a broken lesson); every submission's fate is a result.
    public static func grade(directory: String, exercises: [Exercise], tool: String, options: GradeOptions) throws -> GradeReport {
        // A broken lesson stops everything before any student is judged by it.
        for exercise in exercises {
            for language in exercise.languages {
                for exerciseCase in Checker.cases(of: exercise) {
                    _ = try Checker.parsedExpectations(of: exercise, caseName: exerciseCase.name, language: language)
                }
            }
        }
        let folders: [StudentFolder]
        if let id = options.singleSubmission {
            folders = [ClassFolder.read(student: id, root: directory, exercises: exercises)]
        } else {
            var ids = try ClassFolder.studentIDs(in: directory)
            if let shard = options.shard { ids = shard.select(ids) }
            folders = ids.map { ClassFolder.read(student: $0, root: directory + "/" + $0, exercises: exercises) }
        }

        // The feedback language is part of a result, so part of its key.
        let hashes = exercises.map { ResultCache.definitionHash($0) + "/" + options.language }
        let tasks = folders.indices.flatMap { student in exercises.indices.map { (student: student, exercise: $0) } }
        let results = ResultSlots(count: tasks.count)
        let next = Counter()
        let done = Counter()
        let cpus = availableCPUs()
        let jobs = max(1, min(options.jobs, max(tasks.count, 1)))

        let work: @Sendable (Int) -> Void = { worker in
            let pinCPU = options.pin && !cpus.isEmpty ? cpus[worker % cpus.count] : nil
            let checker = Checker(options: CheckOptions(pinCPU: pinCPU, language: options.language))
            while true {
                let index = next.increment() - 1
                guard index < tasks.count else { return }
                let task = tasks[index]
                let result = gradeOne(folder: folders[task.student], exercise: exercises[task.exercise],
                                      definitionHash: hashes[task.exercise], checker: checker, cache: options.cache)
                results.set(index, result)
                options.progress?(done.increment(), tasks.count)
            }
        }
        if jobs == 1 {
            work(0)
        } else {
            let group = DispatchGroup()
            for worker in 0..<jobs {
                group.enter()
                let thread = Thread { work(worker); group.leave() }
                thread.stackSize = 8 << 20
                thread.start()
            }
            group.wait()
        }

        let all = results.values()
        var students = folders.enumerated().map { offset, folder in
            GradeReport.Student(id: folder.id, score: 0, maxScore: 0,
                                exercises: exercises.indices.map { all[offset * exercises.count + $0]! },
                                notes: folder.notes, files: folder.ignored)
        }
        let roots = options.singleSubmission != nil ? [directory] : folders.map { directory + "/" + $0.id }
        options.late?.apply(to: &students, folders: folders, roots: roots)  // never cached: it depends on the deadline
        Similarity.stamp(&students, folders: folders, exercises: exercises)
        let info = exercises.map { GradeReport.ExerciseInfo(id: $0.fullID, maxScore: $0.points) }
        return GradeReport(tool: tool, exercises: info, students: students,
                           shard: options.shard.map { GradeReport.ShardInfo(index: $0.index, count: $0.count) })
    }

    static func gradeOne(folder: StudentFolder, exercise: Exercise, definitionHash: String, checker: Checker,
                         cache: ResultCache?) -> ExerciseResult {
        guard let file = folder.files[exercise.fullID] else {
            var result = ExerciseResult(exercise: exercise.fullID, status: .missing, score: 0, maxScore: exercise.points)
            let expected = exercise.languages.map { "\(exercise.lessonID)/\(exercise.id).\($0.fileExtension)" }.joined(separator: " or ")
            result.feedback = folder.missingNotes[exercise.fullID]?.english ?? "no \(expected) was handed in"
            if let note = folder.missingNotes[exercise.fullID] {
                result.notes = [note.english]
                result.fileNotes = [note]
            }
            return result
        }
        let bytes = FileManager.default.contents(atPath: file).map { [UInt8]($0) }
        let name = (file as NSString).lastPathComponent
        let key = bytes.flatMap { cache?.key(submission: $0, fileName: name, definitionHash: definitionHash) }
        if let key, let cached = cache?.load(key), cached.exercise == exercise.fullID {
            return cached
        }
        let result: ExerciseResult
        do {
            result = try checker.check(file: file, exercise: exercise)
        } catch let error as CheckError {
            var missing = ExerciseResult(exercise: exercise.fullID, status: .missing, score: 0, maxScore: exercise.points)
            missing.feedback = error.description
            missing.notes = [error.description]
            return missing
        } catch {
            return ExerciseResult(exercise: exercise.fullID, status: .internalError, score: 0, maxScore: exercise.points,
                                  feedback: Feedback.internalError, notes: ["\(error)"])
        }
        // An internal error is not the submission's verdict: the next run tries again.
        if let key, result.status != .internalError { cache?.store(result, key: key) }
        return result
    }

    /// The CPUs this process may run on (its affinity list, `Cpus_allowed_list` in
    /// /proc/self/status), ascending.
    public static func availableCPUs() -> [Int] {
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
