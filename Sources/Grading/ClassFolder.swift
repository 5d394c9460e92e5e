// Reading a class folder: `DIR/<student>/<lesson>/<exercise>.{c,swift}`. Decides which file
// is each student's submission for each exercise, notes everything it ignores, and reads a
// submission's bytes. Below DIR nothing is followed: not a student folder that is a symbolic
// link, not a lesson folder, not an exercise file (git keeps symlinks, so a cloned repository
// can carry `mallory/brk -> /course/Solutions/brk`). Every path is opened one component at a
// time without following links (NoFollowPath.swift), and the bytes graded are read through the
// descriptor that was checked.

import Foundation
import Notebook
import Toolchain
import Vocabulary

/// One student's folder: the file chosen for each exercise (absent: missing) and notes.
package struct StudentFolder: Sendable {
    package var id: String
    /// Where the student's folder is, for messages (never opened by this name: see `base`).
    package var root: String
    /// Full exercise id → the submitted file, relative to the student's folder.
    package var submissions: [String: String]
    /// Full exercise id → why nothing was graded although something was there.
    package var missingNotes: [String: SubmissionNote]
    /// Files ignored, in path order.
    package var ignored: [SubmissionNote]
    /// The same as the instructor reads them.
    package var notes: [String] { ignored.map(\.english) }
    /// The folder opened following links (the one the instructor named) and the components
    /// below it to the student's folder, followed by nothing.
    var base: String
    var inside: [String]
    /// The owner of the student's folder when it is not this process's user (the hard-link rule).
    var owner: uid_t?

    /// Full exercise id → path of the submitted file (for messages; read it with `ClassFolder.read(_:exercise:limit:)`).
    package var files: [String: String] { submissions.mapValues { root + "/" + $0 } }

    /// A student's folder `root` (its last component opened without following a link) handing
    /// in `submissions` (exercise id → path relative to `root`).
    package init(id: String, root: String, submissions: [String: String], missingNotes: [String: SubmissionNote] = [:],
                ignored: [SubmissionNote] = []) {
        let parent = (root as NSString).deletingLastPathComponent
        self.init(id: id, root: root, submissions: submissions, missingNotes: missingNotes, ignored: ignored,
                  base: parent.isEmpty ? "." : parent, inside: [(root as NSString).lastPathComponent], owner: nil)
    }

    init(id: String, root: String, submissions: [String: String], missingNotes: [String: SubmissionNote], ignored: [SubmissionNote],
         base: String, inside: [String], owner: uid_t?) {
        self.id = id
        self.root = root
        self.submissions = submissions
        self.missingNotes = missingNotes
        self.ignored = ignored
        self.base = base
        self.inside = inside
        self.owner = owner
    }
}

package struct ClassFolderError: Error, CustomStringConvertible {
    package var description: String
}

