// A lesson pack as the grading commands see it: its exercises and, located, whatever is wrong
// with its files. A thin layer over `Notebook.LessonPack`.

import Notebook

package struct LoadedPack: Sendable {
    package var directory: String
    package var lessons: [Lesson]
    /// `file:line:column: message` problems of the pack's files.
    package var problems: [LintProblem]

    /// Only lesson `lesson` was parsed (`LessonPack.load(directory:lesson:)`): its own problems
    /// are all there, the other files' are not.
    package var partial = false

    package static func load(directory: String) -> LoadedPack {
        let (pack, diagnostics) = LessonPack.load(directory: directory)
        return LoadedPack(directory: directory, lessons: pack.lessons,
                          problems: diagnostics.map { LintProblem(location: $0.location, message: $0.message) })
    }

    /// The pack with lesson `lesson` (the only one parsed when its file is plainly found).
    package static func load(directory: String, lesson: String) -> LoadedPack {
        let (pack, diagnostics, partial) = LessonPack.load(directory: directory, lesson: lesson)
        return LoadedPack(directory: directory, lessons: pack.lessons,
                          problems: diagnostics.map { LintProblem(location: $0.location, message: $0.message) }, partial: partial)
    }

    /// The pack used when no `--lessons` is given: `$LESSONS_PATH`, then the bundled `Lessons/`.
    package static func defaultDirectory() -> String? { LessonPack.defaultDirectory() }

    package var exercises: [Exercise] { lessons.flatMap(\.exercises) }

    package func exercise(_ fullID: String) -> Exercise? { exercises.first { $0.fullID == fullID } }
}
