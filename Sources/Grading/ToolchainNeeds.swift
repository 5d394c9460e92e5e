// The compilers a class needs: one for each language its submissions are written in. A
// missing one is found before grading starts (exit 2, naming what to install), not as one
// internal error per submission.

import Foundation
import Notebook
import Toolchain
import Vocabulary

package enum ToolchainNeeds {
    /// The languages of the files that would be graded.
    package static func languages(directory: String, single: String?, exercises: [Exercise]) -> Set<Language> {
        let folders: [StudentFolder]
        if let single {
            folders = [ClassFolder.read(student: single, root: directory, exercises: exercises)]
        } else {
            let ids = (try? ClassFolder.studentIDs(in: directory)) ?? []
            folders = ids.map { ClassFolder.read(student: $0, root: directory + "/" + $0, exercises: exercises) }
        }
        return Set(folders.flatMap { $0.files.values.compactMap { Language(fileName: $0) } })
    }

    /// One line naming every missing compiler and what to install, or nil.
    package static func problem(directory: String, single: String?, exercises: [Exercise],
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let needed = languages(directory: directory, single: single, exercises: exercises)
        let problems = Language.allCases.filter(needed.contains).compactMap { ToolchainCheck.problem($0, environment: environment) }
        guard !problems.isEmpty else { return nil }
        return problems.joined(separator: "; ") + " (needed before grading: the class has \(Language.allCases.filter(needed.contains).map(\.rawValue).joined(separator: " and ")) submissions)"
    }
}
