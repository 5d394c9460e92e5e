// What may be wrong with a class folder as a whole, said before anything is graded: no
// students at all, files at its top (a grade sheet, a zip), or one student's homework
// passed where the class was expected (its folders are lessons, not students), or a class
// passed to `--single` (its folders are students holding lessons).

import Foundation
import Notebook

package enum ClassWarnings {
    package static func check(directory: String, exercises: [Exercise]) -> [String] {
        guard let names = try? ClassFolder.entries(of: directory) else { return [] }
        var warnings: [String] = []
        let folders = names.filter { ClassFolder.isDirectory(directory + "/" + $0) }.sorted()
        let files = names.filter { !ClassFolder.isDirectory(directory + "/" + $0) }.sorted()
        if folders.isEmpty {
            warnings.append("\(directory): no student folders, so nothing was graded; pass the folder that holds one folder per student")
        }
        if !files.isEmpty {
            let shown = files.prefix(5).joined(separator: ", ") + (files.count > 5 ? " and \(files.count - 5) more" : "")
            warnings.append("\(directory): \(files.count == 1 ? "a file" : "\(files.count) files") at the top of the class folder (\(shown)) \(files.count == 1 ? "is" : "are") no student's and \(files.count == 1 ? "was" : "were") ignored")
        }
        let lessons = Set(exercises.map(\.lessonID))
        let lessonFolders = folders.filter { lessons.contains($0) }
        if !lessonFolders.isEmpty && lessonFolders.count * 2 >= folders.count {
            warnings.append("\(directory): looks like one student's homework, not a class: its folders \(lessonFolders.prefix(3).joined(separator: ", ")) are lessons; grade it with --single ID, or pass the folder above it")
        }
        return warnings
    }

    /// The same for `--single`, where `directory` is one student's homework: a class folder
    /// (no folder of it is a lesson, and folders of it hold lessons) had every exercise missing.
    package static func checkSingle(directory: String, exercises: [Exercise]) -> [String] {
        guard let names = try? ClassFolder.entries(of: directory) else { return [] }
        let lessons = Set(exercises.map(\.lessonID))
        let folders = names.filter { ClassFolder.isDirectory(directory + "/" + $0) }.sorted()
        guard !folders.isEmpty, !folders.contains(where: lessons.contains) else { return [] }
        let students = folders.filter { folder in
            ((try? ClassFolder.entries(of: directory + "/" + folder)) ?? []).contains { lessons.contains($0) && ClassFolder.isDirectory(directory + "/" + folder + "/" + $0) }
        }
        guard !students.isEmpty else { return [] }
        return ["\(directory): looks like a class, not one student's homework: its folders \(students.prefix(3).joined(separator: ", ")) hold lessons; grade it without --single, or pass one of them"]
    }
}
