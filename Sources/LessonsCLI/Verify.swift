// `lessons verify [LESSON]`, for learners: runs each lesson's example cells here and says,
// fact by fact, which of what the lessons state holds on this machine (LessonVerifier.swift).

import ArgumentParser
import Grading
import Notebook

extension Lessons {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Which facts of the lessons hold on this machine: runs each example and checks what the lesson says about it.",
            discussion: "Exit 0 when every fact holds here, 1 when some do not (a lesson recorded on another C library or kernel says so), 2 for usage errors."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The lesson id (default: every lesson).", valueName: "LESSON"))
        var lesson: String?

        @Option(name: .long, help: ArgumentHelp("Parallel jobs (default: the number of CPUs).", valueName: "N"))
        var jobs: Int?

        @Flag(help: "ASCII only.") var plain = false

        init() {}

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        }

        func run() throws {
            let pack = try GradingCommandSupport.loadPack(global)
            GradingCommandSupport.printDiagnostics(pack.problems)
            let chosen = try GradingCommandSupport.lessons(lesson, in: pack)
            let language = GradingCommandSupport.feedbackLanguage(global)
            let checks = LessonVerifier.verify(chosen, jobs: jobs ?? Grader.availableCPUs().count, language: language)
            let unicode = !plain && Console.forTerminal(plain: plain).unicode
            FileHandleOutput.standardOutput.write(LessonVerifier.render(checks, language: language, unicode: unicode))
            if checks.contains(where: { $0.held < $0.total }) { throw LessonsFailure.notPassed }
        }
    }
}
