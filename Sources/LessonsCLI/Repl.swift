// The REPL, `lessons` with no arguments. On a terminal: GNU readline (history in the
// workspace, Tab completion), Ctrl-C cancels a line or stops a running program, Ctrl-D or
// `quit` leaves. Not on a terminal: one command per line from standard input, no prompts,
// so it can be scripted. Notebook cells: a line `c` or `swift` starts a snippet that ends
// with a line `.`; it is compiled and run traced at once.

import ArgumentParser
import Foundation
import Toolchain
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

extension Lessons {
    struct Repl: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "repl", abstract: "The interactive prompt (the default command).",
            discussion: "On a terminal it uses readline; otherwise it reads one command per line from standard input.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "ASCII only, no colour.") var plain = false
        init() {}

        func run() throws {
            let interactive = isatty(0) == 1 && isatty(1) == 1
            let session = Session(global, plain: plain)
            let shell = LessonShell(session: session, interactive: interactive, plain: plain)
            let status = shell.loop()
            if status != 0 { throw LessonsFailure("", exitCode: status) }
        }
    }
}

/// A notebook cell typed at the prompt.
struct Cell {
    var language: Language
    var code: String
}

final class LessonShell {
    let session: Session
    let interactive: Bool
    let plain: Bool
    var editor: LineEditor?
    var cells: [Cell] = []
    /// The exit status of the last command (the REPL's own status when scripted).
    var lastStatus: Int32 = 0

    static let commands = ["list", "next", "show", "hint", "check", "run", "trace", "edit", "reset", "progress", "init", "watch",
                           "help", "quit", "exit", "c", "swift", "cells", "recall", "predict"]

    init(session: Session, interactive: Bool, plain: Bool) {
        self.session = session
        self.interactive = interactive
        self.plain = plain
        if interactive { session.confirm = { [weak self] question in self?.ask(question) ?? false } }
        loadCells()
    }

    func loop() -> Int32 {
        if interactive {
            let history = (try? session.workspace(create: false))?.historyPath
            editor = LineEditor(historyPath: history, provider: { [weak self] before, word in self?.complete(before: before, word: word) })
            session.console.out(session.console.paint("lessons — 'next' shows what to do, 'help' lists commands, Ctrl-D quits.", .note))
        }
        while let line = readCommandLine() {
            if !execute(line) { break }
        }
        return lastStatus
    }

    private func prompt() -> String {
        var label = "lessons"
        if let workspace = try? session.workspace(create: false), let current = try? session.currentExercise(workspace) {
            label += " \(current.fullID)"
        }
        return label + "> "
    }

    /// The next line, or nil at end of input. Ctrl-C on an empty prompt just gives a new one.
    private func readCommandLine() -> String? {
        guard let editor else { return readLine(strippingNewline: true) }
        while true {
            switch editor.read(prompt: prompt()) {
            case .line(let line): return line
            case .interrupted: continue
            case .endOfInput: return nil
            }
        }
    }

    private func ask(_ question: String) -> Bool {
        guard let editor else { return false }
        if case .line(let answer) = editor.read(prompt: question) {
            return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
        }
        return false
    }

