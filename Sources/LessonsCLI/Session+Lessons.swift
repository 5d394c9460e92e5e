// Finding one's way through the lessons: list, next, show, hint, progress.

import Foundation
import Grading
import Notebook
import Vocabulary

extension Session {
    // MARK: list, next, show, hint, progress

    func list() throws {
        let pack = try pack()
        let workspace = try? workspace(create: false)
        let progress = workspace?.loadProgress(warn: { console.err($0) }) ?? Progress()
        let current = try workspace.flatMap { try currentExercise($0) }?.fullID
        var text = ""
        for lesson in pack.lessons {
            let solved = lesson.exercises.filter { progress.solved[$0.fullID] != nil }.count
            text += console.paint("\(lesson.title.text(textLanguage))", .bold) + console.paint("  \(lesson.id)  \(solved)/\(lesson.exercises.count)", .note) + "\n"
            for exercise in lesson.exercises {
                let mark: String
                if progress.solved[exercise.fullID] != nil {
                    mark = console.paint(console.mark("✓", "[x]"), .good)
                } else if exercise.fullID == current {
                    mark = console.paint(console.mark("▸", "[>]"), .accent)
                } else {
                    mark = console.mark("·", "[ ]")
                }
                text += "  \(mark) \(exercise.fullID)  \(exercise.title.text(textLanguage))\n"
            }
        }
        console.out(console.cut(text, seeAll: "lessons list | less"))
    }

    func next() throws {
        _ = try pack()  // a broken pack is reported before anything is created
        let workspace = try workspace(create: true)
        guard let exercise = try currentExercise(workspace) else {
            let total = try pack().lessons.flatMap(\.exercises).count
            console.out(console.paint("Every exercise is solved (\(total) of \(total)). Well done.", .good))
            return
        }
        try withProgress(workspace) { $0.current = exercise.fullID }
        try present(exercise, in: workspace)
    }

    func show(_ id: String?) throws {
        if let id {
            let exercise = try exercise(id)
            try present(exercise, in: try? workspace(create: false))
        } else {
            let workspace = try workspace(create: false)
            guard let exercise = try currentExercise(workspace) else {
                console.out("Every exercise is solved; 'show LESSON/EXERCISE' shows any of them.")
                return
            }
            try present(exercise, in: workspace)
        }
    }

    func present(_ exercise: Exercise, in workspace: Workspace?) throws {
        var text = console.paint("\(exercise.fullID) — \(exercise.title.text(textLanguage))", .bold) + "\n\n"
        text += console.prose(exercise.statement.text(textLanguage).trimmingCharacters(in: .whitespacesAndNewlines)) + "\n\n"
        let languages = exercise.languages.map(\.rawValue).joined(separator: ", ")
        let hints = exercise.hints.count
        text += console.paint(say("\(exercise.points) points · \(languages) · \(hints) hint\(hints == 1 ? "" : "s")",
                                  "\(exercise.points)점 · \(languages) · 힌트 \(hints)개"), .note) + "\n"
        if let notice = platformNotice(for: exercise, in: workspace) {
            text += console.paint(notice, .note) + "\n"
        }
        if let workspace {
            let (path, created) = try workspace.prepareFile(for: exercise)
            let progress = workspace.loadProgress(warn: { console.err($0) })
            if progress.solved[exercise.fullID] != nil { text += console.paint(say("Solved already.", "이미 풀었습니다."), .good) + "\n" }
            text += say("Edit: ", "편집: ") + relative(path) + (created ? say(" (starter copied in)", " (시작 코드를 복사했습니다)") : "") + "\n"
            text += say("Then: ", "그다음: ") + "check · run · hint · edit\n"
        }
        console.out(console.cut(text, seeAll: "show \(exercise.fullID) | less"))
    }

    /// For a failed check whose lesson teaches another C library than the one here (PlatformNotice).
    func libcNote(for exercise: Exercise, file: String) -> String? {
        guard let language = Language(fileName: file),
              let lesson = try? pack().lessons.first(where: { $0.id == exercise.lessonID }) else { return nil }
        return PlatformNotice.failedCheckNote(lesson: lesson, language: language, textLanguage: textLanguage)
    }