package enum ClassFolder {
    /// Most notes about ignored files per student (a stray build folder must not flood a report).
    static let noteLimit = 20
    /// How far the look for ignored files goes in one student's folder (a node_modules folder
    /// must not stall the grader).
    static let walkEntryLimit = 10_000
    static let walkDepthLimit = 16

    /// The students under `directory`, sorted by id: one folder each (hidden entries skipped),
    /// and symbolic links that point at a folder (listed so that the report says why nothing
    /// of theirs was graded; never followed).
    package static func studentIDs(in directory: String) throws -> [String] {
        try entries(of: directory).filter { name in
            let path = directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { return false }
            if info.st_mode & S_IFMT == S_IFDIR { return true }
            return info.st_mode & S_IFMT == S_IFLNK && stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
        }.sorted()
    }

    /// What one student handed in for `exercises`. `root` is the student's folder: with
    /// `followRoot` (one submission named by the instructor, `--single`) it is opened as given,
    /// otherwise its last component must be a real folder too.
    package static func read(student id: String, root: String, exercises: [Exercise], followRoot: Bool = false) -> StudentFolder {
        let base: String
        let inside: [String]
        if followRoot {
            (base, inside) = (root, [])
        } else {
            let parent = (root as NSString).deletingLastPathComponent
            (base, inside) = (parent.isEmpty ? "." : parent, [(root as NSString).lastPathComponent])
        }
        var folder = StudentFolder(id: id, root: root, submissions: [:], missingNotes: [:], ignored: [],
                                   base: base, inside: inside, owner: nil)
        let opened: NoFollowPath.Opened
        switch NoFollowPath.open(base: base, components: inside, expectFolder: true) {
        case .success(let value):
            opened = value
        case .failure(let refusal):
            let why: SubmissionNote
            switch refusal {
            case .symbolicLink: why = SubmissionNote(.linkedStudentFolder, file: id)
            default: why = note(refusal, relative: id)
            }
            folder.ignored = [why]
            for exercise in exercises { folder.missingNotes[exercise.fullID] = why }
            return folder
        }
        let ownerID = opened.info.st_uid
        opened.close()
        if ownerID != geteuid() { folder.owner = ownerID }

        var used = Set<String>()
        for exercise in exercises {
            var candidates: [(Language, String)] = []
            var refused: [(Language, String, NoFollowPath.Refusal)] = []
            for language in Language.allCases {
                let relative = "\(exercise.lessonID)/\(exercise.id).\(language.fileExtension)"
                switch NoFollowPath.open(base: base, components: inside + relative.split(separator: "/").map(String.init), owner: folder.owner) {
                case .success(let file):
                    file.close()
                    candidates.append((language, relative))
                case .failure(.absent), .failure(.notFolder):
                    continue
                case .failure(let refusal):
                    refused.append((language, relative, refusal))
                }
            }
            let accepted = candidates.filter { exercise.languages.contains($0.0) }
                .sorted { (exercise.languages.firstIndex(of: $0.0) ?? 0) < (exercise.languages.firstIndex(of: $1.0) ?? 0) }
            if let chosen = accepted.first {
                folder.submissions[exercise.fullID] = chosen.1
                used.insert(chosen.1)
                for other in accepted.dropFirst() {
                    folder.ignored.append(SubmissionNote(.anotherFileGraded, file: other.1, other: chosen.1))
                    used.insert(other.1)
                }
            } else if let refusal = refused.first(where: { exercise.languages.contains($0.0) }) {
                folder.missingNotes[exercise.fullID] = note(refusal.2, relative: refusal.1, inside: inside)
                used.insert(refusal.1)
            } else if let rejected = candidates.first {
                let names = exercise.languages.map(\.rawValue).joined(separator: " or ")
                folder.missingNotes[exercise.fullID] = SubmissionNote(.wrongLanguage, file: rejected.1, other: names)
                used.insert(rejected.1)
            }
        }
        var extra: [SubmissionNote] = []
        var visited = 0
        walkEntries(base: base, inside: inside, relative: [], depth: 0, visited: &visited) { relative, kind in
            if used.contains(relative) { return }
            switch kind {
            case .symlink:
                extra.append(SubmissionNote(.symbolicLink, file: relative))
            case .special(let type):
                extra.append(SubmissionNote(.notRegular, file: relative, other: type))
            case .file:
                if let home = home(of: relative, exercises: exercises, handedIn: folder.submissions) {
                    extra.append(SubmissionNote(.misplaced, file: relative, other: home.path))
                    // The missing exercise says where its file went.
                    if folder.missingNotes[home.id] == nil { folder.missingNotes[home.id] = SubmissionNote(.misplaced, file: relative, other: home.path) }
                } else {
                    extra.append(SubmissionNote(.notAnExercise, file: relative))
                }
            }
        }
        extra.sort { $0.file < $1.file }
        if extra.count > noteLimit {
            let more = extra.count - noteLimit
            extra = Array(extra.prefix(noteLimit)) + [SubmissionNote(.more, file: String(more))]
        }
        if visited > walkEntryLimit { extra.append(SubmissionNote(.lookStopped, file: String(walkEntryLimit))) }
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

    /// A submission's bytes, read through a descriptor opened without following any link.
    package enum Submission: Sendable, Equatable {
        case bytes([UInt8])
        /// Larger than the limit: its size.
        case tooLarge(Int)
        /// It could not be read as a submission any more (it changed into a link, a FIFO…).
        case refused(SubmissionNote)
    }

    /// Reads the file `folder` hands in for `exerciseID`, at most `limit` bytes. The file is
    /// opened anew, without following links, and checked again: a folder changed since
    /// `read(student:…)` gets no further than it would have then.
    package static func read(_ folder: StudentFolder, exercise exerciseID: String, limit: Int) -> Submission {
        guard let relative = folder.submissions[exerciseID] else { return .refused(SubmissionNote(.unreadable, file: exerciseID, other: "no file")) }
        let components = folder.inside + relative.split(separator: "/").map(String.init)
        switch NoFollowPath.open(base: folder.base, components: components, owner: folder.owner) {
        case .failure(let refusal):
            return .refused(note(refusal, relative: relative, inside: folder.inside))
        case .success(let opened):
            defer { opened.close() }
            switch NoFollowPath.read(opened, limit: limit) {
            case .success(let bytes): return .bytes(bytes)
            case .failure(.tooLarge(let size)): return .tooLarge(size)
            case .failure(.failed(let reason)): return .refused(SubmissionNote(.unreadable, file: relative, other: reason))
            }
        }
    }

    /// What a refusal means, as a note about `relative` (a path in the student's folder, whose
    /// own place is `inside` below the base).
    static func note(_ refusal: NoFollowPath.Refusal, relative: String, inside: [String] = []) -> SubmissionNote {
        let prefix = inside.isEmpty ? "" : inside.joined(separator: "/") + "/"
        var refusal = refusal
        switch refusal {
        case .symbolicLink(let component) where component.hasPrefix(prefix):
            refusal = .symbolicLink(String(component.dropFirst(prefix.count)))
        case .notFolder(let component) where component.hasPrefix(prefix):
            refusal = .notFolder(String(component.dropFirst(prefix.count)))
        default:
            break
        }
        switch refusal {
        case .absent:
            return SubmissionNote(.unreadable, file: relative, other: "it is not there")
        case .symbolicLink(let component):
            return component == relative || component.isEmpty
                ? SubmissionNote(.symbolicLink, file: relative)
                : SubmissionNote(.linkedFolder, file: relative, other: component)
        case .notFolder(let component):
            return SubmissionNote(.unreadable, file: relative, other: "\(component) is not a folder")
        case .notRegular(let kind):
            return SubmissionNote(.notRegular, file: relative, other: kind)
        case .foreignHardLink(let owner):
            return SubmissionNote(.foreignHardLink, file: relative, other: String(owner))
        case .failed(let reason):
            return SubmissionNote(.unreadable, file: relative, other: reason)
        }
    }

    enum EntryKind: Equatable { case file, symlink, special(String) }

    /// Every regular file or symlink below `root` (hidden entries skipped), by relative path.
    /// `root` itself is followed; nothing below it is.
    static func walk(_ root: String, relative: String, _ visit: (String, EntryKind) -> Void) {
        var visited = 0
        let start = relative.split(separator: "/").map(String.init)
        walkEntries(base: root, inside: start, relative: start, depth: 0, visited: &visited) { path, kind in
            if case .special = kind { return }
            visit(path, kind)
        }
    }

    /// Visits what is below `base/inside…` (hidden entries skipped, in name order), at most
    /// `walkEntryLimit` entries and `walkDepthLimit` folders deep; `relative` is what paths are
    /// reported relative to.
    private static func walkEntries(base: String, inside: [String], relative: [String], depth: Int, visited: inout Int,
                                    _ visit: (String, EntryKind) -> Void) {
        guard depth <= walkDepthLimit, visited <= walkEntryLimit,
              case .success(let opened) = NoFollowPath.open(base: base, components: inside, expectFolder: true) else { return }
        let listing = Glibc.openat(opened.descriptor, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        opened.close()
        guard listing >= 0, let handle = fdopendir(listing) else { return }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        var kinds: [String: mode_t] = [:]
        for name in names {
            var info = stat()
            if fstatat(dirfd(handle), name, &info, AT_SYMLINK_NOFOLLOW) == 0 { kinds[name] = info.st_mode & S_IFMT }
        }
        closedir(handle)
        for name in names.sorted() {
            visited += 1
            if visited > walkEntryLimit { return }
            guard let type = kinds[name] else { continue }
            let path = (relative + [name]).joined(separator: "/")
            switch type {
            case S_IFDIR: walkEntries(base: base, inside: inside + [name], relative: relative + [name], depth: depth + 1,
                                      visited: &visited, visit)
            case S_IFLNK: visit(path, .symlink)
            case S_IFREG: visit(path, .file)
            default: visit(path, .special(NoFollowPath.kindCode(type)))
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

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
