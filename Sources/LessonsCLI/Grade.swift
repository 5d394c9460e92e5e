// `lessons grade DIR`: an instructor grades a whole class, `DIR/<student>/<lesson>/<exercise>.c`,
// into one report (text, json, csv, junit, gradescope), resumably and shardably.
// `lessons grade merge REPORT…` joins shard reports into the unsharded report.
// One command, not subcommands: a class folder may well be called `class` or `merge`.

import ArgumentParser
import Foundation
import Grading
import Notebook

extension ReportFormat: ExpressibleByArgument {}

extension Lessons {
    struct Grade: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grade",
            abstract: "Grade a class (lessons grade DIR), or merge shard reports (lessons grade merge REPORT…).",
            usage: """
                lessons grade DIR [--jobs N] [--format F] [--output FILE] [--shard K/N] [--exercises IDS] [--single ID] …
                lessons grade merge REPORT… [--format F] [--output FILE] [--feedback-dir DIR] [--lang LANG]
                """,
            discussion: """
                DIR holds one folder per student: DIR/<student>/<lesson>/<exercise>.{c,swift}. A missing \
                file is 'missing'; other files are ignored with a note. Results are cached by submission, \
                exercise and tool version, so an interrupted run started again only redoes what is missing. \
                'merge' (when more words follow, or no folder is called merge) combines the JSON reports of \
                every shard into the report of an unsharded run. \
                Exit status 0 when the report was written and every result was checked, 2 for usage \
                errors (and a missing compiler), 3 when some results are internal errors (the report is \
                written; their count goes to stderr) or the report could not be written. See docs/grading.md.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("The class folder (one folder per student); or the word merge and the shard reports (from --format json).", valueName: "DIR | merge REPORT"))
        var words: [String] = []

        @Option(name: .long, help: ArgumentHelp("Parallel jobs (default: the number of CPUs).", valueName: "N"))
        var jobs: Int?

        @Option(name: .long, help: "Report format: text, json, csv, junit, gradescope, canvas or html (merge: default json).")
        var format: ReportFormat?

        @Option(name: .long, help: ArgumentHelp("Write the report here instead of standard output (a regular file is replaced atomically; a device or /dev/stdout is written to; its folder must exist); for gradescope with several students, a folder that gets <student>/results.json.", valueName: "FILE"))
        var output: String?

        @Option(name: .long, help: ArgumentHelp("Grade only shard K of N of the students (sorted ids, round-robin).", valueName: "K/N"))
        var shard: String?

        @Option(name: .customLong("feedback-dir"), help: ArgumentHelp("Also write one feedback file per student here (what a student may see).", valueName: "DIR"))
        var feedbackDirectory: String?

        @Option(name: .long, help: ArgumentHelp("Grade only these exercises (comma-separated LESSON/EXERCISE ids; default: every exercise of the pack).", valueName: "IDS"))
        var exercises: String?

        @Option(name: .long, help: ArgumentHelp("DIR is one student's submission (DIR/<lesson>/<exercise>.c), e.g. Gradescope's /autograder/submission, graded as this student id.", valueName: "ID"))
        var single: String?

        @Option(name: .customLong("cache-dir"), help: ArgumentHelp("Where results are cached (default: $LESSONS_CACHE/results or ~/.cache/lessons/results).", valueName: "DIR"))
        var cacheDirectory: String?

        @Flag(name: .customLong("no-cache"), help: "Check every submission afresh; neither read nor write the result cache.")
        var noCache = false

        @Flag(name: .long, help: "No progress bar.")
        var quiet = false

        @Flag(name: .customLong("csv-bom"), help: "Start csv and canvas files with a UTF-8 byte order mark, so Excel reads accents and Hangul.")
        var csvBOM = false

        @Option(name: .customLong("hidden-visibility"), help: ArgumentHelp("Gradescope visibility of hidden cases: hidden, after_due_date, after_published (default) or visible.", valueName: "V"))
        var hiddenVisibility: String?

        @Option(name: .long, help: ArgumentHelp("canvas: a CSV file mapping folder names (column 'folder') to Canvas's Student, ID, SIS User ID, SIS Login ID, Section.", valueName: "FILE"))
        var roster: String?

        @Option(name: .customLong("canvas-assignment"), help: ArgumentHelp("canvas: one column with each student's total, titled so (e.g. 'Homework 3 (4711)'); default: one column per exercise.", valueName: "TITLE"))
        var canvasAssignment: String?

        @Option(name: .long, help: ArgumentHelp("The deadline (2026-03-01T23:59:00+09:00, or 2026-03-01 23:59 local time): lateness from each file's time, or a student Git repository's last commit.", valueName: "TIME"))
        var deadline: String?

        @Option(name: .customLong("late-penalty"), help: ArgumentHelp("Percent off per started day (or hour) late, e.g. 10%/day or 2%/hour (needs --deadline).", valueName: "RATE"))
        var latePenalty: String?

        @Option(name: .customLong("late-cap"), help: ArgumentHelp("Most percent a late penalty takes off (default 100%).", valueName: "PERCENT"))
        var lateCap: String?

        init() {}

        /// What the words ask for.
        enum Mode: Equatable {
            case grade(String)
            case merge([String])
        }

        /// `merge …` merges unless it is the lone name of an existing folder; `class DIR` is the
        /// old spelling of `DIR`; otherwise the one word is the class folder.
        static func mode(of words: [String]) throws -> Mode {
            if words.first == "merge" && !(words.count == 1 && ClassFolderProbe.isDirectory("merge")) {
                guard words.count > 1 else {
                    throw ValidationError("name the shard reports to merge, e.g. lessons grade merge shard-*.json")
                }
                return .merge(Array(words.dropFirst()))
            }
            if words.count == 2 && words[0] == "class" { return .grade(words[1]) }
            guard let directory = words.first else {
                throw ValidationError("name the class folder: lessons grade DIR (or lessons grade merge REPORT…)")
            }
            guard words.count == 1 else {
                throw ValidationError("grade one class folder at a time ('\(words.joined(separator: " "))' is \(words.count) words); to merge shard reports: lessons grade merge REPORT…")
            }
            return .grade(directory)
        }

        func validate() throws {
            switch try Grade.mode(of: words) {
            case .merge:
                let classOnly: [(Bool, String)] = [(jobs != nil, "--jobs"), (shard != nil, "--shard"), (exercises != nil, "--exercises"),
                                                   (single != nil, "--single"), (cacheDirectory != nil, "--cache-dir"),
                                                   (noCache, "--no-cache"), (global.lessons != nil, "--lessons")]
                if let (_, name) = classOnly.first(where: { $0.0 }) {
                    throw ValidationError("\(name) is for grading a class; merge only joins reports (it takes --format, --output, --feedback-dir, --lang)")
                }
                if format == .gradescope && output == nil { throw ValidationError("--format gradescope writes <student>/results.json files: pass --output DIR") }
                if deadline != nil || latePenalty != nil || lateCap != nil {
                    throw ValidationError("--deadline and --late-penalty are for grading a class; merge joins the shards' reports as graded")
                }
                try validateFormatOptions()
            case .grade:
                try validateFormatOptions()
                if latePenalty != nil || lateCap != nil, deadline == nil { throw ValidationError("--late-penalty and --late-cap need --deadline TIME") }
                _ = try latePolicy()
                if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
                if let shard, Shard(shard) == nil { throw ValidationError("--shard takes K/N with 1 ≤ K ≤ N, e.g. --shard 2/4") }
                if single != nil && shard != nil { throw ValidationError("--single grades one submission; it cannot be sharded") }
                if format == .gradescope && single == nil && output == nil {
                    throw ValidationError("--format gradescope for a class writes <student>/results.json files: pass --output DIR (or --single ID for one submission)")
                }
            }
        }

        func validateFormatOptions() throws {
            if let hiddenVisibility, !ReportRenderer.gradescopeVisibilities.contains(hiddenVisibility) {
                throw ValidationError("--hidden-visibility takes \(ReportRenderer.gradescopeVisibilities.joined(separator: ", ")), not '\(hiddenVisibility)'")
            }
            if roster != nil || canvasAssignment != nil, format != .canvas {
                throw ValidationError("--roster and --canvas-assignment go with --format canvas")
            }
        }

        /// `--deadline`, `--late-penalty`, `--late-cap` as a policy (nil without a deadline).
        func latePolicy() throws -> LatePolicy? {
            guard let deadline else { return nil }
            guard let date = LatePolicy.parseDeadline(deadline) else {
                throw ValidationError("--deadline '\(deadline)': write a time such as 2026-03-01T23:59:00+09:00 or '2026-03-01 23:59' (local time)")
            }
            var policy = LatePolicy(deadline: date)
            if let latePenalty {
                guard let (percent, period) = LatePolicy.parsePenalty(latePenalty) else {
                    throw ValidationError("--late-penalty '\(latePenalty)': write a percent per day or hour, such as 10%/day or 2%/hour")
                }
                policy.percentPerPeriod = percent
                policy.periodSeconds = period
            }
            if let lateCap {
                guard let cap = LatePolicy.parseCap(lateCap) else { throw ValidationError("--late-cap '\(lateCap)': write a percent from 0% to 100%") }
                policy.capPercent = cap
            }
            return policy
        }

        /// How the student and LMS formats are written.
        func renderOptions(language: String) throws -> RenderOptions {
            var options = RenderOptions(language: language, csvBOM: csvBOM, hiddenVisibility: hiddenVisibility ?? "after_published",
                                        canvasAssignment: canvasAssignment)
            if let roster {
                guard let data = FileManager.default.contents(atPath: roster) else {
                    throw LessonsFailure.usage("\(roster): cannot read the roster; pass a CSV file with a 'folder' column")
                }
                do {
                    options.roster = try Roster(csv: String(decoding: data, as: UTF8.self), file: roster)
                } catch let error as Roster.ReadError {
                    throw LessonsFailure.usage(error.description)
                }
            }
            return options
        }

        func run() throws {
            switch try Grade.mode(of: words) {
            case .merge(let reports): try merge(reports)
            case .grade(let directory): try grade(directory)
            }
        }

        private func grade(_ directory: String) throws {
            let format = self.format ?? .text
            let progress: ProgressBar? = (!quiet && isatty(2) != 0) ? ProgressBar() : nil
            let interruption = GradeInterruption(output: output, partialReports: GradeOutput.takesPartialReports(format: format, output: output),
                                                 cached: !noCache, language: GradingCommandSupport.feedbackLanguage(global), progress: progress)
            interruption.install()
            guard ClassFolderProbe.isDirectory(directory) else {
                throw LessonsFailure.usage(GradingCommandSupport.notAFolder(directory, missing: "no such folder", then: "pass the folder that holds one folder per student"))
            }
            let pack = try GradingCommandSupport.loadPack(global)
            var chosen = pack.exercises
            if let list = exercises {
                let ids = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                guard !ids.isEmpty else {
                    throw LessonsFailure.usage("--exercises names no exercise; give LESSON/EXERCISE ids separated by commas, as 'lessons list' shows them")
                }
                chosen = try ids.map { id in
                    guard let exercise = pack.exercise(id) else {
                        throw LessonsFailure.usage("unknown exercise '\(id)' in --exercises; ids are LESSON/EXERCISE as 'lessons list' shows them")
                    }
                    return exercise
                }
            }
            for exercise in chosen { try GradingCommandSupport.requireHealthy(exercise, in: pack) }
            guard !chosen.isEmpty else {
                GradingCommandSupport.printDiagnostics(pack.problems)
                throw LessonsFailure.usage("\(pack.directory): the lesson pack has no exercises to grade")
            }

            let language = GradingCommandSupport.feedbackLanguage(global)
            let render = try renderOptions(language: language)
            // A compiler the class needs and this machine lacks stops the run before any
            // submission is judged without it (every one would be an internal error).
            try GradeToolchain.require(directory: directory, single: single, exercises: chosen)
            let warnings = single == nil ? ClassWarnings.check(directory: directory, exercises: chosen)
                                         : ClassWarnings.checkSingle(directory: directory, exercises: chosen)
            for warning in warnings { FileHandleOutput.standardError.write("lessons: warning: \(warning)\n") }

            let tool = GradingCommandSupport.toolName
            let cache = noCache ? nil : ResultCache(directory: cacheDirectory ?? ResultCache.defaultDirectory(),
                                                    toolVersion: GradingCommandSupport.toolVersion)
            var options = GradeOptions(shard: shard.flatMap { Shard($0) }, cache: cache, singleSubmission: single,
                                       language: GradingCommandSupport.feedbackLanguage(global))
            options.progress = { done, total in interruption.progressed(done, total) }
            if let jobs { options.jobs = jobs }
            options.late = try latePolicy()
            let inputs = ReportInputs.fingerprint(directory: directory, exercises: chosen,
                                                  options: [language, single ?? "", deadline ?? "", latePenalty ?? "", lateCap ?? ""])
            if GradeOutput.takesPartialReports(format: format, output: output) {
                // Replaced as students finish: a grader stopped mid-class leaves a valid report of
                // what it did (the result cache lets the same command finish the rest).
                options.partialReport = { [output] partial in
                    var partial = partial
                    partial.summary.warnings = warnings
                    partial.summary.inputs = inputs
                    interruption.writePartial(partial.summary) {
                        try GradeOutput.write(partial, format: format, output: output, feedbackDirectory: nil, options: render)
                    }
                }
            }

            var report: SpooledReport
            do {
                report = try Grader.gradeSpooled(directory: directory, exercises: chosen, tool: tool, options: options)
            } catch let error as Grading.CheckError {
                throw LessonsFailure.usage(error.description)
            } catch let error as ClassFolderError {
                throw LessonsFailure.usage(error.description)
            } catch let error as WorkerError {
                throw LessonsFailure.internalError(error.description)
            }
            report.summary.warnings = warnings
            report.summary.inputs = inputs
            do {
                try interruption.writeWhole(total: report.summary.students.count * chosen.count) {
                    try GradeOutput.write(report, format: format, output: output, feedbackDirectory: feedbackDirectory, options: render)
                }
            } catch let failure as LessonsFailure where failure.exitCode == 3 && output != nil && format != .gradescope {
                // The report file could not be written (a full disk): the grading is not lost
                // with it (the result cache may sit on that disk too, or be off).
                FileHandleOutput.standardError.write("lessons: \(failure.message); the report follows on standard output instead\n")
                try GradeOutput.write(report, format: format, output: nil, feedbackDirectory: nil, options: render)
                throw LessonsFailure.internalError("")
            }
            try GradeOutput.finish(report.summary, language: language)
        }


        private func merge(_ reports: [String]) throws {
            var loaded: [(name: String, report: GradeReport)] = []
            for path in reports {
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw LessonsFailure.usage("\(path): cannot read it; pass the JSON reports of 'lessons grade --format json'")
                }
                do {
                    loaded.append((path, try ReportRenderer.decode(data)))
                } catch {
                    throw LessonsFailure.usage("\(path): \(ReportRenderer.decodingProblem(error, data: data)); produce shards with --format json")
                }
            }
            let language = global.lang ?? "en"
            let merged: GradeReport
            do {
                merged = try GradeReport.merge(loaded, language: language)
            } catch let error as GradeReport.MergeError {
                throw LessonsFailure.usage(error.description)
            }
            try GradeOutput.write(SpooledReport(merged), format: format ?? .json, output: output, feedbackDirectory: feedbackDirectory,
                                  options: try renderOptions(language: language))
            try GradeOutput.finish(merged, language: language)
        }
    }
}

/// Writing a report in the asked format: atomically to a regular file, directly to a device,
/// fifo or symbolic link (`--output /dev/stdout`); no folder is made that was not named.
enum GradeOutput {
    /// Whether partial reports can go where the final one will: a file that is replaced whole
    /// (absent or regular), or a folder of gradescope results; never standard output, a device
    /// or a FIFO, where reports would pile up one after another.
    static func takesPartialReports(format: ReportFormat, output: String?) -> Bool {
        guard let output else { return false }
        var info = stat()
        guard lstat(output, &info) == 0 else { return true }
        let type = info.st_mode & S_IFMT
        return type == S_IFREG || (type == S_IFDIR && format == .gradescope)
    }

    /// Renders one student at a time where the format allows (json, gradescope, feedback
    /// files), each piece written as it is made.
    static func write(_ spooled: SpooledReport, format: ReportFormat, output: String?, feedbackDirectory: String?, options: RenderOptions) throws {
        let language = options.language
        let report = spooled.summary
        do {
            if let feedbackDirectory {
                try ReportFile.prepareFolder(feedbackDirectory)
                for student in spooled.students {
                    try ReportFile.write(ReportRenderer.feedback(student, language: language), to: "\(feedbackDirectory)/\(student.id).txt")
                }
            }
            if format == .gradescope {
                if report.students.count == 1 && !(output.map(ClassFolderProbe.isDirectory) ?? false) {
                    try emit(ReportRenderer.gradescope(spooled.student(0), language: language, hiddenVisibility: options.hiddenVisibility), to: output)
                } else {
                    guard let output else { throw LessonsFailure.usage("--format gradescope for a class needs --output DIR") }
                    try ReportFile.prepareFolder(output)
                    for student in spooled.students {
                        try ReportFile.prepareFolder("\(output)/\(student.id)")
                        try ReportFile.write(ReportRenderer.gradescope(student, language: language, hiddenVisibility: options.hiddenVisibility),
                                             to: "\(output)/\(student.id)/results.json")
                    }
                }
                return
            }
            let text: String
            switch format {
            case .text: text = ReportRenderer.text(spooled, language: language)
            case .json:
                try emit(to: output) { ReportRenderer.json(spooled, to: $0) }
                return
            case .csv: text = ReportRenderer.csv(report, byteOrderMark: options.csvBOM)
            case .junit: text = ReportRenderer.junit(spooled, language: language)
            case .html: text = ReportRenderer.html(spooled, language: language)
            case .canvas:
                let canvas = ReportRenderer.canvas(report, roster: options.roster, assignment: options.canvasAssignment, byteOrderMark: options.csvBOM)
                if !canvas.unplaced.isEmpty {
                    FileHandleOutput.standardError.write("lessons: warning: " + ReportRenderer.notOnRoster(canvas.unplaced, language: language) + "\n")
                }
                text = canvas.text
            case .gradescope: return
            }
            try emit(text, to: output)
        } catch let error as ReportFile.WriteError {
            throw error.isUsage ? LessonsFailure.usage(error.description) : LessonsFailure.internalError(error.description)
        } catch let error as ClassFolderError {
            throw LessonsFailure.internalError(error.description)
        }
    }

    /// After the report is written: internal errors make the run fail (exit 3), with their
    /// count on stderr, so that no script takes a report with unchecked results for a whole one.
    static func finish(_ report: GradeReport, language: String) throws {
        guard !report.internalErrors.isEmpty else { return }
        throw LessonsFailure.internalError(ReportRenderer.notChecked(report.internalErrors.count, language: language))
    }

    static func emit(_ text: String, to output: String?) throws {
        if let output { try ReportFile.write(text, to: output) } else { FileHandleOutput.standardOutput.write(text) }
    }

    /// A text made in pieces, each written as it comes.
    static func emit(to output: String?, _ produce: ((String) -> Void) -> Void) throws {
        if let output { try ReportFile.write(to: output, produce) } else { produce { FileHandleOutput.standardOutput.write($0) } }
    }
}

/// The compilers a class needs, checked before grading (GradeToolchain in Grading).
enum GradeToolchain {
    static func require(directory: String, single: String?, exercises: [Exercise]) throws {
        if let problem = ToolchainNeeds.problem(directory: directory, single: single, exercises: exercises) {
            throw LessonsFailure.usage(problem)
        }
    }
}

/// `[=====>    ] 120/500  0:42 left` on stderr, redrawn in place.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private let start = Date()
    private var lastDraw = Date.distantPast

    func update(_ done: Int, _ total: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard done == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let elapsed = now.timeIntervalSince(start)
        let left = done == 0 ? 0 : elapsed / Double(done) * Double(total - done)
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "") + String(repeating: " ", count: max(0, width - filled - 1))
        FileHandleOutput.standardError.write("\r[\(bar)] \(done)/\(total)  \(Int(left) / 60):\(String(format: "%02d", Int(left) % 60)) left ")
    }

    func finish() {
        FileHandleOutput.standardError.write("\r\u{1B}[K")
    }
}
