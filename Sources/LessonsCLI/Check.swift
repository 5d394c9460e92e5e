// `lessons check FILE` and `lessons check --all DIR`: a learner or student checks their own
// file(s) with exactly the engine that grades them (`Grading.Checker`).

import ArgumentParser
import CLessonsPtrace
import Foundation
import Grading
import Notebook
import Sandbox
import Toolchain
import Vocabulary

/// How `check` prints its verdict.
enum CheckFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}

extension Lessons {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check your program against its exercise.",
            discussion: """
                The exercise comes from the path (…/LESSON/EXERCISE.c or .swift) unless --exercise \
                names it. With --all DIR, checks every exercise file of a homework folder \
                DIR/<lesson>/<exercise>.{c,swift}.
                Exit status: 0 passed, 1 not passed, 2 usage or input error (missing file, unknown \
                exercise, broken lesson), 3 internal error.
                """
        )

        @OptionGroup var global: GlobalOptions

        @Argument(help: ArgumentHelp("Your program: a .c or .swift file.", valueName: "FILE"))
        var file: String?

        @Option(name: .long, help: ArgumentHelp("The exercise, as LESSON/EXERCISE (default: from the path).", valueName: "ID"))
        var exercise: String?

        @Option(name: .customLong("all"), help: ArgumentHelp("Check every exercise file of a homework folder.", valueName: "DIR"))
        var all: String?

        @Option(name: .long, help: "Output format: text or json.")
        var format: CheckFormat = .text

        init() {}

        func validate() throws {
            if file != nil && all != nil { throw ValidationError("give either a FILE or --all DIR, not both") }
            if all != nil && exercise != nil { throw ValidationError("--exercise names one file's exercise; it does not go with --all") }
        }

        /// `lessons check FILE` as a learner types it, nothing more: the compile and the
        /// sandbox's preparation start before the command line is parsed, and `run` then finds
        /// them under way. Anything else waits for the parser. The compile's thread is made
        /// first, and the parse (~2.5 ms) and the lesson's load (~2–5 ms) wait until its compiler
        /// runs: until then the compile's set-up and the sandbox's preparation (the namespace it
        /// needs) have the two CPUs of a small machine to themselves.
        static func startEarly(_ words: [String]) {
            guard words.count == 2, words[0] == "check", !words[1].hasPrefix("-"),
                  let language = Language(fileName: words[1]), GradingCommandSupport.isNonEmptyRegularFile(words[1]) else { return }
            let request = CompileRequest(source: words[1], language: language, displayName: words[1])
            Compiler.compileAhead(request)
            Sandbox.prepare()
            startedEarly = true
            Compiler.waitUntilAheadCompilerStarts(request, timeout: 0.02)
        }
        nonisolated(unsafe) private static var startedEarly = false  // set before the parser runs, read after

        func run() throws {
            // Its first wait overlaps the pack's parse; the compiler's and the program's moves
            // into their cgroups then find the lock warm (Sandbox.CgroupWarmUp).
            if !Self.startedEarly { Sandbox.prepare() }
            if file == nil && all == nil {
                try checkCurrentExercise()
                return
            }
            let options = Grading.CheckOptions(pinCPU: GradingCommandSupport.currentCPU(), language: GradingCommandSupport.feedbackLanguage(global))
            if let folder = all {
                try checkAll(folder: folder, pack: try GradingCommandSupport.loadPack(global), options: options)
                return
            }
            // One file needs one lesson: only its file is parsed (the whole pack when in doubt).
            let wanted = exercise ?? (try? GradingCommandSupport.exerciseID(fromPath: file!))
            let lessonID = wanted.flatMap { $0.split(separator: "/", omittingEmptySubsequences: false).first.map(String.init) }
            // The compile needs only the file: it runs while the lesson is parsed.
            if let language = Language(fileName: file!), GradingCommandSupport.isNonEmptyRegularFile(file!) {
                Compiler.compileAhead(CompileRequest(source: file!, language: language, displayName: file!))
            }
            var pack = try GradingCommandSupport.loadPack(global, lesson: lessonID)
            let path = file!
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw LessonsFailure.usage("\(path): no such file; give the path of your .c or .swift program")
            }
            if isDirectory.boolValue {
                throw LessonsFailure.usage("\(path): is a directory; give your .c or .swift file")
            }
            if let kind = GradingCommandSupport.notRegularFile(path) {
                throw LessonsFailure.usage("\(path): \(kind), not a regular file; give your .c or .swift file")
            }
            let target: Exercise
            if let wanted, pack.partial, pack.exercise(wanted) == nil {
                pack = try GradingCommandSupport.loadPack(global)  // what is wrong is said of the whole pack
            }
            if let exercise {
                guard let named = pack.exercise(exercise) else {
                    throw LessonsFailure.usage("--exercise \(exercise): no such exercise; 'lessons list' shows them")
                }
                target = named
            } else {
                let id = try GradingCommandSupport.exerciseID(fromPath: path)
                guard let found = pack.exercise(id) else {
                    GradingCommandSupport.printDiagnostics(pack.problems)
                    throw LessonsFailure.usage("\(path): no exercise \(id) in the lesson pack; 'lessons list' shows them, or pass --exercise LESSON/EXERCISE")
                }
                target = found
            }
            try checkOne(path: path, target: target, pack: pack, options: options)
        }

        /// One file: check, print, record the attempt in the learner workspace it lies in.
        private func checkOne(path: String, target: Exercise, pack: LoadedPack, options: Grading.CheckOptions) throws {
            try GradingCommandSupport.requireHealthy(target, in: pack)
            let result: Grading.ExerciseResult
            do {
                // Compiler messages name the file as the user typed it, so a click opens it.
                result = try Grading.Checker(options: options).check(file: path, exercise: target, displayName: path)
            } catch let error as Grading.CheckError {
                throw LessonsFailure.usage(error.description)
            }
            switch format {
            case .text:
                FileHandleOutput.standardOutput.write(Grading.CheckText.render(result, file: path, language: options.language,
                                                                               width: TextWidth.terminalColumns(environment: ProcessInfo.processInfo.environment)))
                if result.status == .failed, let language = Language(fileName: path),
                   let lesson = pack.lessons.first(where: { $0.id == target.lessonID }),
                   let note = PlatformNotice.failedCheckNote(lesson: lesson, language: language, textLanguage: options.language) {
                    FileHandleOutput.standardError.write(note + "\n")
                }
            case .json: FileHandleOutput.standardOutput.write(GradingCommandSupport.json(CheckJSON(file: path, result: result.learnerView.selfChecked(language: options.language))))
            }
            // Inside a learner workspace a pass counts, as it does with the REPL's check.
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            if Workspace.find(from: (absolute as NSString).deletingLastPathComponent) != nil {
                Session(global).record(result.status, exercise: target, file: absolute, announce: format == .text)
            }
            try GradingCommandSupport.exit(for: [result])
        }

        /// No FILE: inside a learner workspace, the current exercise (as the REPL's `check`).
        private func checkCurrentExercise() throws {
            guard Workspace.locate(from: FileManager.default.currentDirectoryPath) != nil else {
                throw LessonsFailure.usage("name a file to check, or a homework folder with --all DIR")
            }
            let session = Session(global)
            switch format {
            case .text:
                try GradingCommandSupport.exit(for: [try session.check(nil)])
            case .json:
                let (file, exercise) = try session.target(nil)
                try checkOne(path: session.relative(file), target: exercise, pack: try GradingCommandSupport.loadPack(global),
                             options: Grading.CheckOptions(pinCPU: GradingCommandSupport.currentCPU(),
                                                           language: GradingCommandSupport.feedbackLanguage(global)))
            }
        }

        /// Every exercise file in a homework folder, checked in parallel by the grading engine.
        private func checkAll(folder: String, pack: LoadedPack, options: Grading.CheckOptions) throws {
            guard ClassFolderProbe.isDirectory(folder) else {
                throw LessonsFailure.usage("\(folder): not a folder; --all takes a homework folder DIR/<lesson>/<exercise>.c")
            }
            let exercises = pack.exercises
            let submitted = exercises.filter { exercise in
                Language.allCases.contains { ClassFolderProbe.isFile("\(folder)/\(exercise.lessonID)/\(exercise.id).\($0.fileExtension)") }
            }
            for exercise in submitted { try GradingCommandSupport.requireHealthy(exercise, in: pack) }
            guard !submitted.isEmpty else {
                throw LessonsFailure.usage("\(folder): no exercise files found; name them <lesson>/<exercise>.c or .swift (e.g. brk/five-small-chunks.c)")
            }
            let report: GradeReport
            do {
                report = try Grader.grade(directory: folder, exercises: submitted, tool: GradingCommandSupport.toolName,
                                          options: GradeOptions(singleSubmission: "homework", language: options.language))
            } catch let error as Grading.CheckError {
                throw LessonsFailure.usage(error.description)
            } catch let error as WorkerError {
                throw LessonsFailure.internalError(error.description)
            }
            let student = report.students[0]
            switch format {
            case .text:
                var out = ""
                for result in student.exercises {
                    let base = "\(folder)/\(result.exercise)"
                    let file = Language.allCases.map { "\(base).\($0.fileExtension)" }.first(where: ClassFolderProbe.isFile) ?? base
                    out += Grading.CheckText.render(result, file: file, language: options.language,
                                                    width: TextWidth.terminalColumns(environment: ProcessInfo.processInfo.environment)) + "\n"
                }
                // Why a file that is there was not checked (e.g. a language the exercise refuses).
                for result in student.exercises where result.status == .missing { out += result.notes.map { "note: \($0)\n" }.joined() }
                for note in student.notes { out += "note: \(note)\n" }
                out += "\(student.exercises.filter { $0.status == .passed }.count)/\(student.exercises.count) exercises passed, \(student.score)/\(student.maxScore) points\n"
                FileHandleOutput.standardOutput.write(out)
            case .json:
                FileHandleOutput.standardOutput.write(GradingCommandSupport.json(
                    CheckAllJSON(folder: folder, exercises: student.exercises.map { $0.learnerView.selfChecked(language: options.language) },
                                 notes: student.notes + student.exercises.flatMap { $0.status == .missing ? $0.notes : [] },
                                 score: student.score, maxScore: student.maxScore)))
            }
            try GradingCommandSupport.exit(for: student.exercises)
        }
    }
}

