// run and cells: a learner's file, a lesson's example cell or a notebook cell compiled and run
// as a case runs in a check (Grading's CaseRunner), shown instead of judged: output, the
// trace after main, the memory picture.

import Foundation
import Grading
import MemoryPicture
import Notebook
import Sandbox
import Toolchain
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

extension Session {
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
        Sandbox.prepare()  // overlaps the compile
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
                                           presentation: .init(pinCPU: GradingCommandSupport.currentCPU(), terminalStdout: options.tty))
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

    func cutBlock(_ text: String, options: RunOptions, what: String) -> String {
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
}
