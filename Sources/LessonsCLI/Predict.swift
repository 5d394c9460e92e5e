// Predict-then-observe: the REPL's `predict [LESSON/]CELL` asks the cell's ```predict```
// question, reads the learner's answer, runs the cell traced, scores the answer against the
// real trace and shows the difference (Notebook/PredictCell.swift has the block format).

import Foundation
import Grading
import Notebook
import Sandbox
import Syscalls
import Toolchain

/// The score of one prediction: 0…1, the observed answer and the lines showing the difference.
struct PredictionScore: Equatable {
    var score: Double
    var observed: String
    var lines: [String]
    var exact: Bool { score >= 1 }
}

enum PredictionScoring {
    /// The system calls of the first process after `main`.
    static func callsAfterMain(_ run: ProgramRun) -> [SyscallEvent] {
        run.events.filter { $0.phase == .program && $0.processID == run.rootPid }.compactMap(\.syscall)
    }

    /// Scores `answer` (what the learner typed) for `prediction` against `run`; nil with a
    /// message when the answer cannot be read (not a number, …).
    static func score(_ prediction: Prediction, answer: String, run: ProgramRun) -> Result<PredictionScore, PredictionInputError> {
        let calls = callsAfterMain(run)
        switch prediction.answer {
        case .count(let name):
            guard let guess = Int(answer.trimmingCharacters(in: .whitespaces)), guess >= 0 else {
                return .failure(PredictionInputError(message: "answer with a whole number (how many \(name) calls)"))
            }
            let matching = calls.filter { $0.name == name }
            let actual = matching.count
            let score = actual == guess ? 1 : max(0, 1 - Double(abs(actual - guess)) / Double(max(actual, guess, 1)))
            var lines = ["you predicted \(guess), the trace has \(actual) \(name) call\(actual == 1 ? "" : "s") after main"
                         + (actual == guess ? "" : " (\(guess > actual ? "\(guess - actual) fewer" : "\(actual - guess) more") than you thought)")]
            lines += matching.prefix(12).map { "  " + StraceFormat.call($0) }
            if matching.count > 12 { lines.append("  … \(matching.count - 12) more") }
            return .success(PredictionScore(score: score, observed: String(actual), lines: lines))
        case .argument(let name, let occurrence, let index):
            guard let guess = parseNumber(answer) else {
                return .failure(PredictionInputError(message: "answer with a number: 135168, 0x21000, 132KiB or 132K"))
            }
            let matching = calls.filter { $0.name == name }
            guard matching.count >= occurrence else {
                return .success(PredictionScore(score: 0, observed: "none", lines: [
                    "the trace has \(matching.count) \(name) call\(matching.count == 1 ? "" : "s") after main, not \(occurrence): nothing to compare with"]))
            }
            let call = matching[occurrence - 1]
            let actual = index <= call.arguments.count ? call.arguments[index - 1] : 0
            let difference = guess > actual ? guess - actual : actual - guess
            let score = difference == 0 ? 1 : max(0, 1 - Double(difference) / Double(max(actual, guess, 1)))
            var lines = ["  " + StraceFormat.call(call)]
            let ordinal = occurrence == 1 ? "the first" : "call \(occurrence) of"
            lines.append("argument \(index) of \(ordinal) \(name) is \(actual) (0x\(String(actual, radix: 16))); you predicted \(guess)"
                         + (difference == 0 ? "" : ", off by \(difference)\(difference % 4096 == 0 && difference > 0 ? " (\(difference / 4096) page\(difference == 4096 ? "" : "s"))" : "")"))
            return .success(PredictionScore(score: score, observed: String(actual), lines: lines))
        case .calls(let only):
            let predicted = answer.split(separator: "\n").map { callName(String($0)) }.filter { !$0.isEmpty }
            let actual = calls.map(\.name).filter { only.isEmpty || only.contains($0) }
            let diff = lineDiff(predicted, actual)
            let common = diff.filter { $0.hasPrefix("  ") }.count
            let score = Double(common) / Double(max(predicted.count, actual.count, 1))
            let which = only.isEmpty ? "calls" : only.joined(separator: "/") + " calls"
            var lines = ["\(common) of the \(actual.count) \(which) after main in the order you predicted them"
                         + (predicted.count > common ? "; \(predicted.count - common) predicted call\(predicted.count - common == 1 ? "" : "s") did not happen" : "")]
            lines.append("(  = as predicted, + happened but not predicted, - predicted but did not happen)")
            lines += diff
            return .success(PredictionScore(score: score, observed: actual.joined(separator: "\n"), lines: lines))
        }
    }

