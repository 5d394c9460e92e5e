// A learner's session: the lesson pack and the workspace, loaded once, and the help text. The
// commands are in Session+Lessons, +Check, +Run and +Workspace; the subcommands (`lessons next`)
// and the REPL (`next` at the prompt) both call them.

import Foundation
import Grading
import Notebook

final class Session {
    let lessonsOption: String?
    /// `en` or `ko`: the language of lesson text.
    let textLanguage: String
    var console: Console
    /// Asked before destructive steps (reset); nil means "no one to ask": refuse.
    var confirm: ((String) -> Bool)?
    let workingDirectory: String

    private var packResult: Result<LessonPack, LessonsFailure>?
    var cachedWorkspace: Workspace?

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
            throw LessonsFailure.usage(GradingCommandSupport.notAFolder(directory, missing: "no such lesson directory", then: "pass --lessons DIR"))
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
            if let warning = found.settingsWarning { console.err(warning) }
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
