// The HTML report's page, built section by section (HTMLReport.swift says what it shows).

import Foundation
import Sandbox
import Vocabulary

struct HTMLPage {
    var body = ""

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters a learner's output may hold have no place in HTML text.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "–" : String(format: "%.0f%%", Double(part) * 100 / Double(whole))
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    func document(title: String, tool: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="generator" content="\(HTMLPage.escape(tool))">
        <title>\(HTMLPage.escape(title))</title>
        <style>
        \(HTMLPage.style)
        </style>
        </head>
        <body>
        <header><h1>\(HTMLPage.escape(title))</h1><p class="tool">\(HTMLPage.escape(tool))</p></header>
        <main>
        \(body)</main>
        </body>
        </html>

        """
    }

    static let style = """
        :root { color-scheme: light; --ink: #1d2430; --mute: #667085; --line: #d8dde6; --pass: #1f8a4c; --passbg: #e3f4ea;
                --fail: #b42318; --failbg: #fde8e6; --warn: #b54708; --warnbg: #fef0c7; --miss: #667085; --missbg: #f2f4f7;
                --part: #175cd3; --partbg: #e0eaff; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f7f8fa; }
        header { background: #1d2430; color: #fff; padding: 14px 24px; }
        header h1 { margin: 0; font-size: 18px; font-weight: 600; }
        header .tool { margin: 2px 0 0; color: #aab4c3; font-size: 12px; }
        main { padding: 16px 24px 40px; max-width: 1280px; }
        h2 { font-size: 16px; margin: 26px 0 10px; }
        h3 { font-size: 14px; margin: 18px 0 6px; }
        .cards { display: flex; flex-wrap: wrap; gap: 12px; }
        .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 120px; }
        .card b { display: block; font-size: 22px; }
        .card span { color: var(--mute); font-size: 12px; }
        .panels { display: grid; grid-template-columns: minmax(280px, 420px) 1fr; gap: 16px; margin-top: 14px; }
        .panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; overflow-x: auto; }
        table { border-collapse: collapse; }
        th, td { text-align: left; padding: 4px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
        th { font-weight: 600; color: var(--mute); font-size: 12px; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        .grid td.cell { font-variant-numeric: tabular-nums; }
        .status { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; }
        .passed { background: var(--passbg); color: var(--pass); }
        .failed, .crashed, .compile-error { background: var(--failbg); color: var(--fail); }
        .timeout, .memory-limit, .output-limit, .internal-error { background: var(--warnbg); color: var(--warn); }
        .missing { background: var(--missbg); color: var(--miss); }
        .partial { background: var(--partbg); color: var(--part); }
        .bar { display: inline-block; height: 10px; background: var(--pass); border-radius: 2px; vertical-align: middle; }
        .late { color: var(--warn); font-size: 11px; }
        svg text { font: 11px system-ui, sans-serif; fill: var(--mute); }
        .student { display: none; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 4px 18px 16px; margin-top: 18px; }
        .student:target { display: block; }
        .all-students:target ~ .student, .all-students:target ~ * .student { display: block; }
        pre { background: #f2f4f7; border-radius: 6px; padding: 8px 10px; overflow-x: auto; font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
        .learner pre { background: #eef4ff; }
        .note { color: var(--warn); }
        .hint { color: var(--mute); }
        a { color: #175cd3; text-decoration: none; } a:hover { text-decoration: underline; }
        @media (max-width: 800px) { .panels { grid-template-columns: 1fr; } }
        """

    // MARK: Summary

    mutating func summary(_ report: GradeReport) {
        let totals = report.students.map { Double($0.score) }
        let maxTotal = report.exercises.reduce(0) { $0 + $1.maxScore }
        let mean = totals.isEmpty ? 0 : totals.reduce(0, +) / Double(totals.count)
        let sorted = totals.sorted()
        let median = sorted.isEmpty ? 0 : sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
        let allPassed = report.students.filter { $0.exercises.allSatisfy { $0.status == .passed } }.count
        body += "<section id=\"summary\">\n<h2>Class summary</h2>\n<div class=\"cards\">\n"
        let cards: [(String, String, String)] = [
            ("students", String(report.students.count), "students"), ("exercises", String(report.exercises.count), "exercises"),
            ("mean", "\(HTMLPage.number(mean))/\(maxTotal)", "mean total"), ("median", "\(HTMLPage.number(median))/\(maxTotal)", "median total"),
            ("all-passed", String(allPassed), "passed everything"), ("internal-errors", String(report.internalErrors.count), "internal errors"),
        ]
        for (key, value, label) in cards { body += "<div class=\"card\" data-stat=\"\(key)\"><b>\(HTMLPage.escape(value))</b><span>\(label)</span></div>\n" }
        body += "</div>\n<div class=\"panels\">\n<div class=\"panel\"><h3>Distribution of totals</h3>\n"
        body += HTMLPage.histogram(totals: report.students.map(\.score), max: maxTotal)
        body += "</div>\n<div class=\"panel\"><h3>Per exercise</h3>\n<table class=\"exercises\">\n<thead><tr><th>exercise</th><th class=\"num\">pass rate</th><th></th>"
        let shown = Status.allCases.filter { status in report.students.contains { $0.exercises.contains { $0.status == status } } }
        for status in shown { body += "<th class=\"num\">\(status.rawValue)</th>" }
        body += "</tr></thead>\n<tbody>\n"
        for (column, exercise) in report.exercises.enumerated() {
            let results = report.students.compactMap { column < $0.exercises.count ? $0.exercises[column] : nil }
            let passed = results.filter { $0.status == .passed }.count
            let width = results.isEmpty ? 0 : 80 * passed / results.count
            body += "<tr data-exercise=\"\(HTMLPage.escape(exercise.id))\" data-passed=\"\(passed)\"><td>\(HTMLPage.escape(exercise.id))</td>"
            body += "<td class=\"num\">\(HTMLPage.percent(passed, results.count))</td><td><span class=\"bar\" style=\"width:\(width)px\"></span></td>"
            for status in shown {
                let count = results.filter { $0.status == status }.count
                body += "<td class=\"num\" data-status=\"\(status.rawValue)\">\(count == 0 ? "" : String(count))</td>"
            }
            body += "</tr>\n"
        }
        body += "</tbody></table></div>\n</div>\n</section>\n"
    }

    /// Ten bins of totals (0–10 %, …, 90–100 % of the maximum) as an inline SVG bar chart.
    static func histogram(totals: [Int], max: Int) -> String {
        var bins = Array(repeating: 0, count: 10)
        for total in totals {
            let bin = max == 0 ? 9 : min(9, total * 10 / max)
            bins[bin] += 1
        }
        let tallest = Swift.max(1, bins.max() ?? 1)
        let width = 392, height = 150, barWidth = 30, gap = 6, left = 18, top = 14, plot = 106
        var svg = "<svg class=\"histogram\" role=\"img\" aria-label=\"histogram of totals\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\">\n"
        for (index, count) in bins.enumerated() {
            let h = plot * count / tallest
            let x = left + index * (barWidth + gap)
            svg += "<rect data-bin=\"\(index)\" data-count=\"\(count)\" x=\"\(x)\" y=\"\(top + plot - h)\" width=\"\(barWidth)\" height=\"\(h)\" rx=\"2\" fill=\"#3e7bd6\"><title>\(index * 10)–\(index * 10 + 10)%: \(count)</title></rect>\n"
            if count > 0 { svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + plot - h - 2)\" text-anchor=\"middle\">\(count)</text>\n" }
            svg += "<text x=\"\(x + barWidth / 2)\" y=\"\(top + plot + 14)\" text-anchor=\"middle\">\(index * 10)</text>\n"
        }
        svg += "<text x=\"\(left + 10 * (barWidth + gap) - 4)\" y=\"\(top + plot + 14)\" text-anchor=\"end\"></text>\n"
        svg += "<text x=\"\(left)\" y=\"\(height - 2)\">% of \(max) points</text>\n</svg>\n"
        return svg
    }

    // MARK: Grid

    static func cellClass(_ result: ExerciseResult) -> String {
        result.status != .passed && result.score > 0 ? "partial" : result.status.rawValue
    }

    mutating func grid(_ report: GradeReport) {
        body += "<section id=\"grid\">\n<h2>Students × exercises</h2>\n<div class=\"panel\"><table class=\"grid\">\n<thead><tr><th>student</th>"
        for exercise in report.exercises { body += "<th>\(HTMLPage.escape(exercise.id))</th>" }
        body += "<th class=\"num\">score</th></tr></thead>\n<tbody>\n"
        for (index, student) in report.students.enumerated() {
            body += "<tr data-student=\"\(HTMLPage.escape(student.id))\"><td><a href=\"#student-\(index + 1)\">\(HTMLPage.escape(student.id))</a></td>"
            for result in student.exercises {
                let late = result.late.flatMap { $0.days > 0 ? " <span class=\"late\">\($0.days) \($0.period)\($0.days == 1 ? "" : "s") late</span>" : nil } ?? ""
                body += "<td class=\"cell\" data-exercise=\"\(HTMLPage.escape(result.exercise))\" data-status=\"\(result.status.rawValue)\">"
                body += "<span class=\"status \(HTMLPage.cellClass(result))\">\(result.status == .passed ? "✓" : "✗") \(result.status.rawValue)</span> \(result.score)/\(result.maxScore)\(late)</td>"
            }
            body += "<td class=\"num\">\(student.score)/\(student.maxScore)</td></tr>\n"
        }
        body += "</tbody></table></div>\n<p class=\"hint\"><a class=\"all-link\" href=\"#all-students\">show every student's page</a></p>\n</section>\n"
    }

    // MARK: Similar submissions

    mutating func similar(_ report: GradeReport) {
        body += "<section id=\"similar\">\n<h2>Similar submissions</h2>\n"
        guard !report.similar.isEmpty else {
            body += "<p class=\"hint\">No pair of submissions is similar enough to show.</p>\n</section>\n"
            return
        }
        let index = Dictionary(uniqueKeysWithValues: report.students.enumerated().map { ($0.element.id, $0.offset + 1) })
        body += "<div class=\"panel\"><table class=\"similar\">\n<thead><tr><th>exercise</th><th>student</th><th>student</th><th class=\"num\">similarity</th><th>matching lines</th></tr></thead>\n<tbody>\n"
        for pair in report.similar {
            let link = { (id: String) in "<a href=\"#student-\(index[id] ?? 0)\">\(HTMLPage.escape(id))</a>" }
            let lines = pair.matches.map { "\($0.a[0])–\($0.a[1]) ↔ \($0.b[0])–\($0.b[1])" }.joined(separator: ", ")
            body += "<tr class=\"pair\" data-exercise=\"\(HTMLPage.escape(pair.exercise))\"><td>\(HTMLPage.escape(pair.exercise))</td><td>\(link(pair.a))</td><td>\(link(pair.b))</td>"
            body += "<td class=\"num\">\(pair.identical ? "identical" : String(format: "%.0f%%", pair.score * 100))</td><td>\(HTMLPage.escape(lines))</td></tr>\n"
        }
        body += "</tbody></table></div>\n</section>\n"
    }

    // MARK: Students

    mutating func student(_ student: GradeReport.Student, index: Int, language: String) {
        if index == 0 { body += "<div id=\"all-students\" class=\"all-students\"></div>\n" }
        body += "<section class=\"student\" id=\"student-\(index + 1)\" data-student=\"\(HTMLPage.escape(student.id))\">\n"
        body += "<h2>\(HTMLPage.escape(student.id)) — \(student.score)/\(student.maxScore) points</h2>\n"
        let notes = student.studentNotes(words: Words(language))
        if !notes.isEmpty { body += "<ul class=\"notes\">" + notes.map { "<li class=\"note\">\(HTMLPage.escape($0))</li>" }.joined() + "</ul>\n" }
        for result in student.exercises {
            body += "<div class=\"exercise\" data-exercise=\"\(HTMLPage.escape(result.exercise))\" data-status=\"\(result.status.rawValue)\">\n"
            var heading = "<h3>\(HTMLPage.escape(result.exercise)) <span class=\"status \(HTMLPage.cellClass(result))\">\(result.status.rawValue)</span> \(result.score)/\(result.maxScore)"
            if let late = result.late, late.days > 0 {
                heading += " <span class=\"late\">\(HTMLPage.escape(Words("en").late(late)))</span>"
            }
            body += heading + "</h3>\n"
            body += "<div class=\"learner\"><p class=\"hint\">What the student sees</p><pre>\(HTMLPage.escape(ReportRenderer.learnerDetail(result, language: language)))</pre></div>\n"
            if result.status == .compileError || result.status == .internalError || !result.notes.isEmpty {
                for note in result.notes { body += "<p class=\"note\">\(HTMLPage.escape(note))</p>\n" }
            }
            for item in result.cases {
                body += "<div class=\"case\" data-case=\"\(HTMLPage.escape(item.name))\" data-status=\"\(item.status.rawValue)\">"
                body += "<p><b>case \(HTMLPage.escape(item.name))</b>\(item.hidden ? " (hidden)" : "") <span class=\"status \(item.status.rawValue)\">\(item.status.rawValue)</span> \(item.score)/\(item.maxScore)</p>\n"
                if !item.explanation.isEmpty { body += "<pre class=\"explanation\">\(HTMLPage.escape(item.explanation))</pre>\n" }
                if !item.trace.isEmpty { body += "<p class=\"hint\">trace after main</p><pre class=\"trace\">\(HTMLPage.escape(item.trace.joined(separator: "\n")))</pre>\n" }
                if !item.memory.isEmpty { body += "<p class=\"hint\">memory after main</p><pre class=\"memory\">\(HTMLPage.escape(item.memory.joined(separator: "\n")))</pre>\n" }
                if item.status != .passed && !item.stdout.isEmpty { body += "<p class=\"hint\">stdout</p><pre class=\"stdout\">\(HTMLPage.escape(item.stdout))</pre>\n" }
                if item.status != .passed && !item.stderr.isEmpty { body += "<p class=\"hint\">stderr</p><pre class=\"stderr\">\(HTMLPage.escape(item.stderr))</pre>\n" }
                body += "</div>\n"
            }
            body += "</div>\n"
        }
        body += "<p><a href=\"#grid\">back to the grid</a></p>\n</section>\n"
    }
}
