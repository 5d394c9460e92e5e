// Reading a class folder: `DIR/<student>/<lesson>/<exercise>.{c,swift}`. Decides which file
// is each student's submission for each exercise, and notes everything it ignores.

import Foundation
import Notebook
import Toolchain

/// One student's folder: the file chosen for each exercise (absent: missing) and notes.
public struct StudentFolder: Sendable {
    public var id: String
    /// Full exercise id → path of the submitted file.
    public var files: [String: String]
    /// Full exercise id → why nothing was graded although something was there.
    public var missingNotes: [String: SubmissionNote]
    /// Files ignored, in path order.
    public var ignored: [SubmissionNote]
    /// The same as the instructor reads them.
    public var notes: [String] { ignored.map(\.english) }
}

public struct ClassFolderError: Error, CustomStringConvertible {
    public var description: String
}

public enum ClassFolder {
    /// Most notes about ignored files per student (a stray build folder must not flood a report).
    static let noteLimit = 20

    /// The students under `directory` (one folder each; hidden entries skipped), sorted by id.
    public static func studentIDs(in directory: String) throws -> [String] {
        try entries(of: directory).filter { isDirectory(directory + "/" + $0) }.sorted()
    }

    /// What one student handed in for `exercises`. `root` is the student's folder.
    public static func read(student id: String, root: String, exercises: [Exercise]) -> StudentFolder {
        var folder = StudentFolder(id: id, files: [:], missingNotes: [:], ignored: [])
        var used = Set<String>()
        for exercise in exercises {
            var candidates: [(Language, String)] = []
            for language in Language.allCases {
                let relative = "\(exercise.lessonID)/\(exercise.id).\(language.fileExtension)"
                if isRegularFile(root + "/" + relative) { candidates.append((language, relative)) }
            }
            let accepted = candidates.filter { exercise.languages.contains($0.0) }
                .sorted { (exercise.languages.firstIndex(of: $0.0) ?? 0) < (exercise.languages.firstIndex(of: $1.0) ?? 0) }
            if let chosen = accepted.first {
                folder.files[exercise.fullID] = root + "/" + chosen.1
                used.insert(chosen.1)
                for other in accepted.dropFirst() {
                    folder.ignored.append(SubmissionNote(.anotherFileGraded, file: other.1, other: chosen.1))
                    used.insert(other.1)
                }
            } else if let rejected = candidates.first {
                let names = exercise.languages.map(\.rawValue).joined(separator: " or ")
                folder.missingNotes[exercise.fullID] = SubmissionNote(.wrongLanguage, file: rejected.1, other: names)
                used.insert(rejected.1)
            }
        }
        var extra: [SubmissionNote] = []
        walk(root, relative: "") { relative, kind in
            if used.contains(relative) { return }
            if kind == .symlink {
                extra.append(SubmissionNote(.symbolicLink, file: relative))
            } else if let home = home(of: relative, exercises: exercises, handedIn: folder.files) {
                extra.append(SubmissionNote(.misplaced, file: relative, other: home.path))
                // The missing exercise says where its file went.
                if folder.missingNotes[home.id] == nil { folder.missingNotes[home.id] = SubmissionNote(.misplaced, file: relative, other: home.path) }
            } else {
                extra.append(SubmissionNote(.notAnExercise, file: relative))
            }
        }
        extra.sort { $0.file < $1.file }
        if extra.count > noteLimit {
            let more = extra.count - noteLimit
            extra = Array(extra.prefix(noteLimit)) + [SubmissionNote(.more, file: String(more))]
        }
        folder.ignored += extra
        return folder
    }

    /// Where a file that is not in its place belongs: a file named like an exercise
    /// (`echo.c` at the top of the folder from a flat Gradescope upload, `hw1/lesson/echo.c`
    /// one folder too deep, `lesson_1/echo.c`) whose exercise takes its language and was not
    /// handed in where it belongs. Nil when no single exercise fits.
    static func home(of relative: String, exercises: [Exercise], handedIn: [String: String]) -> (id: String, path: String)? {
        let name = (relative as NSString).lastPathComponent
        guard let language = Language(fileName: name) else { return nil }
        let stem = String(name.dropLast(language.fileExtension.count + 1))
        let fits = exercises.filter { $0.id == stem && $0.languages.contains(language) && handedIn[$0.fullID] == nil }
        guard fits.count == 1, let exercise = fits.first else { return nil }
        return (exercise.fullID, "\(exercise.lessonID)/\(exercise.id).\(language.fileExtension)")
    }

    enum EntryKind { case file, symlink }

    /// Every regular file or symlink below `root` (hidden entries skipped), by relative path.
    static func walk(_ root: String, relative: String, _ visit: (String, EntryKind) -> Void) {
        let directory = relative.isEmpty ? root : root + "/" + relative
        guard let names = try? entries(of: directory) else { return }
        for name in names.sorted() {
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(root + "/" + path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: walk(root, relative: path, visit)
            case S_IFLNK: visit(path, .symlink)
            case S_IFREG: visit(path, .file)
            default: continue
            }
        }
    }

    static func entries(of directory: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { !$0.hasPrefix(".") }
        } catch {
            throw ClassFolderError(description: "\(directory): cannot list it (\(String(cString: strerror(errno)))); pass the folder that holds one folder per student")
        }
    }

    /// A regular file, not a symbolic link (a link could point at files outside the submission).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
