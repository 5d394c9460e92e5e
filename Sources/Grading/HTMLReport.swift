// `--format html`: the class report to look at, one self-contained file for the instructor.
// A summary (mean, median, a histogram of totals, pass rates and statuses per exercise), the
// students × exercises grid, similar submissions, and one page per student: what the student
// was told, then for the instructor every case's explanation, trace excerpt and memory
// picture. No script, font, image or style is loaded from anywhere: the page's own Content
// Security Policy forbids it, and the browser test checks that nothing is requested.

import Foundation
import Sandbox

extension ReportRenderer {
    package static func html(_ report: GradeReport, language: String = "en") -> String {
        html(SpooledReport(report), language: language)
    }

    package static func html(_ spooled: SpooledReport, language: String = "en") -> String {
        var out = ""
        html(spooled, language: language) { out += $0 }
        return out
    }

    /// The page in pieces, given to `write` in order: the page around the sections, the
    /// summary, grid and similar submissions, then each student's section as it is made.
    package static func html(_ spooled: SpooledReport, language: String = "en", to write: (String) -> Void) {
        let report = spooled.summary
        // The page with nothing in <main>: what goes before its sections and what after.
        let frame = HTMLPage().document(title: "lessons grade — \(report.students.count) students, \(report.exercises.count) exercises",
                                        tool: report.tool)
        let end = frame.range(of: "</main>")!
        var page = HTMLPage()
        page.summary(report)
        page.grid(report)
        page.similar(report)
        write(String(frame[..<end.lowerBound]) + page.body)
        for (index, student) in spooled.students.enumerated() {
            var section = HTMLPage()
            section.student(student, index: index, language: language)
            write(section.body)
        }
        write(String(frame[end.lowerBound...]))
    }
}
