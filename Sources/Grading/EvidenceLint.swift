// The part of `lessons lint` that holds a lesson's text to the truth: every example cell is
// run, its ```trace``` block compared with the real trace and its ```claim``` blocks matched,
// and every number the prose states must be checked by one of them or marked as not
// machine-checked (ProseFacts.swift). On a machine other than the one a lesson was recorded
// on (another C library or processor), traces and claims are not held against it: they are
// counted, and `lessons verify` says which hold there.

import Foundation
import Notebook
import Toolchain

/// What the evidence part of lint found.
package struct EvidenceSummary: Sendable {
    package var problems: [LintProblem] = []
    package var cells = 0
    package var tracesCompared = 0
    package var claimsChecked = 0
    /// Trace blocks and claims of lessons recorded elsewhere, not held against this machine.
    package var notCompared = 0
    /// One line per lesson recorded elsewhere: what differs.
    package var notes: [String] = []
    /// Every numeric fact of the pack's prose.
    package var facts: [ProseFact] = []
    /// Facts neither checked nor marked in lessons that do not hold themselves to their text
    /// yet (no `recorded:` line): listed, not problems, so that a pack written before trace
    /// and claim blocks still lints as it did.
    package var warnings: [LintProblem] = []

    package var factsChecked: Int { facts.filter { $0.status == .checked }.count }
    package var factsMarked: [ProseFact] { facts.filter { if case .marked = $0.status { return true } else { return false } } }
}

package enum EvidenceLint {
    package static func check(_ lessons: [Lesson], jobs: Int, language: String = "en") -> EvidenceSummary {
        var summary = EvidenceSummary()
        let cells = lessons.flatMap { lesson in
            lesson.blocks.compactMap { block -> (lessonID: String, cell: ExampleCell)? in
                if case .cell(let cell) = block { return (lesson.id, cell) }
                return nil
            }
        }
        let byID = Dictionary(lessons.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        summary.cells = cells.count
        for run in CellRunner.runAll(cells, jobs: jobs) {
            guard let lesson = byID[run.lessonID] else { continue }
            let here = PlatformProbe.current(for: run.cell.language)
            let strict = lesson.recorded.map { $0.tracesComparable(on: here) } ?? true
            let verdict = CellJudge.judge(run, language: language)
            let where_ = run.cell.location
            for (_, result) in verdict.claims {
                if case .broken(let problem) = result { summary.problems.append(problem) }
            }
            guard strict else {
                summary.notCompared += (run.cell.trace == nil ? 0 : 1) + run.cell.claims.count
                continue
            }
            if case .failure(let failure) = run.outcome {
                summary.problems.append(LintProblem(location: where_, message: "cell '\(run.cell.name)': \(failure)"))
                continue
            }
            if case .differs(let difference)? = verdict.trace, let trace = run.cell.trace {
                summary.problems.append(LintProblem(location: trace.location, message: describe(difference, cell: run.cell.name)))
            }
            if run.cell.trace != nil { summary.tracesCompared += 1 }
            for (block, result) in verdict.claims {
                summary.claimsChecked += 1
                guard case .fails(let failures) = result else { continue }
                for failure in failures {
                    summary.problems.append(LintProblem(location: SourceLocation(file: block.location.file, line: failure.line),
                        message: "claim about cell '\(run.cell.name)' does not hold: `\(failure.expectation)`: \(CellJudge.lessonWording(failure.explanation, language: language))"
                            + (failure.nearest.map { " (nearest: \($0))" } ?? "")))
                }
            }
        }
        for lesson in lessons {
            let hasEvidence = lesson.blocks.contains { if case .cell(let cell) = $0 { return cell.trace != nil || !cell.claims.isEmpty } else { return false } }
            if let recorded = lesson.recorded {
                let languages = Set(lesson.blocks.compactMap { if case .cell(let cell) = $0 { return cell.language } else { return nil } })
                for language in languages.sorted(by: { $0.rawValue < $1.rawValue }) {
                    let here = PlatformProbe.current(for: language)
                    if !recorded.tracesComparable(on: here) {
                        summary.notes.append("\(lesson.id): recorded on \(recorded); \(language.rawValue) programs here run on \(here): its \(language.rawValue) traces and claims were not compared ('lessons verify \(lesson.id)' says which hold here)")
                    }
                }
            } else if hasEvidence {
                summary.problems.append(LintProblem(location: SourceLocation(file: lesson.file, line: 1),
                    message: "this lesson has trace or claim blocks but no 'recorded:' line in its front matter: run 'lessons record \(lesson.id)' to record where its traces come from"))
            }
            for case .cell(let cell) in lesson.blocks where cell.trace?.lines.isEmpty == true {
                summary.problems.append(LintProblem(location: cell.trace!.location, message: "the trace block of cell '\(cell.name)' is empty: run 'lessons record \(lesson.id)' to fill it"))
            }
            guard let data = FileManager.default.contents(atPath: lesson.file) else { continue }
            let facts = ProseFacts.scan(String(decoding: data, as: UTF8.self), lesson: lesson, comparedTrace: TraceComparison.normalize)
            summary.facts += facts
            for fact in facts where fact.status == .unchecked {
                let problem = LintProblem(location: fact.location,
                    message: "this sentence states \(fact.unchecked.joined(separator: ", ")), which no claim, trace or code of its section checks: add a claim after the cell it is about, or mark the paragraph <!-- not checked: REASON -->: \"\(excerpt(fact.sentence))\"")
                if lesson.recorded != nil { summary.problems.append(problem) } else { summary.warnings.append(problem) }
            }
        }
        return summary
    }

    /// The first difference between a trace block and the run, for the author.
    static func describe(_ difference: TraceComparison.Difference, cell: String) -> String {
        let line = difference.line + 1
        let counts = "(the block has \(difference.recordedCount) lines, the run printed \(difference.actualCount))"
        switch (difference.recorded, difference.actual) {
        case (let recorded?, let actual?):
            return "the trace block of cell '\(cell)' differs from a real run at its line \(line): the block says `\(recorded)`, the run printed `\(actual)` \(counts); if the run is right, 'lessons record' re-records it"
        case (let recorded?, nil):
            return "the trace block of cell '\(cell)' has more lines than a real run: from its line \(line) (`\(recorded)`) the run printed nothing \(counts)"
        case (nil, let actual?):
            return "a real run of cell '\(cell)' printed more than its trace block: after the block's \(line - 1) lines it printed `\(actual)` \(counts)"
        case (nil, nil):
            return "the trace block of cell '\(cell)' differs from a real run \(counts)"
        }
    }

    package static func excerpt(_ sentence: String) -> String {
        sentence.count <= 100 ? sentence : String(sentence.prefix(97)) + "…"
    }
}