/// `check --format json` for one file.
struct CheckJSON: Encodable {
    var schema = 1
    var file: String
    var result: Grading.ExerciseResult

    func encode(to encoder: Encoder) throws {
        try result.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(file, forKey: .file)
    }
    enum Key: String, CodingKey { case schema, file }
}

/// `check --all DIR --format json`.
struct CheckAllJSON: Encodable {
    var schema = 1
    var folder: String
    var exercises: [Grading.ExerciseResult]
    var notes: [String]
    var score: Int
    var maxScore: Int
    enum CodingKeys: String, CodingKey { case schema, folder, exercises, notes, score, maxScore = "max_score" }
}

/// What check, grade and lint share: finding the pack, ids from paths, exit codes.
enum GradingCommandSupport {
    /// The CPU this process runs on now. A learner's command (check, run, watch, a cell, trace)
    /// pins the tracer and the program there, as the grader pins each worker's: every syscall
    /// stop then wakes the tracer on the CPU it stopped on, with no wake-up sent across CPUs.
    /// Measured on a 2-CPU VM: a check's traced run took 2.3 ms pinned against 3.9–5.5 ms not.
    static func currentCPU() -> Int? {
        let cpu = lessons_current_cpu()
        return cpu >= 0 ? Int(cpu) : nil
    }

