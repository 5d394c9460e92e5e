// `lessons lint [LESSONS_DIR]`: checks a lesson pack the way its learners will meet it —
// every lesson parses, ids are unique, expectations parse, every starter compiles and fails
// its checks, every reference solution in Solutions/ passes, every example cell's trace block
// and claims hold against a real run, every number in prose is checked or marked. One
// `file:line:column: message` per problem; exit 0 clean, 1 problems found, 2 usage error.

import ArgumentParser
import Grading

extension Lessons {
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check a lesson pack: lessons parse, starters fail, solutions pass, traces and claims hold, facts are checked.",
            discussion: "Solutions are read from Solutions/<lesson>/<exercise>.{c,swift} inside or beside the pack's folder."
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The lesson folder (default: --lessons, $LESSONS_PATH, or the bundled Lessons/).", valueName: "LESSONS_DIR"))
        var directory: String?

        @Option(name: .long, help: ArgumentHelp("Parallel jobs (default: the number of CPUs).", valueName: "N"))
        var jobs: Int?

        @Flag(name: .long, help: "Also list the facts in prose that are marked as not machine-checked, with their reasons.")
        var unchecked = false

        init() {}

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        }

        func run() throws {
            guard let folder = directory ?? global.lessons ?? LoadedPack.defaultDirectory() else {
                throw LessonsFailure.usage("no lesson pack found; pass LESSONS_DIR, --lessons DIR or set LESSONS_PATH")
            }
            guard ClassFolderProbe.isDirectory(folder) else {
                throw LessonsFailure.usage(GradingCommandSupport.notAFolder(folder, missing: "no such lesson folder", then: "pass the folder of your lesson files"))
            }
            let summary = LessonLinter.lint(directory: folder, options: Grading.CheckOptions(language: GradingCommandSupport.feedbackLanguage(global)),
                                            jobs: jobs ?? Grader.availableCPUs().count)
            if summary.solutionsDirectory == nil {
                FileHandleOutput.standardError.write("lint: no Solutions/ folder inside or beside \(folder); solutions not checked\n")
            }
            for problem in summary.problems {
                FileHandleOutput.standardOutput.write("\(problem)\n")
            }
            let evidence = summary.evidence
            if unchecked {
                for fact in evidence.factsMarked {
                    guard case .marked(let reason) = fact.status else { continue }
                    FileHandleOutput.standardOutput.write("\(fact.location): not machine-checked (\(reason)): \(fact.unchecked.joined(separator: ", ")) in \"\(EvidenceLint.excerpt(fact.sentence))\"\n")
                }
            }
            for note in evidence.notes { FileHandleOutput.standardError.write("lint: \(note)\n") }
            for warning in evidence.warnings { FileHandleOutput.standardError.write("warning: \(warning)\n") }
            let verdict = summary.problems.isEmpty ? "ok" : "\(summary.problems.count) problem\(summary.problems.count == 1 ? "" : "s")"
            FileHandleOutput.standardError.write("lint: \(summary.lessons) lessons, \(summary.exercises) exercises, \(summary.startersChecked) starters, \(summary.solutionsChecked) solutions checked: \(verdict)\n")
            let marked = evidence.factsMarked.count
            let open = evidence.facts.count - evidence.factsChecked - marked
            FileHandleOutput.standardError.write("lint: \(evidence.cells) example cells run: \(evidence.tracesCompared) trace blocks compared, \(evidence.claimsChecked) claims checked"
                + (evidence.notCompared > 0 ? ", \(evidence.notCompared) recorded elsewhere and not compared" : "") + "\n")
            FileHandleOutput.standardError.write("lint: \(evidence.facts.count) numeric facts in prose: \(evidence.factsChecked) checked, \(marked) marked not machine-checked"
                + (open > 0 ? ", \(open) neither" + (evidence.warnings.count == open ? " (warnings above: their lessons have no 'recorded:' line yet)" : " (problems above)") : "") + (marked > 0 && !unchecked ? " ('lint --unchecked' lists them)" : "") + "\n")
            if !summary.problems.isEmpty { throw LessonsFailure.notPassed }
        }
    }
}
