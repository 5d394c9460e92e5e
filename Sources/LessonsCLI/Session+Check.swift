// check: the learner's file against its exercise (Grading's Checker), the memory picture of a
// failing case, and the attempt recorded in the workspace.

import Foundation
import Grading
import MemoryPicture
import Notebook
import Sandbox
import Vocabulary

extension Session {
    // MARK: check

    /// Resolves a FILE argument (a path, or an exercise id) to a file and its exercise.
    func target(_ argument: String?) throws -> (file: String, exercise: Exercise) {
        if let argument {
            let path = argument.hasPrefix("/") ? argument : (workingDirectory as NSString).appendingPathComponent(argument)
            if FileManager.default.fileExists(atPath: path) {
                guard let id = Workspace.exerciseID(fromPath: path) else {
                    throw LessonsFailure.usage("\(argument): name the file LESSON/EXERCISE.c or LESSON/EXERCISE.swift so that its exercise is known")
                }
                guard let exercise = try pack().exercise(id) else {
                    throw LessonsFailure.usage("\(argument): no exercise \(id) in the lesson pack; 'list' shows the exercises")
                }
                return ((path as NSString).standardizingPath, exercise)
            }
            if Language(fileName: argument) != nil {
                throw LessonsFailure.usage("\(argument): no such file")
            }
            let exercise = try exercise(argument)
            let workspace = try workspace(create: false)
            return (try workspace.prepareFile(for: exercise).path, exercise)
        }
        let workspace = try workspace(create: false)
        guard let exercise = try currentExercise(workspace) else {
            throw LessonsFailure.usage("every exercise is solved; 'check FILE' checks any file")
        }
        return (try workspace.prepareFile(for: exercise).path, exercise)
    }

    /// Checks and records a pass. Returns the result.
    @discardableResult
    func check(_ argument: String?) throws -> ExerciseResult {
        // As in `lessons check`: the cgroup lock's wait overlaps finding the file and its exercise.
        Sandbox.prepare()
        let (file, exercise) = try target(argument)
        let result: ExerciseResult
        do {
            result = try Checker(options: CheckOptions(pinCPU: GradingCommandSupport.currentCPU(), language: textLanguage, keepRuns: true))
                .check(file: file, exercise: exercise, displayName: relative(file))
        } catch let error as CheckError {
            throw LessonsFailure.usage(error.description)
        } catch {
            throw LessonsFailure.internalError("checking \(relative(file)): \(error)")
        }
        console.out(console.cut(CheckText.render(result, file: relative(file), language: textLanguage, width: console.width.columns),
                                seeAll: "lessons check \(relative(file)) | less"))
        if result.status == .failed, let note = libcNote(for: exercise, file: file) {
            console.out(console.paint(note, .note))
        }
        if let failing = result.cases.first(where: { $0.status != .passed && $0.status != .compileError }),
           [.failed, .crashed].contains(result.status) {
            pictureOfCase(failing)
        }
        record(result.status, exercise: exercise, file: file)
        return result
    }

    /// The memory picture of one case, for a check that did not pass, drawn from the run
    /// the checker traced (`keepRuns`).
    func pictureOfCase(_ failing: CaseResult) {
        guard let run = failing.run else { return }
        let name = failing.name
        let picture = MemoryPicture.render(run, style: .init(plain: !console.unicode, color: console.color, maxRows: 8, tables: false))
        console.out(console.paint("Memory of case '\(name)' ('run --case \(name)' shows everything):", .note))
        console.out(console.cut(picture, seeAll: "run --case \(name) --all"))
    }

    /// Records an attempt (and a pass) in the workspace the file belongs to, if any.
    func record(_ status: Status, exercise: Exercise, file: String, announce: Bool = true) {
        guard let workspace = Workspace.find(from: (file as NSString).deletingLastPathComponent) else { return }
        _ = try? withProgress(workspace) { progress in
            progress.attempts[exercise.fullID, default: 0] += 1
            if status == .passed {
                let firstTime = progress.solved[exercise.fullID] == nil
                progress.solved[exercise.fullID] = Progress.Solved(at: Date(), language: Language(fileName: file) ?? workspace.settings.language)
                if progress.current == exercise.fullID { progress.current = nil }
                if firstTime && announce { console.out(console.paint("\(console.mark("✓", "OK")) \(exercise.fullID) solved. 'next' for the next exercise.", .good)) }
            }
        }
    }
}
