// `lessons record [LESSON]`, for lesson authors: runs the example cells and writes what each
// really printed into its ```trace``` block, and where in the front matter (`recorded:`).
// Claims are the author's and stay as written; the ones that do not hold are listed.
// Exit 0 when every cell ran and every claim holds, 1 otherwise, 2 for usage errors.

import ArgumentParser
import Grading
import Notebook

extension Lessons {
    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Re-record the trace blocks of a lesson's example cells from real runs (for authors).",
            discussion: "Writes each cell's trace into the ```trace block after it and the machine into the front matter's 'recorded:' line. Nothing else in the file changes."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The lesson id (default: every lesson of the pack).", valueName: "LESSON"))
        var lesson: String?

        @Option(name: .long, help: ArgumentHelp("Parallel jobs (default: the number of CPUs).", valueName: "N"))
        var jobs: Int?

        init() {}

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        }

        func run() throws {
            let pack = try GradingCommandSupport.loadPack(global)
            if !pack.problems.isEmpty {
                GradingCommandSupport.printDiagnostics(pack.problems)
                throw LessonsFailure.usage("\(pack.directory): fix the lesson files' problems above before recording (lessons lint shows them)")
            }
            let chosen = try GradingCommandSupport.lessons(lesson, in: pack)
            let results: [RecordedLesson]
            do {
                results = try LessonRecorder.record(chosen, jobs: jobs ?? Grader.availableCPUs().count,
                                                    language: GradingCommandSupport.feedbackLanguage(global))
            } catch {
                throw LessonsFailure.internalError("\(error)")
            }
            var failed = false
            for result in results {
                for problem in result.problems { FileHandleOutput.standardOutput.write("\(problem)\n") }
                failed = failed || !result.problems.isEmpty
                FileHandleOutput.standardError.write("record: \(result.lessonID): \(result.tracesRecorded) trace block\(result.tracesRecorded == 1 ? "" : "s") recorded on \(result.platform)"
                    + " (\(result.tracesChanged) changed beyond addresses, random bytes and pids) → \(result.file)\n")
            }
            if failed { throw LessonsFailure.notPassed }
        }
    }
}

extension GradingCommandSupport {
    /// The lesson named `id`, or every lesson of the pack when `id` is nil.
    static func lessons(_ id: String?, in pack: LoadedPack) throws -> [Lesson] {
        guard let id else { return pack.lessons }
        guard let lesson = pack.lessons.first(where: { $0.id == id }) else {
            throw LessonsFailure.usage("no lesson '\(id)' in \(pack.directory); its lessons: \(pack.lessons.map(\.id).joined(separator: ", "))")
        }
        return [lesson]
    }
}
