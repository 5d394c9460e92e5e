// The learner's commands, implemented once: the subcommands (`lessons next`) and the REPL
// (`next` at the prompt) both call these methods.

import Foundation
import MemoryPicture
import Notebook
import Sandbox
import Syscalls
import Tracing
import Toolchain
import Grading
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

final class Session {
    let lessonsOption: String?
    /// `en` or `ko`: the language of lesson text.
    let textLanguage: String
    var console: Console
    /// Asked before destructive steps (reset); nil means "no one to ask": refuse.
    var confirm: ((String) -> Bool)?
    let workingDirectory: String

    private var packResult: Result<LessonPack, LessonsFailure>?
    private var cachedWorkspace: Workspace?

    init(lessons: String?, lang: String?, console: Console, workingDirectory: String = FileManager.default.currentDirectoryPath,
         environment: [String: String] = ProcessInfo.processInfo.environment) {
        lessonsOption = lessons
        textLanguage = Session.textLanguage(flag: lang, environment: environment)
        self.console = console
        self.workingDirectory = workingDirectory
    }

    convenience init(_ options: GlobalOptions, plain: Bool = false) {
        self.init(lessons: options.lessons, lang: options.lang, console: .forTerminal(plain: plain))
    }

    /// `--lang` wins; else a Korean locale (LC_ALL, LC_MESSAGES, LANG starting with `ko`); else English.
    static func textLanguage(flag: String?, environment: [String: String]) -> String {
        if let flag, !flag.isEmpty { return flag.lowercased().hasPrefix("ko") ? "ko" : "en" }
        for key in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[key], !value.isEmpty { return value.lowercased().hasPrefix("ko") ? "ko" : "en" }
        }
        return "en"
    }

    // MARK: the pack and the workspace

    /// The lesson pack, loaded once; its problems are reported once, as warnings.
    func pack() throws -> LessonPack {
        if let packResult { return try packResult.get() }
        let result: Result<LessonPack, LessonsFailure>
        do { result = .success(try loadPack()) } catch { result = .failure(error) }
        packResult = result
        return try result.get()
    }

    private func loadPack() throws(LessonsFailure) -> LessonPack {
        guard let directory = lessonsOption ?? LessonPack.defaultDirectory() else {
            throw LessonsFailure.usage("no lesson pack found; pass --lessons DIR or set LESSONS_PATH")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LessonsFailure.usage("\(directory): no such lesson directory; pass --lessons DIR")
        }
        let (pack, diagnostics) = LessonPack.load(directory: directory)
        for diagnostic in diagnostics.prefix(5) { console.err("warning: \(diagnostic)") }
        if diagnostics.count > 5 { console.err("warning: … and \(diagnostics.count - 5) more problems (lessons lint \(directory))") }
        if pack.lessons.isEmpty {
            throw LessonsFailure.usage("\(directory): no lessons could be read; run 'lessons lint \(directory)'")
        }
        return pack
    }

    func workspace(create: Bool) throws -> Workspace {
        if let cachedWorkspace { return cachedWorkspace }
        if let found = Workspace.locate(from: workingDirectory) {
            cachedWorkspace = found
            return found
        }
        guard create else { throw LessonsFailure.usage(WorkspacePlace.missing(in: workingDirectory)) }
        let created = try Workspace.create(at: try WorkspacePlace.forFirstUse(in: workingDirectory), language: nil)
        console.out(console.paint("Started a workspace in \(created.root) (language: \(created.settings.language.rawValue); change it with 'lessons init --lang swift').", .note))
        cachedWorkspace = created
        return created
    }

    func withProgress<T>(_ workspace: Workspace, _ body: (inout Progress) throws -> T) throws -> T {
        var progress = workspace.loadProgress(warn: { console.err($0) })
        let before = progress
        let result = try body(&progress)
        if progress != before {
            do { try workspace.saveProgress(progress) } catch {
                console.err("warning: could not save progress to \(workspace.progressPath): \(ErrorText.reason(error)); \(ErrorText.advice(error)) (your files are untouched)")
            }
        }
        return result
    }

    func exercise(_ id: String) throws -> Exercise {
        let pack = try pack()
        if let exercise = pack.exercise(id) { return exercise }
        // A bare exercise id is fine when it is unique.
        let matches = pack.lessons.flatMap(\.exercises).filter { $0.id == id }
        if matches.count == 1 { return matches[0] }
        let known = pack.lessons.flatMap(\.exercises).map(\.fullID)
        let close = known.filter { $0.contains(id) || id.contains($0) }.prefix(3)
        throw LessonsFailure.usage("no exercise '\(id)'" + (close.isEmpty ? "; 'list' shows them all" : "; did you mean \(close.joined(separator: ", "))?"))
    }

    var allExercises: [Exercise] { (try? pack().lessons.flatMap(\.exercises)) ?? [] }

    /// The exercise the learner is on: the current one if still unsolved, else the first unsolved.
    func currentExercise(_ workspace: Workspace) throws -> Exercise? {
        let progress = workspace.loadProgress(warn: { console.err($0) })
        if let current = progress.current, progress.solved[current] == nil, let exercise = try? exercise(current) {
            return exercise
        }
        return try pack().lessons.flatMap(\.exercises).first { progress.solved[$0.fullID] == nil }
    }

    func relative(_ path: String) -> String {
        let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        return path.hasPrefix(base) ? String(path.dropFirst(base.count)) : path
    }

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

    private func present(_ exercise: Exercise, in workspace: Workspace?) throws {
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

    /// Checks and records a pass. Returns the result's status.
    @discardableResult
    func check(_ argument: String?) throws -> Status {
        let (file, exercise) = try target(argument)
        let result: ExerciseResult
        do {
            result = try Checker(options: CheckOptions(language: textLanguage, keepRuns: true))
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
        return result.status
    }

    /// The memory picture of one case, for a check that did not pass, drawn from the run
    /// the checker traced (`keepRuns`).
    private func pictureOfCase(_ failing: CaseResult) {
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

    // MARK: run and cells

    struct RunOptions {
        var all = false
        var plain = false
        var caseName: String?
        /// The program's stdout is a pseudo-terminal (`run --tty`, a cell marked `tty`).
        var tty = false
    }

    /// Compiles `file`, runs it traced (in the sandbox) and shows its output, its events after
    /// main and the memory picture.
    func run(_ argument: String?, options: RunOptions = RunOptions()) throws {
        let file: String
        var exercise: Exercise?
        if let argument, FileManager.default.fileExists(atPath: argument.hasPrefix("/") ? argument : (workingDirectory as NSString).appendingPathComponent(argument)),
           (try? target(argument)) == nil {
            // A file outside any exercise still runs, without input.
            file = argument.hasPrefix("/") ? argument : (workingDirectory as NSString).appendingPathComponent(argument)
        } else if let argument, Language(fileName: argument) == nil, (try? self.exercise(argument)) == nil,
                  let (lesson, cell) = try exampleCell(argument) {
            // A lesson's example cell (`run mmap-params/hint-and-fixed`), as the lesson text shows it.
            try runExampleCell(cell, of: lesson, options: options)
            return
        } else {
            let resolved = try target(argument)
            file = resolved.file
            exercise = resolved.exercise
        }
        var runCase: ExerciseCase?
        if let exercise {
            let cases = CaseRunner.cases(of: exercise)
            if let name = options.caseName {
                guard let found = cases.first(where: { $0.name == name }) else {
                    throw LessonsFailure.usage("\(exercise.fullID) has no case '\(name)'; its cases: \(cases.map(\.name).joined(separator: ", "))")
                }
                runCase = found
            } else {
                runCase = cases[0]
            }
        }
        let announce = (exercise?.cases.count ?? 0) > 1
        try runTraced(source: file, displayName: relative(file), runCase: runCase, of: exercise, announceCase: announce, options: options)
    }

    /// Compiles `source` and runs it as `runCase` of `exercise` would run in a check
    /// (CaseRunner); without a case, with no input and the program's own defaults.
    func runTraced(source: String, displayName: String, runCase: ExerciseCase?, of exercise: Exercise? = nil,
                   announceCase: Bool = false, options: RunOptions) throws {
        guard let language = Language(fileName: source) else {
            throw LessonsFailure.usage("\(displayName): not a C or Swift file; name it with .c or .swift")
        }
        let binary: String
        switch try compile(source: source, language: language, displayName: displayName) {
        case .success(let path, let warnings):
            binary = path
            if !warnings.isEmpty { console.out(warnings) }
        case .failure(let diagnostics):
            console.out(diagnostics)
            console.out(console.paint("\(console.mark("✗", "X")) \(displayName) does not compile.", .bad))
            throw LessonsFailure("", exitCode: 1)
        }
        if let runCase, announceCase {
            console.out(console.paint("running case '\(runCase.name)'" + (runCase.arguments.isEmpty ? "" : " with arguments \(runCase.arguments.joined(separator: " "))"), .note))
        }
        let exerciseCase = runCase ?? ExerciseCase(name: "default", location: SourceLocation(file: source, line: 1))
        let sandboxed: SandboxedRun
        do {
            sandboxed = try CaseRunner.run(binary: binary, language: language, case: exerciseCase, of: exercise,
                                           presentation: .init(terminalStdout: options.tty))
        } catch let error as CaseRunner.InjectRuleError {
            throw LessonsFailure.usage(error.description)
        } catch {
            throw LessonsFailure.internalError("running \(displayName): \(error)")
        }
        console.out(report(sandboxed, options: options))
    }

    func compile(source: String, language: Language, displayName: String) throws -> CompileResult {
        do {
            return try Compiler.compile(CompileRequest(source: source, language: language, displayName: displayName))
        } catch {
            throw LessonsFailure.internalError("compiling \(displayName): \(error)")
        }
    }

    /// Output, events after main, outcome and the memory picture of one run.
    func report(_ sandboxed: SandboxedRun, options: RunOptions) -> String {
        let run = sandboxed.outcome.run
        var text = ""
        func section(_ title: String) { text += console.paint(console.mark("── \(title) ──", "-- \(title) --"), .bold) + "\n" }
        if !run.stdout.isEmpty {
            section("output")
            var out = String(decoding: run.stdout, as: UTF8.self)
            if !out.hasSuffix("\n") { out += "\n" }
            text += cutBlock(out, options: options, what: "output")
            if run.stdoutTruncated { text += console.paint("(output was cut at the sandbox's limit)", .note) + "\n" }
        }
        if !run.stderr.isEmpty {
            section("stderr")
            var err = String(decoding: run.stderr, as: UTF8.self)
            if !err.hasSuffix("\n") { err += "\n" }
            text += cutBlock(err, options: options, what: "stderr")
        }
        let lines = TraceLines.render(run, afterMainOnly: true)
        section("trace after main (\(lines.count) event\(lines.count == 1 ? "" : "s"))")
        text += cutBlock(lines.joined(separator: "\n") + "\n", options: options, what: "trace")
        if interruptFlag != 0 {
            text += console.paint("\(console.mark("✗", "X")) stopped with Ctrl-C", .bad) + "\n"
        } else if let status = sandboxed.status {
            text += console.paint("\(console.mark("✗", "X")) \(status.rawValue)", .bad) + (sandboxed.notes.isEmpty ? "" : ": " + sandboxed.notes.joined(separator: "; ")) + "\n"
        }
        section("memory")
        text += MemoryPicture.render(run, style: .init(plain: options.plain || !console.unicode, color: console.color,
                                                       maxRows: options.all ? Int.max : 20))
        return text
    }

    private func cutBlock(_ text: String, options: RunOptions, what: String) -> String {
        guard !options.all else { return text }
        let limit = 40
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > limit + 5 else { return text }
        return lines.prefix(limit).joined(separator: "\n") + "\n" + console.paint("… \(lines.count - limit - 1) more lines of \(what) ('run --all' shows everything)", .note) + "\n"
    }

    /// The example cell `LESSON/CELL` (or a bare `CELL` when only one lesson has that name).
    func exampleCell(_ id: String) throws -> (Lesson, ExampleCell)? {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var found: [(Lesson, ExampleCell)] = []
        for lesson in try pack().lessons {
            for case .cell(let cell) in lesson.blocks {
                if parts.count == 2 ? (lesson.id == parts[0] && cell.name == parts[1]) : (parts.count == 1 && cell.name == id) {
                    found.append((lesson, cell))
                }
            }
        }
        return found.count == 1 ? found[0] : nil
    }

    /// The example cells of the pack, as `lesson/cell` (for messages and completion).
    func exampleCellIDs() -> [String] {
        ((try? pack().lessons) ?? []).flatMap { lesson in
            lesson.blocks.compactMap { block -> String? in
                if case .cell(let cell) = block { return "\(lesson.id)/\(cell.name)" }
                return nil
            }
        }
    }

    /// Compiles and runs one of a lesson's example cells, traced, like a cell typed at the prompt.
    func runExampleCell(_ cell: ExampleCell, of lesson: Lesson, options: RunOptions) throws {
        let directory: String
        if let workspace = try? workspace(create: false) {
            directory = ((workspace.stateDirectory as NSString).appendingPathComponent("examples") as NSString).appendingPathComponent(lesson.id)
        } else {
            directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("lessons-examples-\(getuid())/\(lesson.id)")
        }
        let path = (directory as NSString).appendingPathComponent("\(cell.name).\(cell.language.fileExtension)")
        if let reason = ErrorText.makeDirectories(directory) {
            throw LessonsFailure.usage("cannot keep the cell as \(path): \(reason); check that you can write to that directory")
        }
        do {
            try AtomicWrite.write(Data(cell.code.utf8), to: path)
        } catch {
            throw LessonsFailure.usage("cannot keep the cell as \(path): \(ErrorText.reason(error)); \(ErrorText.advice(error))")
        }
        console.out(console.paint("example \(lesson.id)/\(cell.name) (\((cell.location.file as NSString).lastPathComponent):\(cell.location.line))"
                                  + (cell.tty ? ", standard output on a terminal" : ""), .note))
        var options = options
        options.tty = options.tty || cell.tty
        try runTraced(source: path, displayName: "\(lesson.id)/\(cell.name).\(cell.language.fileExtension)",
                      runCase: CellRunner.runCase(of: cell), options: options)
    }

    /// Compiles and runs a notebook cell; it is kept in the workspace (or a temporary directory).
    func runCell(language: Language, code: String, number: Int, options: RunOptions = RunOptions()) throws {
        let directory: String
        if let workspace = try? workspace(create: false) {
            directory = workspace.cellsDirectory
        } else {
            directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("lessons-cells-\(getuid())")
        }
        let path = (directory as NSString).appendingPathComponent("cell-\(number).\(language.fileExtension)")
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try AtomicWrite.write(Data(code.utf8), to: path)
        } catch {
            throw LessonsFailure.usage("cannot keep cell \(number) as \(path): \(ErrorText.reason(error)); \(ErrorText.advice(error))")
        }
        try runTraced(source: path, displayName: "cell \(number)", runCase: nil, options: options)
    }

    // MARK: edit, reset, init

    func edit(_ id: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let (file, _) = try target(id)
        try editFile(file, environment: environment)
    }

    func editFile(_ file: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let editor = [environment["VISUAL"], environment["EDITOR"]].compactMap({ $0 }).first(where: { !$0.isEmpty }) else {
            throw LessonsFailure.usage("no editor set; set $VISUAL or $EDITOR (e.g. export EDITOR=nano), or open \(relative(file)) yourself")
        }
        let status = Shell.run("\(editor) \(Shell.quote(file))")
        if status != 0 { console.err("warning: \(editor) exited with status \(status)") }
    }

    func reset(_ id: String?, yes: Bool) throws {
        let workspace = try workspace(create: false)
        let exercise: Exercise
        if let id { exercise = try self.exercise(id) } else {
            guard let current = try currentExercise(workspace) else { throw LessonsFailure.usage("which exercise? 'reset LESSON/EXERCISE'") }
            exercise = current
        }
        let path = workspace.file(for: exercise)
        if !yes {
            guard let confirm else {
                throw LessonsFailure.usage("reset replaces \(relative(path)) with the starter; add --yes to do it without asking")
            }
            guard confirm("Replace \(relative(path)) with the starter? The current file is kept as a backup. [y/N] ") else {
                console.out("Nothing changed.")
                return
            }
        }
        let (written, backup) = try workspace.resetFile(for: exercise)
        console.out("\(relative(written)) is the starter again." + (backup.map { " Your version is kept as \(relative($0))." } ?? ""))
    }

    /// `init [DIR]`: DIR as told; without one, the workspace in use here (to change its
    /// language), else a new one where `WorkspacePlace` says.
    func initWorkspace(directory: String?, language: Language?) throws {
        let target = directory.map { $0.hasPrefix("/") ? $0 : (workingDirectory as NSString).appendingPathComponent($0) }
            ?? Workspace.locate(from: workingDirectory)?.root ?? WorkspacePlace.forInit(in: workingDirectory)
        let existed = Workspace.find(from: target).map { $0.root == (target as NSString).standardizingPath } ?? false
        let workspace = try Workspace.create(at: target, language: language)
        cachedWorkspace = nil
        if existed {
            console.out("Workspace \(workspace.root): language is now \(workspace.settings.language.rawValue).")
            return
        }
        let found = Workspace.locate(from: workingDirectory)?.root == workspace.root
        console.out("Started a workspace in \(workspace.root) (language: \(workspace.settings.language.rawValue)). "
                    + (found ? "'lessons next' shows the first exercise." : "cd \(Shell.quote(relative(workspace.root))), then 'lessons next' shows the first exercise."))
    }

    static let helpText = """
    Commands (the same at the prompt and as 'lessons COMMAND'):
      list                 lessons and exercises, with your progress
      next                 the first unsolved exercise: what to do and the file to edit
      show [ID]            an exercise's statement (default: the current one)
      hint [ID]            the next hint for an exercise
      check [FILE|ID]      check your file (default: the current exercise); a pass is recorded
      run [FILE|ID]        compile, run traced: output, events after main, the memory picture
                           (ID may be a lesson's example cell, e.g. run brk/five-small;
                           --tty: the program's standard output is a terminal, not a pipe)
      trace [OPTIONS] -- PROGRAM [ARGS…]   strace-style trace of any program
      edit [ID]            open the current exercise in $VISUAL / $EDITOR
      reset [ID]           put the starter back (asks first; --yes to skip)
      progress             what you have solved
      init [DIR] [--lang c|swift]   start a workspace (default ./lessons-work), or change its language
      watch                re-check the current exercise every time you save it
    At the prompt only:
      c / swift [--tty]    start a notebook cell; end it with a line '.'; it runs traced at once
                           (--tty: its standard output is a terminal, as at a shell prompt)
      cells, recall N      list earlier cells; run cell N again
      predict [LESSON/CELL]  predict what a lesson cell will do, then run it and compare
      help, quit           (Ctrl-D also quits; Ctrl-C cancels a line or stops a running program)
    """

    func help() { console.out(Session.helpText) }
}

/// Running a shell command line with the terminal attached (for $EDITOR).
enum Shell {
    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// Runs `command` with `/bin/sh -c`, on the tool's terminal; its exit status as a shell
    /// gives it (127: it could not start).
    static func run(_ command: String) -> Int32 {
        guard let (ending, _) = Spawn.run(["/bin/sh", "-c", command], stdin: .inherit, stdout: .inherit, stderr: .inherit) else { return 127 }
        return ending?.shellStatus ?? 127
    }
}
