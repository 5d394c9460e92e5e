// The grader's bookkeeping for one class: which student × exercise tasks remain, what needs a
// worker (a submission read, not in the result cache) and what does not (missing, cached,
// too large), the results as they arrive, and partial reports of the students finished so far.
// Each submission is read once, here: its bytes are what the worker checks, what the result
// cache is keyed by and what similar submissions are found from. Each result's bulky parts
// (traces, output, memory pictures) go to a spool on disk as it arrives (SpooledReport.swift):
// what stays in memory per submission is its summary, so memory does not grow with the class.

import Foundation
import Notebook
import Sandbox
import Toolchain
import Vocabulary

final class ClassProgress {
    let folders: [StudentFolder]
    /// Each student's folder as the instructor's path names it (lateness reads its Git history).
    let roots: [String]
    let exercises: [Exercise]
    let options: GradeOptions
    let tool: String
    let info: [GradeReport.ExerciseInfo]
    let shard: GradeReport.ShardInfo?
    /// Per exercise: its definition's hash and the feedback language (part of each result's cache key).
    private let hashes: [String]
    /// Per task: the result's summary, its bulky parts in `spool` at `slots[task]`.
    private var results: [ExerciseResult?]
    private var slots: [ResultSpool.Slot?]
    private let spool = ResultSpool()
    /// Per student: tasks without a result yet.
    private var remaining: [Int]
    private var cacheKeys: [Int: String] = [:]
    /// Per task: the fingerprints of the bytes read (Similarity.swift), for the report.
    private var fingerprints: [Int: SubmissionFingerprint] = [:]
    private var nextTask = 0
    private var done = 0
    private var lastPartial = monotonicSeconds()
    /// Seconds the last partial report took to make and write: they come at most every
    /// `partialSpacing` times that.
    private var partialCost = 0.0
    /// A partial report is made on the grader's one thread while the workers use the CPUs. At
    /// 400 students one took ~0.25 s (the finished students' results read back from the spool
    /// and written, the similarity search); spaced at ten times their cost, the partial
    /// reports took 4.6 s of a 57 s grading. At forty times, a quarter of that.
    static let partialSpacing = 40.0
    /// A student finished since the last partial report: one is due (`writeDuePartialReport`).
    private var partialDue = false

    var taskCount: Int { folders.count * exercises.count }

    init(folders: [StudentFolder], roots: [String], exercises: [Exercise], options: GradeOptions, tool: String,
         info: [GradeReport.ExerciseInfo], shard: GradeReport.ShardInfo?) {
        self.folders = folders
        self.roots = roots
        self.exercises = exercises
        self.options = options
        self.tool = tool
        self.info = info
        self.shard = shard
        hashes = exercises.map { ResultCache.definitionHash($0) + "/" + options.language }
        results = Array(repeating: nil, count: folders.count * exercises.count)
        slots = Array(repeating: nil, count: folders.count * exercises.count)
        remaining = Array(repeating: exercises.count, count: folders.count)
    }

    /// The next task that needs a worker, settling on the way every task that does not.
    /// Tasks go student by student, so that students finish (and reach partial reports) early.
    func nextJob() -> WorkerPool.Job? {
        while nextTask < taskCount {
            let index = nextTask
            nextTask += 1
            if let job = prepare(index) { return job }
        }
        return nil
    }

    /// The note of a file the listing saw as a plain file and the read refused: a link or a
    /// FIFO there now means it changed since; a file that cannot be read (its permissions) did not.
    static func refusedAtRead(_ note: SubmissionNote) -> String {
        note.kind == .unreadable ? note.english : note.english + " (it changed while the class was being graded)"
    }

    private func prepare(_ index: Int) -> WorkerPool.Job? {
        let folder = folders[index / exercises.count]
        let exercise = exercises[index % exercises.count]
        guard let relative = folder.submissions[exercise.fullID] else {
            var result = ExerciseResult(exercise: exercise.fullID, status: .missing, score: 0, maxScore: exercise.points)
            let expected = exercise.languages.map { "\(exercise.lessonID)/\(exercise.id).\($0.fileExtension)" }.joined(separator: " or ")
            result.feedback = folder.missingNotes[exercise.fullID]?.english ?? "no \(expected) was handed in"
            if let note = folder.missingNotes[exercise.fullID] {
                result.notes = [note.english]
                result.fileNotes = [note]
            }
            record(index, result)
            return nil
        }
        let limit = Toolchain.CompileLimits().sourceBytes
        let bytes: [UInt8]
        switch ClassFolder.read(folder, exercise: exercise.fullID, limit: limit) {
        case .bytes(let read):
            bytes = read
        case .tooLarge(let size):
            var result = ExerciseResult(exercise: exercise.fullID, status: .compileError, score: 0, maxScore: exercise.points)
            result.diagnostics = "\(relative): the file is \(size / 1024) KiB; a program may be at most \(limit / 1024) KiB"
            result.feedback = Feedback.compileError(diagnostics: result.diagnostics, words: Words(options.language))
            record(index, result)
            return nil
        case .refused(let note):
            var result = ExerciseResult(exercise: exercise.fullID, status: .missing, score: 0, maxScore: exercise.points)
            result.feedback = note.english
            result.notes = [Self.refusedAtRead(note)]
            result.fileNotes = [note]
            record(index, result)
            return nil
        }
        let name = (relative as NSString).lastPathComponent
        if let language = Language(fileName: name) {
            fingerprints[index] = Similarity.fingerprint(source: bytes, language: language, starter: exercise.starters[language])
        }
        if let cache = options.cache {
            let key = cache.key(submission: bytes, fileName: name, definitionHash: hashes[index % exercises.count])
            if let cached = cache.load(key), cached.exercise == exercise.fullID {
                record(index, cached)
                return nil
            }
            cacheKeys[index] = key
        }
        let task = WorkerMessage.Task(id: index, exercise: index % exercises.count, fileName: name, source: Data(bytes),
                              student: folder.id, attempt: 1)
        return WorkerPool.Job(task: task, allowedSeconds: options.taskSecondsLimit ?? Self.allowedSeconds(exercise))
    }

