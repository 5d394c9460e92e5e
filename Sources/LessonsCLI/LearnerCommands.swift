// The learner's subcommands. Each is a thin wrapper over the same `Session` method the REPL
// calls, so `lessons next` and `next` at the prompt are one implementation.

import ArgumentParser
import Toolchain
import Vocabulary

extension Lessons {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Lessons and exercises, with your progress.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "ASCII only.") var plain = false
        init() {}
        func run() throws { try Session(global, plain: plain).list() }
    }

    struct Next: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "next", abstract: "The first unsolved exercise: what to do and the file to edit (starts a workspace on first use).",
            discussion: "A first 'next' starts the workspace here if this folder is empty, else in ./lessons-work; inside a source tree (a Package.swift, .git, Makefile… here or above) it starts none and says to run 'lessons init'.")
        @OptionGroup var global: GlobalOptions
        init() {}
        func run() throws { try Session(global).next() }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "An exercise's statement (default: the current one).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("LESSON/EXERCISE", valueName: "ID")) var id: String?
        init() {}
        func run() throws { try Session(global).show(id) }
    }

    struct Hint: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "hint", abstract: "The next hint of an exercise (default: the current one).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("LESSON/EXERCISE", valueName: "ID")) var id: String?
        init() {}
        func run() throws { try Session(global).hint(id) }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Compile and run a file traced: its output, its events after main, and the memory picture.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("A file, LESSON/EXERCISE, or LESSON/CELL (one of a lesson's example cells) (default: the current exercise).", valueName: "FILE")) var file: String?
        @Option(name: .customLong("case"), help: "Which of the exercise's cases to run (default: the first).") var caseName: String?
        @Flag(help: "Show everything, never cut.") var all = false
        @Flag(help: "ASCII only.") var plain = false
        @Flag(help: "Give the program a pseudo-terminal as standard output, as at a shell prompt (checks always use a pipe).") var tty = false
        init() {}
        func run() throws {
            try Session(global, plain: plain).run(file, options: .init(all: all, plain: plain, caseName: caseName, tty: tty))
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "edit", abstract: "Open an exercise's file in $VISUAL or $EDITOR (default: the current one).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("LESSON/EXERCISE", valueName: "ID")) var id: String?
        init() {}
        func run() throws { try Session(global).edit(id) }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "reset", abstract: "Put an exercise's starter back (your file is kept as a backup).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("LESSON/EXERCISE", valueName: "ID")) var id: String?
        @Flag(help: "Do not ask.") var yes = false
        init() {}
        func run() throws {
            let session = Session(global)
            if isatty(0) == 1 { session.confirm = Prompt.confirm }
            try session.reset(id, yes: yes)
        }
    }

    struct ShowProgress: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "progress", abstract: "What you have solved.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "ASCII only.") var plain = false
        init() {}
        func run() throws { try Session(global, plain: plain).showProgress() }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init", abstract: "Start a workspace in DIR (default: ./lessons-work, or here if this folder is empty), or change its language.",
            discussion: "Without DIR, inside a workspace (or beside ./lessons-work) it changes that workspace. --lang takes a programming language (c, swift) or a text language (en, ko).")
        @Option(name: .long, help: ArgumentHelp("The lesson pack to use.", valueName: "DIR")) var lessons: String?
        @Option(name: .long, help: ArgumentHelp("c or swift: the language of your files (en or ko: of lesson text).", valueName: "LANG")) var lang: String?
        @Argument(help: ArgumentHelp("The workspace directory (default: ./lessons-work, or the current one if it is empty).", valueName: "DIR"),
                  completion: .directory) var directory: String?
        init() {}

        func validate() throws {
            if let lang, !["c", "swift", "en", "ko"].contains(lang.lowercased()) {
                throw ValidationError("--lang takes c or swift (or en, ko for lesson text), not '\(lang)'")
            }
        }

        func run() throws {
            let language = lang.flatMap { Language(rawValue: $0.lowercased()) }
            let text = lang.flatMap { ["en", "ko"].contains($0.lowercased()) ? $0 : nil }
            try Session(lessons: lessons, lang: text, console: .forTerminal()).initWorkspace(directory: directory, language: language)
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Asking a yes/no question on the terminal.
enum Prompt {
    static func confirm(_ question: String) -> Bool {
        FileHandleOutput.standardOutput.write(question)
        guard let answer = readLine() else { return false }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }
}

import Foundation
