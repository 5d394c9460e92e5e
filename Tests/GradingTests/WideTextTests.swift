// The grade table pads by terminal cells.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading

@Suite struct WideTextTests {
    // Columns line up by terminal cells; a Hangul syllable takes two.
    @Test func theTableAlignsWideStudentIDs() {
        let info = [GradeReport.ExerciseInfo(id: "l/e", maxScore: 5)]
        let students = ["kim 김", "lee"].map { id in
            GradeReport.Student(id: id, score: 0, maxScore: 0,
                                exercises: [ExerciseResult(exercise: "l/e", status: .failed, score: 0, maxScore: 5)], notes: [])
        }
        let text = ReportRenderer.text(GradeReport(tool: "t", exercises: info, students: students))
        let rows = text.split(separator: "\n").map(String.init)
        let kim = rows.first { $0.hasPrefix("kim") }!
        let lee = rows.first { $0.hasPrefix("lee") }!
        func column(_ row: String) -> Int { ReportRenderer.cellWidth(String(row[..<row.range(of: "✗")!.lowerBound])) }
        #expect(column(kim) == column(lee), "\(text)")
        #expect(ReportRenderer.cellWidth("김") == 2)
        #expect(ReportRenderer.cellWidth("e\u{301}") == 1)
    }
}

