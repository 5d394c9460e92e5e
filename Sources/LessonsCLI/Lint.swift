// `lessons lint [LESSONS_DIR]`: checks a lesson pack the way its learners will meet it —
// every lesson parses, ids are unique, expectations parse, every starter compiles and fails
// its checks, every reference solution in Solutions/ passes. One `file:line:column: message`
// per problem; exit 0 clean, 1 problems found, 2 usage error.

import ArgumentParser
import Grading

extension Lessons {
    public struct Lint: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check a lesson pack: lessons parse, ids unique, starters fail, solutions pass.",
            discussion: "Solutions are read from Solutions/<lesson>/<exercise>.{c,swift} inside or beside the pack's folder."
        )

        @OptionGroup public var global: GlobalOptions

        @Argument(help: ArgumentHelp("The lesson folder (default: --lessons, $LESSONS_PATH, or the bundled Lessons/).", valueName: "LESSONS_DIR"))
        public var directory: String?

        @Option(name: .long, help: ArgumentHelp("Parallel jobs (default: the number of CPUs).", valueName: "N"))
        public var jobs: Int?

        public init() {}

        public func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        }

        public func run() throws {
            guard let folder = directory ?? global.lessons ?? LoadedPack.defaultDirectory() else {
                throw LessonsFailure.usage("no lesson pack found; pass LESSONS_DIR, --lessons DIR or set LESSONS_PATH")
            }
            guard ClassFolderProbe.isDirectory(folder) else {
                throw LessonsFailure.usage("\(folder): no such lesson folder")
            }
            let summary = LessonLinter.lint(directory: folder, options: Grading.CheckOptions(language: GradingCommandSupport.feedbackLanguage(global)),
                                            jobs: jobs ?? Grader.availableCPUs().count)
            if summary.solutionsDirectory == nil {
                FileHandleOutput.standardError.write("lint: no Solutions/ folder inside or beside \(folder); solutions not checked\n")
            }
            for problem in summary.problems {
                FileHandleOutput.standardOutput.write("\(problem)\n")
            }
            let verdict = summary.problems.isEmpty ? "ok" : "\(summary.problems.count) problem\(summary.problems.count == 1 ? "" : "s")"
            FileHandleOutput.standardError.write("lint: \(summary.lessons) lessons, \(summary.exercises) exercises, \(summary.startersChecked) starters, \(summary.solutionsChecked) solutions checked: \(verdict)\n")
            if !summary.problems.isEmpty { throw LessonsFailure.notPassed }
        }
    }
}
