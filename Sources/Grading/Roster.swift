// The class roster for Canvas: folder names → Canvas's own student columns (`--roster FILE`).

import Foundation

/// Folder name → the student's Canvas columns, read from a CSV file with a `folder` column
/// and any of Canvas's identifying columns (a Canvas gradebook export with a `folder` column
/// added is one).
package struct Roster: Sendable, Equatable {
    package static let canvasColumns = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    package var entries: [String: [String: String]]

    package struct ReadError: Error, CustomStringConvertible { package var description: String }

    package init(entries: [String: [String: String]]) { self.entries = entries }

    package init(csv text: String, file: String) throws {
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
