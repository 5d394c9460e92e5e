// `--format canvas`: a CSV file that Canvas's Gradebook → Import reads. Canvas identifies
// students by its own columns (Student, ID, SIS User ID, SIS Login ID, Section), which the
// class folder does not know: `--roster FILE` maps folder names to them. Assignments are
// columns titled `Name` (a new assignment) or `Name (id)` (an existing one); the second row,
// `Points Possible`, gives a new assignment its points.

import Foundation

/// Folder name → the student's Canvas columns, read from a CSV file with a `folder` column
/// and any of Canvas's identifying columns (a Canvas gradebook export with a `folder` column
/// added is one).
public struct Roster: Sendable, Equatable {
    public static let canvasColumns = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    public var entries: [String: [String: String]]

    public struct ReadError: Error, CustomStringConvertible { public var description: String }

    public init(entries: [String: [String: String]]) { self.entries = entries }

    public init(csv text: String, file: String) throws {
        let rows = CSVReader.rows(text)
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw ReadError(description: "\(file): empty; write a header line such as folder,Student,ID,SIS User ID,SIS Login ID,Section")
        }
        guard let folderColumn = header.firstIndex(where: { $0.lowercased() == "folder" }) else {
            throw ReadError(description: "\(file):1: no 'folder' column; the roster maps folder names to Canvas's Student, ID, SIS User ID, SIS Login ID, Section")
        }
        guard header.contains("ID") || header.contains("SIS User ID") || header.contains("SIS Login ID") else {
            throw ReadError(description: "\(file):1: no 'ID', 'SIS User ID' or 'SIS Login ID' column: Canvas needs one of them to find a student")
        }
        var entries: [String: [String: String]] = [:]
        for (offset, row) in rows.enumerated().dropFirst() where !(row.count == 1 && row[0].isEmpty) {
            guard folderColumn < row.count, !row[folderColumn].isEmpty else { continue }
            let folder = row[folderColumn]
            if entries[folder] != nil {
                throw ReadError(description: "\(file):\(offset + 1): folder '\(folder)' is listed twice")
            }
            var fields: [String: String] = [:]
            for (index, name) in header.enumerated() where Roster.canvasColumns.contains(name) && index < row.count {
                fields[name] = row[index]
            }
            entries[folder] = fields
        }
        self.entries = entries
    }
}

/// RFC 4180 fields: commas, double quotes with `""` inside, CRLF or LF line ends.
enum CSVReader {
    static func rows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var iterator = Array(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text).makeIterator()
        var pending: Character?
        while let character = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if character == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" { field.append("\"") } else { quoted = false; pending = next }
                    } else { quoted = false }
                } else { field.append(character) }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",": row.append(field); field = ""
            case "\r\n", "\n", "\r":
                row.append(field); field = ""
                rows.append(row); row = []
            default: field.append(character)
            }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}

extension ReportRenderer {
    /// The Canvas gradebook import file: one row per student on the roster, one column per
    /// exercise, or one column `assignment` with each student's total. Students the roster
    /// does not name are left out (Canvas could not place them) and returned for a warning.
    public static func canvas(_ report: GradeReport, roster: Roster?, assignment: String? = nil,
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