    /// A line of the tool's own text in the learner's language (lesson text has its own translations).
    func say(_ english: String, _ korean: String) -> String { textLanguage == "ko" ? korean : english }

    /// When the exercise's lesson was recorded on another machine than this one (another C
    /// library, kernel or processor): what differs, once per lesson and machine in a workspace.
    func platformNotice(for exercise: Exercise, in workspace: Workspace?) -> String? {
        guard let lesson = try? pack().lessons.first(where: { $0.id == exercise.lessonID }), lesson.recorded != nil else { return nil }
        let language = workspace?.settings.language ?? .c
        let here = PlatformProbe.current(for: language)
        guard let notice = PlatformNotice.text(for: lesson, here: [language: here], language: textLanguage) else { return nil }
        guard let workspace else { return notice }
        let shownBefore = (try? withProgress(workspace) { progress -> Bool in
            if progress.platformNotices[lesson.id] == here.description { return true }
            progress.platformNotices[lesson.id] = here.description
            return false
        }) ?? false
        return shownBefore ? nil : notice
    }

    func hint(_ id: String?) throws {
        let workspace = try? workspace(create: false)
        let exercise: Exercise
        if let id {
            exercise = try self.exercise(id)
        } else if let workspace, let current = try currentExercise(workspace) {
            exercise = current
        } else {
            throw LessonsFailure.usage("which exercise? 'hint LESSON/EXERCISE' (or 'next' first)")
        }
        guard !exercise.hints.isEmpty else {
            console.out("\(exercise.fullID) has no hints. Try 'run' to see what your program does.")
            return
        }
        var shown = 0
        if let workspace {
            shown = try withProgress(workspace) { progress in
                let next = min((progress.hintsShown[exercise.fullID] ?? 0) + 1, exercise.hints.count)
                progress.hintsShown[exercise.fullID] = next
                return next
            }
        } else {
            shown = 1
        }
        let index = shown - 1
        var text = console.paint(say("Hint \(shown) of \(exercise.hints.count) (\(exercise.fullID))",
                                     "힌트 \(shown)/\(exercise.hints.count) (\(exercise.fullID))"), .bold) + "\n"
        text += console.prose(exercise.hints[index].text(textLanguage).trimmingCharacters(in: .whitespacesAndNewlines)) + "\n"
        if shown == exercise.hints.count {
            text += console.paint(say("That was the last hint.", "마지막 힌트였습니다."), .note) + "\n"
        }
        console.out(text)
    }

    func showProgress() throws {
        let pack = try pack()
        let workspace = try workspace(create: false)
        let progress = workspace.loadProgress(warn: { console.err($0) })
        let exercises = pack.lessons.flatMap(\.exercises)
        let solved = exercises.filter { progress.solved[$0.fullID] != nil }
        let points = solved.reduce(0) { $0 + $1.points }
        let total = exercises.reduce(0) { $0 + $1.points }
        var text = console.paint("\(solved.count) of \(exercises.count) exercises solved · \(points)/\(total) points", .bold) + "\n"
        for lesson in pack.lessons {
            let done = lesson.exercises.filter { progress.solved[$0.fullID] != nil }.count
            let width = 20
            let filled = lesson.exercises.isEmpty ? 0 : done * width / lesson.exercises.count
            let bar = String(repeating: console.mark("█", "#"), count: filled) + String(repeating: console.mark("░", "."), count: width - filled)
            text += "  \(bar) \(done)/\(lesson.exercises.count)  \(lesson.id)\n"
        }
        let hints = progress.hintsShown.values.reduce(0, +)
        if hints > 0 { text += console.paint("\(hints) hint\(hints == 1 ? "" : "s") used", .note) + "\n" }
        if let current = try currentExercise(workspace) { text += "Next: \(current.fullID) ('next')\n" }
        console.out(text)
    }
}
