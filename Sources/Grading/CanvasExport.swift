// `--format canvas`: a CSV file that Canvas's Gradebook → Import reads. Canvas identifies
// students by its own columns (Student, ID, SIS User ID, SIS Login ID, Section), which the
// class folder does not know: `--roster FILE` maps folder names to them. Assignments are
// columns titled `Name` (a new assignment) or `Name (id)` (an existing one); the second row,
// `Points Possible`, gives a new assignment its points.

import Foundation

extension ReportRenderer {
    /// The Canvas gradebook import file: one row per student on the roster, one column per
    /// exercise, or one column `assignment` with each student's total. Students the roster
    /// does not name are left out (Canvas could not place them) and returned for a warning.
    package static func canvas(_ report: GradeReport, roster: Roster?, assignment: String? = nil,
                              byteOrderMark bom: Bool = false) -> (text: String, unplaced: [String]) {
        let columns: [(title: String, points: Int)] = assignment.map { [($0, report.exercises.reduce(0) { $0 + $1.maxScore })] }
            ?? report.exercises.map { ($0.id, $0.maxScore) }
        var out = (bom ? byteOrderMark : "") + (Roster.canvasColumns + columns.map(\.title)).map(csvField).joined(separator: ",") + "\r\n"
        out += (["Points Possible", "", "", "", ""] + columns.map { String($0.points) }).map(csvField).joined(separator: ",") + "\r\n"
        var unplaced: [String] = []
        for student in report.students {
            var identity: [String: String]
            if let roster {
                guard let entry = roster.entries[student.id] else { unplaced.append(student.id); continue }
                identity = entry
            } else {
                // Without a roster the folder names are taken as Canvas's SIS Login IDs.
                identity = ["Student": student.id, "SIS Login ID": student.id]
            }
            let scores = assignment != nil ? [String(student.score)] : student.exercises.map { String($0.score) }
            out += (Roster.canvasColumns.map { identity[$0] ?? "" } + scores).map(csvField).joined(separator: ",") + "\r\n"
        }
        return (out, unplaced)
    }
}
