// Every output format of `lessons grade`, rendered from one `GradeReport`.
// Instructor formats (text, json, csv) show everything; student-facing ones (junit,
// gradescope, feedback files) say only that a hidden check failed, never what it checks.

import Foundation
import Sandbox
import Vocabulary

package enum ReportFormat: String, CaseIterable, Sendable {
    case text, json, csv, junit, gradescope, canvas, html
}

package enum ReportRenderer {
    // MARK: json
    package static func json(_ report: GradeReport) -> String {
        var out = ""
        json(SpooledReport(report)) { out += $0 }
        return out
    }

    /// The JSON report in pieces, one student at a time, given to `write` in order: the bytes
    /// of the whole report encoded at once (the frame around the students is encoded without
    /// them, each student alone and indented to its depth), without the whole in memory.
    package static func json(_ report: SpooledReport, to write: (String) -> Void) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var frame = report.summary
        frame.students = []
        guard let data = try? encoder.encode(frame) else {
            write("{}\n")
            return
        }
        let text = String(decoding: data, as: UTF8.self)
        // Pretty-printed, an empty array is `[`, an empty line and `]` at its key's indentation;
        // keys at the top level, and only they, are indented by two spaces.
        let empty = "\n  \"students\" : [\n\n  ]"
        guard !report.summary.students.isEmpty, let place = text.range(of: empty) else {
            write(text + "\n")
            return
        }
        write(String(text[..<place.lowerBound]) + "\n  \"students\" : [")
        for index in report.summary.students.indices {
            let student = (try? encoder.encode(report.student(index))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            // Two levels deep (the report, its students array); an empty array's empty line stays empty.
            let indented = student.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
            write((index == 0 ? "\n" : ",\n") + indented)
        }
        write("\n  ]" + String(text[place.upperBound...]) + "\n")
    }

    package static func decode(_ data: Data) throws -> GradeReport {
        try JSONDecoder().decode(GradeReport.self, from: data)
    }

    // MARK: text
    /// Columns a text report's students × exercises table may take; wider classes (a whole
    /// course's 20 exercises) get a student table and an exercise table instead.
    package static let textTableWidth = 120

    /// A students × exercises table, then totals, internal errors and notes.
    package static func text(_ report: GradeReport, language: String = "en") -> String {
        text(SpooledReport(report), language: language)
    }

    package static func text(_ spooled: SpooledReport, language: String = "en") -> String {
        let report = spooled.summary
        // Student ids are folder names, which may hold a newline or an escape sequence: in the
        // text report each stays on its line and prints as what it is (JSON and CSV keep them exact).
        var shown = report
        for index in shown.students.indices { shown.students[index].id = shownID(shown.students[index].id) }
        for index in shown.internalErrors.indices { shown.internalErrors[index].student = shownID(shown.internalErrors[index].student) }
        for index in shown.similar.indices {
            shown.similar[index].a = shownID(shown.similar[index].a)
            shown.similar[index].b = shownID(shown.similar[index].b)
        }
        return text(shown, whole: { index in
            var student = spooled.student(index)
            student.id = shown.students[index].id
            return student
        }, language: language)
    }

    /// `report` with its ids as shown; `whole(index)`: its student `index` with every result whole.
    private static func text(_ report: GradeReport, whole: (Int) -> GradeReport.Student, language: String) -> String {
        let words = Words(language)
        let header = [words.student] + report.exercises.map(\.id) + [words.score]
        var rows: [[String]] = report.students.map { student in
            [student.id] + student.exercises.map(cell) + ["\(student.score)/\(student.maxScore)"]
        }
        let passedCounts = report.exercises.indices.map { column in
            report.students.filter { $0.exercises[column].status == .passed }.count
        }
        rows.append([words.passedColumn] + passedCounts.map { "\($0)/\(report.students.count)" } + ["\(report.totals.score)/\(report.totals.maxScore)"])
        let wide = table(header: header, rows: rows)
        var out: String
        if wide.split(separator: "\n").allSatisfy({ cellWidth(String($0)) <= textTableWidth }) {
            out = wide
        } else {
            // One line per student (only what did not pass), then one per exercise; long ids are
            // shortened and the list of what did not pass wraps, so no line passes the width.
            let students = report.students.map { student -> [String] in
                let missed = student.exercises.filter { $0.status != .passed }.map { "\($0.exercise) \($0.status.rawValue)" }
                let passed = student.exercises.count - missed.count
                return [shortened(student.id, to: idWidth), "\(student.score)/\(student.maxScore)", "\(passed)/\(student.exercises.count)",
                        missed.isEmpty ? "-" : missed.joined(separator: ", ")]
            } + [[words.allRow, "\(report.totals.score)/\(report.totals.maxScore)", "", ""]]  // the class's total
            out = table(header: [words.student, words.score, words.passedColumn, words.notPassedColumn], rows: students, wrapLast: textTableWidth)
            let exercises = report.exercises.indices.map { column in
                [shortened(report.exercises[column].id, to: textTableWidth - 20), "\(passedCounts[column])/\(report.students.count)"]
            }
            let allPassed = "\(report.totals.statuses[Status.passed.rawValue] ?? 0)/\(report.students.count * report.exercises.count)"
            out += table(header: [words.exerciseColumn, words.passedColumn], rows: exercises + [[words.allRow, allPassed]])
        }
        let counts = Status.allCases.compactMap { status -> String? in
            let count = report.totals.statuses[status.rawValue] ?? 0
            return count > 0 ? "\(count) \(status.rawValue)" : nil
        }
        out += words.classSummary(students: report.totals.students, exercises: report.exercises.count, counts: counts) + "\n"
        if let shard = report.shard { out += words.shardOf(shard.index, shard.count) + "\n" }
        if let partial = report.partial { out += words.partialReport(partial.studentsGraded, of: partial.students) + "\n" }
        if !report.warnings.isEmpty {
            out += "\n\(words.warningsHeading)\n" + report.warnings.map { "  \($0)\n" }.joined()
        }
        if !report.internalErrors.isEmpty {
            out += "\n\(words.internalErrorsHeading)\n"
            for error in report.internalErrors {
                out += "  \(error.student) \(error.exercise): \(error.notes.joined(separator: "; "))\n"
            }
        }
        if !report.similar.isEmpty {
            out += "\n\(words.similarHeading)\n"
            for pair in report.similar {
                let how = pair.identical ? words.identical : String(format: "%.0f%%", pair.score * 100)
                let lines = pair.matches.prefix(4).map { words.lines("\($0.a[0])-\($0.a[1])", "\($0.b[0])-\($0.b[1])") }.joined(separator: ", ")
                out += "  \(pair.exercise): \(pair.a) ~ \(pair.b) \(how)\(lines.isEmpty ? "" : "; " + lines)\n"
            }
        }
        var details: [String] = []
        for (index, summary) in report.students.enumerated() {
            // Only a result that is not passed, missing or an internal error shows its bulky parts.
            let detailed = summary.exercises.contains { ![.passed, .missing, .internalError].contains($0.status) }
            let student = detailed ? whole(index) : summary
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
            var noted = Set<String>()
            for note in student.notes + student.exercises.flatMap({ $0.status == .missing ? $0.notes : [] }) where noted.insert(note).inserted {
                details.append("\(student.id): \(note)\n")
            }
        }
        for student in report.students {
            for result in student.exercises {
                if let late = result.late, late.days > 0 { details.append("\(student.id) \(result.exercise): \(words.late(late))\n") }
            }
        }
        if !details.isEmpty { out += "\n\(words.detailsHeading)\n" + details.joined() }
        if let sandbox = report.sandbox, !sandbox.isEmpty {
            out += "\nsandbox on this machine (for every run above):\n" + sandbox.map { "  \($0)\n" }.joined()
        }
        return out
    }

    /// `id` with its control characters written as escapes (`a\nb`, `\u{1b}`).
    static func shownID(_ id: String) -> String {
        guard id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return id }
        var out = ""
        for scalar in id.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.properties.generalCategory == .control: out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Widest student id the student table shows whole (a longer one is cut with `…`).
    static let idWidth = 32

    /// Aligned columns: header, rule, rows, rule, the last row (a total), and an empty line.
    /// With `wrapLast`, the last column wraps at ", " so that no line is wider than that.
    static func table(header: [String], rows: [[String]], wrapLast: Int? = nil) -> String {
        var widths = header.indices.map { column in ([header] + rows).map { cellWidth($0[column]) }.max() ?? 0 }
        if let wrapLast, let last = widths.indices.last {
            let before = widths.dropLast().reduce(0) { $0 + $1 + 2 }
            widths[last] = min(widths[last], max(cellWidth(header[last]), wrapLast - before))
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $0.element + String(repeating: " ", count: max(0, widths[$0.offset] - cellWidth($0.element))) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        func lines(_ cells: [String]) -> String {
            guard wrapLast != nil, let last = cells.indices.last, cellWidth(cells[last]) > widths[last] else { return line(cells) + "\n" }
            let pieces = wrapped(cells[last], width: widths[last])
            var out = ""
            for (index, piece) in pieces.enumerated() {
                out += line((index == 0 ? Array(cells.dropLast()) : cells.dropLast().map { _ in "" }) + [piece]) + "\n"
            }
            return out
        }
        let rule = line(widths.map { String(repeating: "-", count: $0) })
        var out = line(header) + "\n" + rule + "\n"
        for row in rows.dropLast() { out += lines(row) }
        if let total = rows.last { out += rule + "\n" + lines(total) }
        return out + "\n"
    }

    /// `text` split at ", " into lines of at most `width` cells (an item wider than that is cut).
    static func wrapped(_ text: String, width: Int) -> [String] {
        var out: [String] = []
        var current = ""
        for item in text.components(separatedBy: ", ") {
            let piece = shortened(item, to: width - 1)
            let candidate = current.isEmpty ? piece : current + ", " + piece
            if cellWidth(candidate) + 1 <= width || current.isEmpty {
                current = candidate
            } else {
                out.append(current + ",")
                current = piece
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// `text` cut to `width` cells, ending in `…` when cut.
    static func shortened(_ text: String, to width: Int) -> String {
        guard cellWidth(text) > width, width > 1 else { return text }
        var out = ""
        for character in text {
            if cellWidth(out + String(character)) > width - 1 { break }
            out.append(character)
        }
        return out + "…"
    }

    /// Terminal cells a text takes: East Asian wide and fullwidth characters (Hangul, CJK,
    /// fullwidth forms, most emoji) take two, combining marks and zero-width characters none.
    package static func cellWidth(_ text: String) -> Int {
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
    package static func decodingProblem(_ error: Error, data: Data) -> String {
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
        default: return result.score > 0 ? "✗ \(result.score)/\(result.maxScore) \(result.status.rawValue)" : "✗ \(result.status.rawValue)"
        }
    }

    static func firstLines(_ text: String, _ count: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.prefix(count).joined(separator: "\n") + (lines.count > count ? "\n…" : "")
    }

    // MARK: csv
    /// The UTF-8 byte order mark Excel needs to read a CSV file as UTF-8 (`--csv-bom`).
    package static let byteOrderMark = "\u{FEFF}"

    /// `student,exercise,status,score,max_score,cases_passed,cases,late_days,late_penalty`,
    /// RFC 4180 quoting, formulas neutralised.
    package static func csv(_ report: GradeReport, byteOrderMark bom: Bool = false) -> String {
        var out = (bom ? byteOrderMark : "") + "student,exercise,status,score,max_score,cases_passed,cases,late_days,late_penalty\r\n"
        for student in report.students {
            for result in student.exercises {
                let passed = result.cases.filter { $0.status == .passed }.count
                out += [student.id, result.exercise, result.status.rawValue, String(result.score), String(result.maxScore),
                        String(passed), String(result.cases.count),
                        result.late.map { String($0.days) } ?? "", result.late.map { String($0.deducted) } ?? ""]
                    .map(csvField).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    /// One CSV field: a text a spreadsheet would read as a formula (starting with `=`, `+`,
    /// `-`, `@`, a tab or a carriage return) gets a leading `'` and double quotes, as OWASP's
    /// CSV-injection advice says; else RFC 4180 quoting where needed. The numbers this tool
    /// writes never start with one of those.
    static func csvField(_ value: String) -> String {
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            return "\"'" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: junit
    /// One testsuite per student, one testcase per exercise; the learner's explanation as the
    /// failure message (CI pages are often visible to students, so hidden checks stay hidden).
    package static func junit(_ report: GradeReport, language: String = "en") -> String {
        junit(SpooledReport(report), language: language)
    }

    package static func junit(_ spooled: SpooledReport, language: String = "en") -> String {
        let report = spooled.summary
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
        for student in spooled.students {
            let time = student.exercises.reduce(0.0) { $0 + $1.seconds }
            out += "  <testsuite name=\"\(xml(student.id))\" tests=\"\(student.exercises.count)\" failures=\"\(count(student, failing))\" errors=\"\(count(student, [.internalError]))\" skipped=\"0\" time=\"\(seconds(time))\">\n"
            for result in student.exercises.map({ $0.learnerView(language: language) }) {
                let open = "    <testcase name=\"\(xml(result.exercise))\" classname=\"\(xml(student.id))\" time=\"\(seconds(result.seconds))\""
                switch result.status {
                case .passed:
                    out += open + ">\n" + scoreProperties(result) + "    </testcase>\n"
                case .internalError:
                    out += open + ">\n      <error message=\"\(xml(Words(language).internalError))\" type=\"internal-error\"/>\n    </testcase>\n"
                default:
                    let message = summary(result, words: Words(language))
                    out += open + ">\n" + scoreProperties(result)
                    out += "      <failure message=\"\(xml(message))\" type=\"\(result.status.rawValue)\">\(xml(learnerDetail(result, language: language)))</failure>\n    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
        }
        out += "</testsuites>\n"
        return out
    }

    /// One line for a failure (of a learner view): the first thing that went wrong, and the
    /// points the passed cases earned.
    static func summary(_ result: ExerciseResult, words: Words = Words("en")) -> String {
        switch result.status {
        case .compileError: return "compile error: " + (result.diagnostics.split(separator: "\n").first.map(String.init) ?? "")
        case .missing: return result.feedback
        default:
            let failed = result.cases.first { $0.status != .passed }
            let first = failed?.explanation.split(separator: "\n").first.map(String.init) ?? result.status.rawValue
            let label = failed.map(words.caseLabel) ?? "?"
            return "\(label): \(first)" + (result.score > 0 ? " (\(words.points(result.score, of: result.maxScore)))" : "")
        }
    }

    /// A testcase's points as JUnit properties (read by Jenkins, GitLab and most JUnit parsers).
    static func scoreProperties(_ result: ExerciseResult) -> String {
        var properties = [("score", String(result.score)), ("max_score", String(result.maxScore))]
        if let late = result.late {
            properties += [("submitted", late.submitted), ("late_days", String(late.days)), ("late_penalty", String(late.deducted))]
        }
        return "      <properties>\n" + properties.map { "        <property name=\"\($0.0)\" value=\"\(xml($0.1))\"/>\n" }.joined() + "      </properties>\n"
    }

    /// Everything a learner may see of a result, as plain text.
    package static func learnerDetail(_ result: ExerciseResult, language: String = "en", cases include: (CaseResult) -> Bool = { _ in true }) -> String {
        let words = Words(language)
        let view = result.learnerView(language: language)
        var out = ""
        if let late = result.late, late.days > 0 { out += words.late(late) + "\n" }
        switch view.status {
        case .compileError: out += words.didNotCompile + "\n" + view.diagnostics + "\n"
        case .missing, .internalError: out += view.feedback + "\n"
        default:
            for item in view.cases where include(item) {
                let points = view.cases.count > 1 && item.maxScore > 0 ? " (\(words.points(item.score, of: item.maxScore)))" : ""
                out += "\(item.status == .passed ? "✓" : "✗") \(words.caseLabel(item)): \(item.status.rawValue)\(points)\n"
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
    /// Gradescope's `visibility` values for a test (its autograder specification).
    package static let gradescopeVisibilities = ["hidden", "after_due_date", "after_published", "visible"]

    /// One `results.json` for one student, per Gradescope's autograder specification. Each
    /// exercise is a test with its visible cases; each hidden case is a test of its own whose
    /// `visibility` is `hiddenVisibility` (default `after_published`), saying only passed or failed.
    package static func gradescope(_ student: GradeReport.Student, language: String = "en",
                                  hiddenVisibility: String = "after_published") -> String {
        struct Test: Encodable {
            var name: String, number: String, score: Int, max_score: Int, status: String, output: String, visibility: String
        }
        struct Results: Encodable {
            var score: Int, execution_time: Int, output: String, output_format: String, visibility: String
            var stdout_visibility: String, tests: [Test]
        }
        let words = Words(language)
        var tests: [Test] = []
        for (offset, result) in student.exercises.enumerated() {
            let view = result.learnerView(language: language)
            let hidden = view.cases.filter(\.hidden)
            let hiddenScore = hidden.reduce(0) { $0 + $1.score }, hiddenMax = hidden.reduce(0) { $0 + $1.maxScore }
            let maxScore = result.status == .internalError ? 0 : result.maxScore - hiddenMax
            let score = result.score - hiddenScore
            let visiblePassed = view.cases.filter { !$0.hidden }.allSatisfy { $0.status == .passed }
            let passed = result.status == .passed || (!view.cases.isEmpty && visiblePassed && ![.compileError, .missing, .internalError].contains(result.status))
            tests.append(Test(name: result.exercise, number: String(offset + 1), score: score, max_score: maxScore,
                              status: passed ? "passed" : "failed",
                              output: "\(view.status.rawValue) — \(words.points(result.score, of: result.maxScore))\n"
                                + learnerDetail(result, language: language, cases: { !$0.hidden }),
                              visibility: "visible"))
            for (index, item) in hidden.enumerated() {
                tests.append(Test(name: "\(result.exercise): \(item.name)", number: "\(offset + 1).\(index + 1)", score: item.score,
                                  max_score: result.status == .internalError ? 0 : item.maxScore,
                                  status: item.status == .passed ? "passed" : "failed",
                                  output: item.status == .passed ? "" : words.hiddenCaseFailed, visibility: hiddenVisibility))
            }
        }
        var output = words.points(student.score, of: student.maxScore) + "."
        if student.exercises.contains(where: { $0.status == .internalError }) {
            output += " " + words.someNotChecked
        }
        let notes = student.studentNotes(words: words)
        if !notes.isEmpty { output += "\n\n" + notes.joined(separator: "\n") }
        let time = student.exercises.reduce(0.0) { $0 + $1.seconds }
        let results = Results(score: student.score, execution_time: Int(time.rounded(.up)), output: output,
                              output_format: "text", visibility: "visible", stdout_visibility: "hidden", tests: tests)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(results)) ?? Data(), as: UTF8.self) + "\n"
    }

    // MARK: feedback files
    /// A readable feedback file for one student (learner view).
    package static func feedback(_ student: GradeReport.Student, language: String = "en") -> String {
        let words = Words(language)
        var out = words.feedbackFor(student.id) + ": " + words.points(student.score, of: student.maxScore) + "\n"
        let notes = student.studentNotes(words: words)
        if !notes.isEmpty { out += "\n" + notes.map { "! " + $0 }.joined(separator: "\n") + "\n" }
        for result in student.exercises {
            let view = result.learnerView(language: language)
            out += "\n== \(result.exercise): \(view.status.rawValue), \(result.score)/\(result.maxScore)\n"
            out += learnerDetail(result, language: language)
        }
        return out
    }
}
