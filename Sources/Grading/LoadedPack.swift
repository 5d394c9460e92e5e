// A lesson pack as the grading commands see it: its exercises and, located, whatever is wrong
// with its files. A thin layer over `Notebook.LessonPack`.

import Notebook

public struct LoadedPack: Sendable {
    public var directory: String
    public var lessons: [Lesson]
    /// `file:line:column: message` problems of the pack's files.
    public var problems: [LintProblem]

    /// Only lesson `lesson` was parsed (`LessonPack.load(directory:lesson:)`): its own problems
    /// are all there, the other files' are not.
    public var partial = false

    public static func load(directory: String) -> LoadedPack {
        let (pack, diagnostics) = LessonPack.load(directory: directory)
        return LoadedPack(directory: directory, lessons: pack.lessons,
                          problems: diagnostics.map { LintProblem(location: $0.location, message: $0.message) })
    }

    /// The pack with lesson `lesson` (the only one parsed when its file is plainly found).
    public static func load(directory: String, lesson: String) -> LoadedPack {
        let (pack, diagnostics, partial) = LessonPack.load(directory: directory, lesson: lesson)
        return LoadedPack(directory: directory, lessons: pack.lessons,
                          problems: diagnostics.map { LintProblem(location: $0.location, message: $0.message) }, partial: partial)
    }

    /// The pack used when no `--lessons` is given: `$LESSONS_PATH`, then the bundled `Lessons/`.
    public static func defaultDirectory() -> String? { LessonPack.defaultDirectory() }

    public var exercises: [Exercise] { lessons.flatMap(\.exercises) }

    public func exercise(_ fullID: String) -> Exercise? { exercises.first { $0.fullID == fullID } }
}
