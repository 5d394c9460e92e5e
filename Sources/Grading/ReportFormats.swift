// Every output format of `lessons grade`, rendered from one `GradeReport`.
// Instructor formats (text, json, csv) show everything; student-facing ones (junit,
// gradescope, feedback files) say only that a hidden check failed, never what it checks.

import Foundation
import Sandbox

public enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, csv, junit, gradescope
}

public enum ReportRenderer {
    // MARK: json
    public static func json(_ report: GradeReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    public static func decode(_ data: Data) throws -> GradeReport {
        try JSONDecoder().decode(GradeReport.self, from: data)
    }

    // MARK: text
    /// Columns a text report's students × exercises table may take; wider classes (a whole
    /// course's 20 exercises) get a student table and an exercise table instead.
    public static let textTableWidth = 120

    /// A students × exercises table, then totals, internal errors and notes.
    public static func text(_ report: GradeReport) -> String {
        let header = ["student"] + report.exercises.map(\.id) + ["score"]
        var rows: [[String]] = report.students.map { student in
            [student.id] + student.exercises.map(cell) + ["\(student.score)/\(student.maxScore)"]
        }
        let passedCounts = report.exercises.indices.map { column in
            report.students.filter { $0.exercises[column].status == .passed }.count
        }
        rows.append(["passed"] + passedCounts.map { "\($0)/\(report.students.count)" } + ["\(report.totals.score)/\(report.totals.maxScore)"])
        let wide = table(header: header, rows: rows)
        var out: String
        if wide.split(separator: "\n").allSatisfy({ cellWidth(String($0)) <= textTableWidth }) {
            out = wide
        } else {
            // One line per student (only what did not pass), then one per exercise.
            let students = report.students.map { student -> [String] in
                let missed = student.exercises.filter { $0.status != .passed }.map { "\($0.exercise) \($0.status.rawValue)" }
                let passed = student.exercises.count - missed.count
                return [student.id, "\(student.score)/\(student.maxScore)", "\(passed)/\(student.exercises.count)",
                        missed.isEmpty ? "-" : missed.joined(separator: ", ")]
            } + [["all", "\(report.totals.score)/\(report.totals.maxScore)", "", ""]]  // the class's total
            out = table(header: ["student", "score", "passed", "not passed"], rows: students)
            let exercises = report.exercises.indices.map { column in
                [report.exercises[column].id, "\(passedCounts[column])/\(report.students.count)"]
            }
            let allPassed = "\(report.totals.statuses[Status.passed.rawValue] ?? 0)/\(report.students.count * report.exercises.count)"
            out += table(header: ["exercise", "passed"], rows: exercises + [["all", allPassed]])
        }
        let counts = Status.allCases.compactMap { status -> String? in
            let count = report.totals.statuses[status.rawValue] ?? 0
            return count > 0 ? "\(count) \(status.rawValue)" : nil
        }
        out += "\(report.totals.students) student\(report.totals.students == 1 ? "" : "s"), \(report.exercises.count) exercise\(report.exercises.count == 1 ? "" : "s"): \(counts.isEmpty ? "nothing graded" : counts.joined(separator: ", "))\n"
        if let shard = report.shard { out += "shard \(shard.index)/\(shard.count) of the class\n" }
        if let partial = report.partial {
            out += "partial report: \(partial.studentsGraded) of \(partial.students) students graded so far (grading was still running; run the same command to finish)\n"
        }
        if !report.internalErrors.isEmpty {
            out += "\ninternal errors (the tool's fault, not scored; grade again to retry):\n"
            for error in report.internalErrors {
                out += "  \(error.student) \(error.exercise): \(error.notes.joined(separator: "; "))\n"
            }
        }
        var details: [String] = []
        for student in report.students {
            for result in student.exercises where ![.passed, .missing, .internalError].contains(result.status) {
                var block = "\(student.id) \(result.exercise): \(result.status.rawValue)\n"
                if result.status == .compileError {
                    block += CheckText.indent(firstLines(result.diagnostics, 6)) + "\n"
                }
                for item in result.cases where item.status != .passed {
                    block += "  case \(item.name): \(item.status.rawValue)\n"
                    if !item.explanation.isEmpty { block += CheckText.indent(item.explanation, by: "    ") + "\n" }
                }
                details.append(block)
            }
            for note in student.notes + student.exercises.flatMap({ $0.status == .missing ? $0.notes : [] }) {
                details.append("\(student.id): \(note)\n")
            }
        }
        if !details.isEmpty { out += "\ndetails:\n" + details.joined() }
        return out
    }

    /// Aligned columns: header, rule, rows, rule, the last row (a total), and an empty line.
    static func table(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { cellWidth($0[column]) }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element + String(repeating: " ", count: max(0, widths[$0.offset] - cellWidth($0.element))) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let rule = line(widths.map { String(repeating: "-", count: $0) })
        var out = line(header) + "\n" + rule + "\n"
        for row in rows.dropLast() { out += line(row) + "\n" }
        if let total = rows.last { out += rule + "\n" + line(total) + "\n" }
        return out + "\n"
    }

    /// Terminal cells a text takes: East Asian wide and fullwidth characters (Hangul, CJK,
    /// fullwidth forms, most emoji) take two, combining marks and zero-width characters none.
    public static func cellWidth(_ text: String) -> Int {
        var width = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .format: continue
            default: break
            }
            if v == 0x200B { continue }
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
                || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
                || (0xA960...0xA97F).contains(v) || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v)
                || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
                || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
            width += wide ? 2 : 1
        }
        return width
    }

    /// Why `data` is not a report, in one line: `not valid JSON (line N)`, or what is missing.
    public static func decodingProblem(_ error: Error, data: Data) -> String {
        if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) == nil {
            return "not valid JSON (line \(errorLine(in: data, error: error)))"
        }
        guard let decoding = error as? DecodingError else { return "not a lessons grade JSON report" }
        func path(_ keys: [CodingKey]) -> String {
            keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "not a lessons grade JSON report ('\(key.stringValue)' missing at \(path(context.codingPath)))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "not a lessons grade JSON report (unexpected value at \(path(context.codingPath)))"
        @unknown default:
            return "not a lessons grade JSON report"
        }
    }

    /// The line of the first JSON syntax error: from the parser's message when it says, else
    /// the line where the text stops being JSON-like is unknown, so line 1.
    static func errorLine(in data: Data, error: Error) -> Int {
        var texts = [String(describing: error)]
        if case .dataCorrupted(let context)? = error as? DecodingError {
            texts.append(context.debugDescription)
            if let underlying = context.underlyingError { texts.append(String(describing: underlying)) }
        }
        do { _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch {
            texts.append(String(describing: error))
            texts.append((error as NSError).userInfo.values.map { "\($0)" }.joined(separator: " "))
        }
        for text in texts {
            if let range = text.range(of: #"line ([0-9]+)"#, options: .regularExpression),
               let number = Int(text[range].dropFirst(5)) { return number }
        }
        // The parser did not say: the byte offset it names, else the start.
        for text in texts {
            if let range = text.range(of: #"(character|offset) ([0-9]+)"#, options: .regularExpression),
               let offset = Int(text[range].split(separator: " ").last ?? "") {
                return 1 + data.prefix(offset).filter { $0 == 0x0A }.count
            }
        }
        return 1
    }

    static func cell(_ result: ExerciseResult) -> String {
        switch result.status {
        case .passed: return "✓ \(result.score)/\(result.maxScore)"
        default: return "✗ \(result.status.rawValue)"
        }
    }

    static func firstLines(_ text: String, _ count: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.prefix(count).joined(separator: "\n") + (lines.count > count ? "\n…" : "")
    }

    // MARK: csv
    /// `student,exercise,status,score,max_score`, RFC 4180 quoting.
    public static func csv(_ report: GradeReport) -> String {
        var out = "student,exercise,status,score,max_score\r\n"
        for student in report.students {
            for result in student.exercises {
                out += [student.id, result.exercise, result.status.rawValue, String(result.score), String(result.maxScore)]
                    .map(csvField).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    static func csvField(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: junit
    /// One testsuite per student, one testcase per exercise; the learner's explanation as the
    /// failure message (CI pages are often visible to students, so hidden checks stay hidden).
    public static func junit(_ report: GradeReport, language: String = "en") -> String {
        func count(_ student: GradeReport.Student, _ statuses: Set<Status>) -> Int {
            student.exercises.filter { statuses.contains($0.status) }.count
        }
        let failing: Set<Status> = Set(Status.allCases).subtracting([.passed, .internalError])
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let allTests = report.students.reduce(0) { $0 + $1.exercises.count }
        let allFailures = report.students.reduce(0) { $0 + count($1, failing) }
        let allErrors = report.students.reduce(0) { $0 + count($1, [.internalError]) }
        let allTime = report.students.reduce(0.0) { $0 + $1.exercises.reduce(0.0) { $0 + $1.seconds } }
        out += "<testsuites name=\"lessons grade\" tests=\"\(allTests)\" failures=\"\(allFailures)\" errors=\"\(allErrors)\" time=\"\(seconds(allTime))\">\n"
        for student in report.students {
            let time = student.exercises.reduce(0.0) { $0 + $1.seconds }
            out += "  <testsuite name=\"\(xml(student.id))\" tests=\"\(student.exercises.count)\" failures=\"\(count(student, failing))\" errors=\"\(count(student, [.internalError]))\" skipped=\"0\" time=\"\(seconds(time))\">\n"
            for result in student.exercises.map(\.learnerView) {
                let open = "    <testcase name=\"\(xml(result.exercise))\" classname=\"\(xml(student.id))\" time=\"\(seconds(result.seconds))\""
                switch result.status {
                case .passed:
                    out += open + "/>\n"
                case .internalError:
                    out += open + ">\n      <error message=\"\(xml(Words(language).internalError))\" type=\"internal-error\"/>\n    </testcase>\n"
                default:
                    let message = summary(result)
                    out += open + ">\n      <failure message=\"\(xml(message))\" type=\"\(result.status.rawValue)\">\(xml(learnerDetail(result, language: language)))</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// One line for a failure: the first thing that went wrong.
    static func summary(_ result: ExerciseResult) -> String {
        switch result.status {
        case .compileError: return "compile error: " + (result.diagnostics.split(separator: "\n").first.map(String.init) ?? "")
        case .missing: return result.feedback
        default:
            let failed = result.cases.first { $0.status != .passed }
            let first = failed?.explanation.split(separator: "\n").first.map(String.init) ?? result.status.rawValue
            return "case \(failed?.name ?? "?"): \(first)"
        }
    }

    /// Everything a learner may see of a result, as plain text.
    public static func learnerDetail(_ result: ExerciseResult, language: String = "en") -> String {
        let words = Words(language)
        let view = result.learnerView
        var out = ""
        switch view.status {
        case .compileError: out += words.didNotCompile + "\n" + view.diagnostics + "\n"
        case .missing, .internalError: out += view.feedback + "\n"
        default:
            for item in view.cases {
                out += "\(item.status == .passed ? "✓" : "✗") case \(item.name): \(item.status.rawValue)\n"
                if item.status == .passed { continue }
                if !item.explanation.isEmpty { out += CheckText.indent(item.explanation) + "\n" }
                if !item.trace.isEmpty { out += "  \(words.traceAfterMain)\n" + item.trace.map { "    " + $0 }.joined(separator: "\n") + "\n" }
            }
            if view.status != .passed { out += words.runHint(view.exercise) + "\n" }
        }
        return out
    }

    static func seconds(_ value: Double) -> String { String(format: "%.3f", value) }

    /// XML text or attribute: escaped, and without the control characters XML 1.0 forbids.
    static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\r": out += "&#13;"
            default:
                let value = scalar.value
                if value < 0x20 || value == 0xFFFE || value == 0xFFFF || (0x7F...0x84).contains(value) || (0x86...0x9F).contains(value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    // MARK: gradescope
    /// One `results.json` for one student, per Gradescope's autograder specification.
    public static func gradescope(_ student: GradeReport.Student, language: String = "en") -> String {
        struct Test: Encodable {
            var name: String, number: String, score: Int, max_score: Int, status: String, output: String, visibility: String
        }
        struct Results: Encodable {
            var score: Int, execution_time: Int, output: String, output_format: String, visibility: String
            var stdout_visibility: String, tests: [Test]
        }
        let tests = student.exercises.enumerated().map { offset, result in
            Test(name: result.exercise, number: String(offset + 1), score: result.score,
                 max_score: result.status == .internalError ? 0 : result.maxScore,
                 status: result.status == .passed ? "passed" : "failed",
                 output: "\(result.status.rawValue) — \(result.score)/\(result.maxScore)\n" + learnerDetail(result, language: language),
                 visibility: "visible")
        }
        var output = "\(student.score)/\(student.maxScore) points."
        if student.exercises.contains(where: { $0.status == .internalError }) {
            output += " Some exercises could not be checked because of a fault in the checker; they are not counted, and your instructor has been told."
        }
        let time = student.exercises.reduce(0.0) { $0 + $1.seconds }
        let results = Results(score: student.score, execution_time: Int(time.rounded(.up)), output: output,
                              output_format: "text", visibility: "visible", stdout_visibility: "hidden", tests: tests)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(results)) ?? Data(), as: UTF8.self) + "\n"
    }

    // MARK: feedback files
    /// A readable feedback file for one student (learner view).
    public static func feedback(_ student: GradeReport.Student, language: String = "en") -> String {
        var out = "Feedback for \(student.id): \(student.score)/\(student.maxScore) points\n"
        for result in student.exercises {
            out += "\n== \(result.exercise): \(result.status.rawValue), \(result.score)/\(result.maxScore)\n"
            out += learnerDetail(result, language: language)
        }
        return out
    }
}
