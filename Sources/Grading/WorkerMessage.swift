// What `lessons grade` and its worker processes (`lessons __grade-worker`, GradingWorker.swift)
// say to each other, one message per frame (WorkerFrame.swift). The grader sends `start` once
// (the exercises, the language, the worker's CPU), the worker answers `ready`, then each
// `task` (one submission's bytes against one exercise) gets one `result`. A worker that dies
// mid-task is the grader's to notice (WorkerPool.swift).

import Foundation
import Notebook

enum WorkerMessage: Codable, Sendable {
    case start(Start)
    case ready(Ready)
    case task(Task)
    case result(Result)

    struct Start: Codable, Sendable {
        var version: Int
        var exercises: [Exercise]
        var language: String
        /// The CPU this worker pins its tracer and the programs it runs to (nil: none).
        var pinCPU: Int?
        /// A folder of the worker's own (made by the grader, removed by it) for submissions' copies.
        var scratch: String
    }

    struct Ready: Codable, Sendable {
        var version: Int
        var pid: Int32
    }

    struct Task: Codable, Sendable {
        var id: Int
        /// Index into `Start.exercises`.
        var exercise: Int
        /// `EXERCISE.c` or `EXERCISE.swift`: the language comes from it.
        var fileName: String
        /// The submission's bytes, as the grader read them (and hashed them for the result cache).
        var source: Data
        var student: String
        /// 1, or 2 when the first attempt's worker died.
        var attempt: Int
    }

    struct Result: Codable, Sendable {
        var id: Int
        var result: ExerciseResult
    }
}
