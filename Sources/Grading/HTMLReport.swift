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
        let report = spooled.summary
        var page = HTMLPage()
        page.summary(report)
        page.grid(report)
        page.similar(report)
        for (index, student) in spooled.students.enumerated() { page.student(student, index: index, language: language) }
        return page.document(title: "lessons grade — \(report.students.count) students, \(report.exercises.count) exercises", tool: report.tool)
    }
}