    /// `mmap`, from `mmap`, `mmap(NULL, 4096, …) = 0x…` or `  brk  `.
    static func callName(_ line: String) -> String {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return String(trimmed.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
    }

    /// 135168, 0x21000, 132KiB, 132K, 1MiB, 1M (binary units).
    static func parseNumber(_ text: String) -> UInt64? {
        var word = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
        if word.lowercased().hasPrefix("0x") { return UInt64(word.dropFirst(2), radix: 16) }
        var scale: UInt64 = 1
        for (suffix, factor) in [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30)]
        where word.uppercased().hasSuffix(suffix.uppercased()) {
            word = String(word.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            scale = UInt64(factor)
            break
        }
        guard let value = UInt64(word) else { return nil }
        return value.multipliedReportingOverflow(by: scale).overflow ? nil : value * scale
    }

    /// A longest-common-subsequence diff of two name lists: "  x" common, "- x" only predicted,
    /// "+ x" only observed.
    static func lineDiff(_ predicted: [String], _ actual: [String]) -> [String] {
        let n = predicted.count, m = actual.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = predicted[i] == actual[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var out: [String] = []
        var i = 0, j = 0
        while i < n || j < m {
            if i < n, j < m, predicted[i] == actual[j] {
                out.append("  " + actual[j]); i += 1; j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                out.append("- " + predicted[i]); i += 1
            } else {
                out.append("+ " + actual[j]); j += 1
            }
        }
        return out
    }
}

struct PredictionInputError: Error { var message: String }

/// The REPL command.
struct PredictCommand {
    let session: Session
    /// Reads one line at a prompt; nil at end of input or when cancelled.
    let readLine: (String) -> String?

    func run(_ arguments: [String]) throws {
        let console = session.console
        let language = session.textLanguage
        let pack = try session.pack()
        var candidates: [(Lesson, ExampleCell)] = []
        for lesson in pack.lessons {
            for case .cell(let cell) in lesson.blocks where cell.predict != nil { candidates.append((lesson, cell)) }
        }
        guard let wanted = arguments.first else {
            guard !candidates.isEmpty else { console.out("No lesson has a prediction cell."); return }
            console.out("Cells that ask for a prediction ('predict LESSON/CELL' runs one):")
            for (lesson, cell) in candidates {
                console.out("  \(lesson.id)/\(cell.name)  \(cell.predict!.question.text(language))")
            }
            return
        }
        let parts = wanted.split(separator: "/").map(String.init)
        let matches = candidates.filter { parts.count == 2 ? ($0.0.id == parts[0] && $0.1.name == parts[1]) : $0.1.name == parts[0] }
        guard matches.count == 1, let (lesson, cell) = matches.first, let prediction = cell.predict else {
            let names = candidates.map { "\($0.0.id)/\($0.1.name)" }.joined(separator: ", ")
            throw LessonsFailure.usage(matches.count > 1 ? "several lessons have a cell '\(wanted)': name it LESSON/CELL"
                                                         : "no prediction cell '\(wanted)'" + (names.isEmpty ? "" : "; cells with a prediction: \(names)"))
        }

        console.out(console.paint("\(lesson.id)/\(cell.name) (\(cell.language.rawValue))", .bold))
        console.out(console.paint(cell.code.hasSuffix("\n") ? String(cell.code.dropLast()) : cell.code, .note))
        let question = console.prose("Predict: " + prediction.question.text(language))
        console.out(console.paint("Predict: ", .accent) + question.dropFirst("Predict: ".count))
        var answer: String
        switch prediction.answer {
        case .calls:
            console.out(console.paint("(one call per line, then a line holding only '.')", .note))
            var lines: [String] = []
            while let line = readLine("... "), line != "." { lines.append(line) }
            answer = lines.joined(separator: "\n")
        default:
            guard let line = readLine("your prediction: ") else { console.out("(no prediction: nothing run)"); return }
            answer = line
        }
        if case .failure(let problem) = PredictionScoring.score(prediction, answer: answer, run: ProgramRun(events: [], rootPid: 0, exit: nil)) {
            // Ask once more for a readable answer (a count or a number).
            console.out(console.paint(problem.message, .bad))
            guard let again = readLine("your prediction: ") else { return }
            answer = again
        }

        let run = try runCell(cell, lesson: lesson)
        console.out(session.report(run, options: .init(plain: !console.unicode)))
        switch PredictionScoring.score(prediction, answer: answer, run: run.outcome.run) {
        case .failure(let problem):
            throw LessonsFailure.usage(problem.message)
        case .success(let result):
            console.out(console.paint(console.mark("── your prediction ──", "-- your prediction --"), .bold))
            for line in result.lines { console.out(line) }
            let percent = Int((result.score * 100).rounded())
            console.out(result.exact
                        ? console.paint("\(console.mark("✓", "OK")) exactly right", .good)
                        : console.paint("score \(percent)%", percent >= 50 ? .accent : .bad))
            if let note = prediction.note { console.out(console.prose(note.text(language))) }
        }
    }

    /// Compiles the cell and runs it traced in the sandbox, as lint and verify run it.
    private func runCell(_ cell: ExampleCell, lesson: Lesson) throws -> SandboxedRun {
        let directory = (NSTemporaryDirectory() as NSString).appendingPathComponent("lessons-predict-\(getuid())")
        switch CellRunner.run(cell, lessonID: lesson.id, scratch: directory, pinCPU: GradingCommandSupport.currentCPU()).outcome {
        case .success(let run): return run
        case .failure(let failure):
            throw LessonsFailure.internalError("the lesson's cell \(lesson.id)/\(cell.name) (\(cell.location)): \(failure)")
        }
    }
}