    /// Runs one line; false means leave.
    func execute(_ line: String) -> Bool {
        var words = LessonShell.split(line)
        // Messages say `lessons init`, and people paste commands whole: the word means nothing here.
        if words.first == "lessons", words.count > 1 { words.removeFirst() }
        guard let command = words.first else { return true }
        let rest = Array(words.dropFirst())
        interruptFlag = 0
        if ["quit", "exit", "q"].contains(command) { return false }
        do {
            lastStatus = 0
            switch command {
            case "help", "?":
                session.help()
            case "list":
                try session.list()
            case "next":
                try session.next()
                refreshHistoryPath()
            case "show":
                try session.show(rest.first)
            case "hint":
                try session.hint(rest.first)
            case "progress":
                try session.showProgress()
            case "check":
                let result = try session.check(rest.first)
                if result.status != .passed { lastStatus = 1 }
            case "run":
                let options = try Lessons.Run.parse(rest)
                try session.run(options.file, options: .init(all: options.all, plain: options.plain || plain, caseName: options.caseName, tty: options.tty))
            case "edit":
                try session.edit(rest.first)
            case "reset":
                let options = try Lessons.Reset.parse(rest)
                try session.reset(options.id, yes: options.yes)
            case "init":
                let options = try Lessons.Init.parse(rest)
                try session.initWorkspace(directory: options.directory, language: options.lang.flatMap { Language(rawValue: $0.lowercased()) })
                refreshHistoryPath()
            case "watch":
                try session.watch(stop: { interruptFlag != 0 })
            case "trace":
                // The tracer's own command, as `lessons trace … -- PROGRAM` would run it.
                let command = try Lessons.Trace.parse(rest)
                try command.run()
            case "c", "swift":
                guard let language = Language(rawValue: command) else { return true }
                guard let code = readCell() else { return true }
                cells.append(Cell(language: language, code: code))
                try session.runCell(language: language, code: code, number: cells.count,
                                    options: .init(plain: plain, tty: rest.contains("--tty")))
            case "cells":
                listCells()
            case "recall":
                try recall(rest)
            case "predict":  // predict-then-observe cells (Predict.swift)
                try PredictCommand(session: session, readLine: { [self] prompt in readAnswer(prompt) }).run(rest)
            default:
                let close = LessonShell.commands.filter { $0.hasPrefix(String(command.prefix(2))) }
                throw LessonsFailure.usage("unknown command '\(LessonShell.shown(command))'" + (close.isEmpty ? "; 'help' lists the commands" : "; did you mean \(close.joined(separator: ", "))?"))
            }
        } catch let failure as LessonsFailure {
            if !failure.message.isEmpty { session.console.err("lessons: \(failure.message)") }
            lastStatus = failure.exitCode
        } catch let error where ErrorText.isSystemError(error) {
            session.console.err("lessons: \(ErrorText.reason(error)); \(ErrorText.advice(error))")
            lastStatus = 3
        } catch {
            // ArgumentParser: a usage error or --help inside the REPL.
            let message = Lessons.fullMessage(for: error)
            let code = Lessons.exitCode(for: error)
            if code == .success {
                session.console.out(message)
            } else {
                session.console.err(message)
                lastStatus = 2
            }
        }
        if interruptFlag != 0 {
            interruptFlag = 0
            session.console.out(session.console.paint("(interrupted)", .note))
        }
        return true
    }

    /// The workspace may have just been created: keep history there from now on.
    private func refreshHistoryPath() {
        guard interactive, editor?.historyPath == nil, let workspace = try? session.workspace(create: false) else { return }
        editor = LineEditor(historyPath: workspace.historyPath, provider: { [weak self] before, word in self?.complete(before: before, word: word) })
    }

    // MARK: cells

    /// One line for `predict`: the line editor on a terminal, else standard input.
    private func readAnswer(_ prompt: String) -> String? {
        guard let editor else { return readLine(strippingNewline: true) }
        if case .line(let line) = editor.read(prompt: prompt) { return line }
        return nil
    }

    /// Lines up to a line `.` (or end of input); nil if cancelled with Ctrl-C.
    private func readCell() -> String? {
        var lines: [String] = []
        if interactive { session.console.out(session.console.paint("(end the cell with a line holding only '.')", .note)) }
        while true {
            if let editor {
                switch editor.read(prompt: "... ") {
                case .line(let line):
                    if line == "." { return lines.joined(separator: "\n") + "\n" }
                    lines.append(line)
                case .interrupted:
                    session.console.out("(cell cancelled)")
                    return nil
                case .endOfInput:
                    return lines.joined(separator: "\n") + "\n"
                }
            } else {
                guard let line = readLine(strippingNewline: true), line != "." else { return lines.joined(separator: "\n") + "\n" }
                lines.append(line)
            }
        }
    }

