// `lessons record [LESSON]`, for authors: runs a lesson's example cells and writes what each
// really printed into its ```trace``` block, and where (`recorded: glibc 2.36, Linux 6.18,
// x86_64` in the front matter). Nothing else in the file changes. Claims are not rewritten:
// they are the author's statements; the ones that do not hold on this run are reported.

import Foundation
import Notebook
import Toolchain
import Vocabulary

package struct RecordedLesson: Sendable {
    package var lessonID: String
    package var file: String
    package var platform: RecordingPlatform
    /// Trace blocks rewritten (whether or not their text changed).
    package var tracesRecorded: Int
    /// Trace blocks whose text changed beyond addresses, random bytes and pids.
    package var tracesChanged: Int
    /// Cells that could not be run, and claims that do not hold on this run: for the author.
    package var problems: [LintProblem]
}

package enum LessonRecorder {
    /// Re-records the trace blocks of `lessons` (every lesson when `only` is nil).
    package static func record(_ lessons: [Lesson], jobs: Int, language: String = "en") throws -> [RecordedLesson] {
        var results: [RecordedLesson] = []
        for lesson in lessons {
            let cells = lesson.blocks.compactMap { block -> (lessonID: String, cell: ExampleCell)? in
                if case .cell(let cell) = block { return (lesson.id, cell) }
                return nil
            }
            let runs = CellRunner.runAll(cells, jobs: jobs)
            let recordingLanguage: Language = cells.contains { $0.cell.language == .c } ? .c : .swift
            let platform = PlatformProbe.current(for: recordingLanguage)
            var replacements: [(range: ClosedRange<Int>, lines: [String])] = []
            var problems: [LintProblem] = []
            var changed = 0
            for run in runs {
                let verdict = CellJudge.judge(run, language: language)
                switch run.outcome {
                case .failure(let failure):
                    problems.append(LintProblem(location: run.cell.location, message: "cell '\(run.cell.name)' not recorded: \(failure)"))
                    continue
                case .success(let sandboxed):
                    if let trace = run.cell.trace {
                        let lines = CellRunner.traceLines(sandboxed.outcome.run, startup: trace.startup)
                        replacements.append((trace.fenceLines, lines))
                        if TraceComparison.compare(recorded: trace.lines, actual: lines) != nil { changed += 1 }
                    }
                }
                for (block, result) in verdict.claims {
                    switch result {
                    case .holds: break
                    case .broken(let problem): problems.append(problem)
                    case .fails(let failures):
                        for failure in failures {
                            problems.append(LintProblem(location: SourceLocation(file: block.location.file, line: failure.line),
                                message: "claim about cell '\(run.cell.name)' does not hold on this run: `\(failure.expectation)`: \(CellJudge.lessonWording(failure.explanation, language: language))"))
                        }
                    }
                }
            }
            try rewrite(lesson.file, replacements: replacements, platform: platform)
            results.append(RecordedLesson(lessonID: lesson.id, file: lesson.file, platform: platform,
                                          tracesRecorded: replacements.count, tracesChanged: changed, problems: problems))
        }
        return results
    }

    /// Replaces the content of each trace block (between its fence lines) and the front
    /// matter's `recorded:` line, and writes the file atomically.
    static func rewrite(_ file: String, replacements: [(range: ClosedRange<Int>, lines: [String])], platform: RecordingPlatform) throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CellRunFailure(description: "\(file): cannot read the lesson file to record into it; check its permissions")
        }
        // Split as the parser split it (the replacements are its line numbers); written back
        // with the file's own line ends and byte order mark, so a CR LF file stays one.
        var layout = LessonText(String(decoding: data, as: UTF8.self))
        var lines = layout.lines
        for (range, content) in replacements.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            // 1-based fence lines: the content is lines[lower ..< upper - 1] (0-based).
            let start = range.lowerBound, end = range.upperBound - 1
            guard start <= end, end <= lines.count else { continue }
            lines.replaceSubrange(start..<end, with: content)
        }
        let entry = "recorded: \(platform)"
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---",
           let close = lines.indices.dropFirst().first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "---" }) {
            if let existing = (1..<close).first(where: { lines[$0].hasPrefix("recorded:") }) {
                lines[existing] = entry
            } else {
                lines.insert(entry, at: close)
            }
        }
        layout.lines = lines
        let text = layout.text
        let temporary = file + ".recording-\(getpid())"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, file) != 0 { throw CellRunFailure(description: String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CellRunFailure(description: "\(file): cannot write the recorded traces (\(error)); nothing was changed")
        }
    }
}