    /// How long a worker may take over `exercise` before it counts as hung: everything the
    /// exercise's own limits allow (the compile, each case run twice, the checker's one retry)
    /// with room to spare. Only a stuck tool gets near it.
    static func allowedSeconds(_ exercise: Exercise) -> Double {
        let run = CaseRunner.limits(for: exercise).wallSeconds
        let cases = Double(CaseRunner.cases(of: exercise).count)
        return 2 * (Toolchain.CompileLimits().wallSeconds + cases * 2 * (run + 5)) + 30
    }

    func finish(_ job: WorkerPool.Job, _ outcome: WorkerPool.Outcome) {
        let index = job.task.id
        let exercise = exercises[index % exercises.count]
        switch outcome {
        case .checked(let result):
            // An internal error is not the submission's verdict: the next run tries again.
            if result.status != .internalError, let key = cacheKeys[index] { options.cache?.store(result, key: key) }
            record(index, result)
        case .died(let deaths):
            var notes = ["the worker checking it died: \(deaths[0])"]
            if deaths.count > 1 { notes.append("retried once on a fresh worker, which died too: \(deaths[deaths.count - 1])") }
            record(index, ExerciseResult(exercise: exercise.fullID, status: .internalError, score: 0, maxScore: exercise.points,
                                         feedback: Words(options.language).internalError, notes: notes))
        }
        cacheKeys[index] = nil
    }

    private func record(_ index: Int, _ result: ExerciseResult) {
        guard results[index] == nil else { return }
        let (summary, details) = result.splitDetails()
        results[index] = summary
        if !details.isEmpty { slots[index] = spool.append(details) }
        done += 1
        options.progress?(done, taskCount)
        let student = index / exercises.count
        remaining[student] -= 1
        if remaining[student] == 0 { partialDue = true }
    }

    /// A partial report of the finished students, when a student finished since the last one and
    /// that one was not given very recently. The worker pool calls it once every worker has its
    /// next submission: written while they grade, not while they wait for one (at 400 students,
    /// writing each partial report held up both workers for its whole length, ~1/11 of the time).
    func writeDuePartialReport() {
        guard partialDue, let partialReport = options.partialReport, done < taskCount else { return }
        let now = monotonicSeconds()
        guard now - lastPartial >= max(options.partialInterval, Self.partialSpacing * partialCost) else { return }
        let finished = folders.indices.filter { remaining[$0] == 0 }
        var partial = report(finished)
        partial.summary.partial = GradeReport.Partial(studentsGraded: finished.count, students: folders.count)
        partialReport(partial)
        partialDue = false
        lastPartial = monotonicSeconds()
        partialCost = lastPartial - now
    }

    /// The report of the finished students (default: all), their results' bulky parts on disk.
    func report(_ which: [Int]? = nil) -> SpooledReport {
        let chosen = which ?? Array(folders.indices)
        let summary = GradeReport(tool: tool, exercises: info, students: students(chosen), shard: shard)
        var places: [String: [ResultSpool.Slot?]] = [:]
        for offset in chosen {
            places[folders[offset].id] = exercises.indices.map { slots[offset * exercises.count + $0] }
        }
        return SpooledReport(summary: summary, spool: spool, slots: places)
    }

    /// The summaries of the chosen students' results, with each handed-in file's fingerprints
    /// and lateness.
    private func students(_ chosen: [Int]) -> [GradeReport.Student] {
        var students = chosen.map { offset in
            let folder = folders[offset]
            let graded = exercises.indices.map { slot -> ExerciseResult in
                var result = self.results[offset * exercises.count + slot]!
                result.fingerprint = fingerprints[offset * exercises.count + slot]
                return result
            }
            return GradeReport.Student(id: folder.id, score: 0, maxScore: 0, exercises: graded,
                                       notes: folder.notes, files: folder.ignored)
        }
        // Never cached: it depends on the deadline.
        options.late?.apply(to: &students, folders: chosen.map { folders[$0] }, roots: chosen.map { roots[$0] })
        return students
    }
}
