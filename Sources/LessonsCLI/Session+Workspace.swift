// The learner's files: edit (in $VISUAL / $EDITOR), reset to the starter, init a workspace.

import Foundation
import Notebook
import Tracing
import Vocabulary

extension Session {
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
        if let warning = workspace.settingsWarning { console.err(warning) }
        cachedWorkspace = nil
        if existed {
            console.out("Workspace \(workspace.root): language is now \(workspace.settings.language.rawValue).")
            return
        }
        let found = Workspace.locate(from: workingDirectory)?.root == workspace.root
        console.out("Started a workspace in \(workspace.root) (language: \(workspace.settings.language.rawValue)). "
                    + (found ? "'lessons next' shows the first exercise." : "cd \(Shell.quote(relative(workspace.root))), then 'lessons next' shows the first exercise."))
    }
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