    private func loadCells() {
        guard let workspace = try? session.workspace(create: false),
              let names = try? FileManager.default.contentsOfDirectory(atPath: workspace.cellsDirectory) else { return }
        let numbered = names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("cell-"), let language = Language(fileName: name) else { return nil }
            let number = Int(name.dropFirst(5).prefix { $0.isNumber }) ?? 0
            return number > 0 ? (number, name + "|" + language.rawValue) : nil
        }.sorted { $0.0 < $1.0 }
        for (index, entry) in numbered.enumerated() where entry.0 == index + 1 {
            let parts = entry.1.split(separator: "|")
            let path = (workspace.cellsDirectory as NSString).appendingPathComponent(String(parts[0]))
            if let code = try? String(contentsOfFile: path, encoding: .utf8), let language = Language(rawValue: String(parts[1])) {
                cells.append(Cell(language: language, code: code))
            }
        }
    }

    private func listCells() {
        guard !cells.isEmpty else {
            session.console.out("No cells yet. Type 'c' or 'swift', then the code, then a line '.'.")
            return
        }
        for (index, cell) in cells.enumerated() {
            // A cell saved by an editor with CR LF line ends: CR LF is one Character, not "\n".
            let codeLines = cell.code.split { $0 == "\n" || $0 == "\r\n" }
            let first = codeLines.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.hasPrefix("#include") && !$0.hasPrefix("import") } ?? ""
            let lines = codeLines.count
            session.console.out("  \(index + 1)  \(cell.language.rawValue)  \(lines) line\(lines == 1 ? "" : "s")  \(first.trimmingCharacters(in: .whitespaces).prefix(50))")
        }
    }

    private func recall(_ arguments: [String]) throws {
        guard let text = arguments.first, let number = Int(text), number >= 1, number <= cells.count else {
            throw LessonsFailure.usage(cells.isEmpty ? "no cells yet" : "recall N, with N from 1 to \(cells.count) ('cells' lists them)")
        }
        var cell = cells[number - 1]
        if arguments.contains("--edit") || arguments.contains("edit") {
            guard let workspace = try? session.workspace(create: false) else {
                throw LessonsFailure.usage("editing a cell needs a workspace ('init' or 'next' first)")
            }
            let path = (workspace.cellsDirectory as NSString).appendingPathComponent("cell-\(number).\(cell.language.fileExtension)")
            if !FileManager.default.fileExists(atPath: path) { try AtomicWrite.write(Data(cell.code.utf8), to: path) }
            try session.editFile(path)
            cell.code = (try? String(contentsOfFile: path, encoding: .utf8)) ?? cell.code
            cells[number - 1] = cell
        } else {
            session.console.out(session.console.paint(cell.code, .note))
        }
        try session.runCell(language: cell.language, code: cell.code, number: number, options: .init(plain: plain))
    }

    // MARK: completion

    func complete(before: String, word: String) -> [String]? {
        let words = LessonShell.split(before)
        guard let command = words.first else { return LessonShell.commands }
        let ids = session.allExercises.map(\.fullID)
        switch command {
        case "show", "hint", "reset", "edit":
            return ids
        case "check", "run":
            return ids + readlineFileNames(word)
        case "trace":
            return nil
        case "init":
            return word.hasPrefix("-") ? ["--lang"] : (words.last == "--lang" ? ["c", "swift"] : readlineFileNames(word).filter { $0.hasSuffix("/") })
        case "recall":
            return cells.indices.map { String($0 + 1) }
        default:
            return []
        }
    }

    /// Words of a command line: spaces separate, '…' and "…" keep spaces.
    /// A word typed at the prompt, safe to echo in an error: control characters escaped, and
    /// cut at 40 characters (a pasted binary blob must not flood or garble the terminal).
    static func shown(_ word: String) -> String {
        var text = ""
        for scalar in word.unicodeScalars.prefix(40) {
            if scalar.properties.generalCategory == .control || scalar == "\u{FFFD}" {
                text += scalar.value < 0x100 ? String(format: "\\x%02x", scalar.value) : "?"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return word.unicodeScalars.count > 40 ? text + "…" : text
    }

    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for ch in line {
            if let q = quote {
                if ch == q { quote = nil } else { current.append(ch) }
            } else if ch == "'" || ch == "\"" {
                quote = ch
                inWord = true
            } else if ch == " " || ch == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(ch)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
