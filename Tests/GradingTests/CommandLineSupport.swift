// Scratch folders and a tiny report for the tests that drive the command line (grade, check,
// lint, merge); the built `lessons` executable is run by TestSupport's LessonsBinary.

import Foundation
import Testing
@testable import Grading
import TestSupport

func scratchFolder(_ name: String = "qa") -> String {
    TestScratch.directory("lessons-gradefix-\(name)")
}

/// A one-student report for `grade merge` / output tests.
func tinyReport() -> GradeReport {
    let result = ExerciseResult(exercise: "l/e", status: .passed, score: 5, maxScore: 5)
    return GradeReport(tool: "lessons-test", exercises: [GradeReport.ExerciseInfo(id: "l/e", maxScore: 5)],
                       students: [GradeReport.Student(id: "kim", score: 0, maxScore: 0, exercises: [result], notes: [])], shard: nil)
}