    /// "PATH: a file, not a folder" when `path` is there but is no folder; else `missing`
    /// ("PATH: no such folder; …"): a folder named wrongly and a file given for it are told apart.
    static func notAFolder(_ path: String, missing: String, then advice: String) -> String {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR {
            let what = (info.st_mode & S_IFMT) == S_IFREG ? "a file" : notRegularFile(path) ?? "not a file"
            return "\(path): \(what), not a folder; \(advice)"
        }
        return "\(path): \(missing); \(advice)"
    }

    /// What `path` is when it is there but not a regular file ("a FIFO"), else nil: a FIFO read
    /// as a program waits for a writer (or reads as empty), a device is not a program.
    static func notRegularFile(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG, S_IFDIR: return nil
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a file"
        }
    }

    /// A regular file with something in it (an empty one is not compiled: the check says so).
    static func isNonEmptyRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && info.st_size > 0
    }

    /// What a report says graded it: shards graded by separate builds of one version merge.
    static var toolName: String { "lessons \(Lessons.configuration.version)" }

    /// The version plus the executable's identity, for the result cache: a rebuilt tool must
    /// not reuse old results.
    static var toolVersion: String {
        var info = stat()
        let identity = stat("/proc/self/exe", &info) == 0 ? "+\(info.st_size).\(info.st_mtim.tv_sec)" : ""
        return toolName + identity
    }

    /// The pack; with `lesson`, possibly only that lesson (`LoadedPack.partial`).
    static func loadPack(_ global: GlobalOptions, lesson: String? = nil) throws -> LoadedPack {
        guard let directory = global.lessons ?? LoadedPack.defaultDirectory() else {
            throw LessonsFailure.usage("no lesson pack found; pass --lessons DIR or set LESSONS_PATH")
        }
        guard ClassFolderProbe.isDirectory(directory) else {
            throw LessonsFailure.usage(notAFolder(directory, missing: "no such lesson folder", then: "pass --lessons DIR with your lesson files"))
        }
        if let lesson { return LoadedPack.load(directory: directory, lesson: lesson) }
        return LoadedPack.load(directory: directory)
    }

    static func feedbackLanguage(_ global: GlobalOptions) -> String {
        if let lang = global.lang { return lang }
        let locale = ProcessInfo.processInfo.environment["LANG"] ?? ""
        return locale.hasPrefix("ko") ? "ko" : "en"
    }

    /// `…/LESSON/EXERCISE.c` → `LESSON/EXERCISE`.
    static func exerciseID(fromPath path: String) throws -> String {
        let parts = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        guard parts.count >= 3, let language = Language(fileName: parts[parts.count - 1]) else {
            throw LessonsFailure.usage("\(path): cannot tell the exercise from the path; name it LESSON/EXERCISE.c or .swift, or pass --exercise LESSON/EXERCISE")
        }
        let name = parts[parts.count - 1].dropLast(language.fileExtension.count + 1)
        return "\(parts[parts.count - 2])/\(name)"
    }

    static func printDiagnostics(_ diagnostics: [LintProblem]) {
        for diagnostic in diagnostics { FileHandleOutput.standardError.write("\(diagnostic)\n") }
    }

    /// A broken exercise stops the check with its own diagnostics (exit 2): its expectations
    /// that do not parse first, then the lesson file's problems located inside the exercise.
    /// (A problem elsewhere in the file, e.g. an unknown prerequisite, does not stop it.)
    static func requireHealthy(_ exercise: Exercise, in pack: LoadedPack) throws {
        var own = Checker.lessonProblems(of: exercise)
        let siblings = pack.lessons.first { $0.exercises.contains { $0.fullID == exercise.fullID } }?.exercises ?? []
        let end = siblings.map(\.location.line).filter { $0 > exercise.location.line }.min() ?? Int.max
        for problem in pack.problems where problem.location.file == exercise.location.file
            && (exercise.location.line..<end).contains(problem.location.line) && !own.contains(problem.description) {
            own.append(problem.description)
        }
        guard own.isEmpty else {
            for line in own { FileHandleOutput.standardError.write("\(line)\n") }
            throw LessonsFailure.usage("the lesson of \(exercise.fullID) is broken (see above); fix it or tell its author")
        }
    }

    /// Exit status for a learner's own check; an internal error says its cause (the tool's own
    /// one-line message), and a compile cache that cannot be written is the learner's to fix.
    static func exit(for results: [ExerciseResult]) throws {
        if let failed = results.first(where: { $0.status == .internalError }) {
            let cause = failed.notes.first.map { ": \($0)" } ?? ""
            let next = failed.isCompileCacheFault ? "then check again" : "try again, and report it if it persists"
            throw LessonsFailure.internalError("the checker itself failed (not your program's fault)\(cause); \(next)")
        }
        if results.contains(where: { $0.status != .passed }) { throw LessonsFailure.notPassed }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self) + "\n"
    }
}

/// File-type probes without following symbolic links.
enum ClassFolderProbe {
    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
