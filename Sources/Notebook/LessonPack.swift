// A lesson pack: every lesson file of one directory, checked as a whole (unique ids,
// known prerequisites), in teaching order; and where the default pack lives.

import Foundation
import Vocabulary

public struct LessonPack: Sendable {
    /// The directory the pack was loaded from.
    public var directory: String
    /// Sorted by `order`, then id.
    public var lessons: [Lesson]

    public init(directory: String, lessons: [Lesson]) {
        self.directory = directory
        self.lessons = lessons.sorted { ($0.order, $0.id) < ($1.order, $1.id) }
    }

    /// A pack built in memory (tests, tools); it has no directory, so no `Solutions/`.
    public init(lessons: [Lesson]) {
        self.init(directory: "", lessons: lessons)
    }

    /// Why `path` (a name ending in `.md`) could not be read as a lesson file, and what to do.
    static func unreadableReason(_ path: String) -> String {
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            return "a folder named like a lesson file: lesson files are plain *.md files; rename or move this folder"
        }
        var link = stat()
        if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK, stat(path, &info) != 0 {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            return "a symbolic link to \(target), which is not there; fix the link or remove it"
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        let code = fd < 0 ? errno : 0
        let reason = fd < 0 ? String(cString: strerror(code)) : "read failed"
        if fd >= 0 { close(fd) }
        return "cannot read this lesson file (\(reason))" + (code == EACCES || code == EPERM ? "; check its permissions" : "")
    }

    /// Reads every `*.md` file of `directory` except `README.md`. A lesson with a broken
    /// front matter, or one whose id another file already uses, is left out; every problem
    /// is in `diagnostics`, in file order.
    public static func load(directory: String) -> (pack: LessonPack, diagnostics: [LessonDiagnostic]) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return (LessonPack(directory: directory, lessons: []),
                    [LessonDiagnostic(file: directory, line: 1, "no lesson directory here: pass --lessons DIR or set LESSONS_PATH to a directory of lesson files")])
        }
        let names: [String]
        do {
            names = try fm.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" && !$0.hasPrefix(".") }
                .sorted()
        } catch {
            return (LessonPack(directory: directory, lessons: []),
                    [LessonDiagnostic(file: directory, line: 1, "cannot list the lesson directory: \(error.localizedDescription)")])
        }
        var diagnostics: [LessonDiagnostic] = []
        if names.isEmpty {
            diagnostics.append(LessonDiagnostic(file: directory, line: 1, "no lesson files (*.md) in this directory"))
        }
        var parsed: [ParsedLesson] = []
        for name in names {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            guard let data = fm.contents(atPath: path) else {
                diagnostics.append(LessonDiagnostic(file: path, line: 1, unreadableReason(path)))
                continue
            }
            let text: String
            switch LessonText.decode(data) {
            case .success(let decoded): text = decoded
            case .failure(let error):
                diagnostics.append(LessonDiagnostic(file: path, line: error.line, error.message))
                continue
            }
            let result = LessonParser.parseDetailed(text, file: path)
            diagnostics.append(contentsOf: result.diagnostics)
            parsed.append(result)
        }

        var byID: [String: ParsedLesson] = [:]
        var lessons: [Lesson] = []
        for result in parsed {
            guard let lesson = result.lesson else { continue }
            if let first = byID[lesson.id] {
                diagnostics.append(LessonDiagnostic(location: result.idLocation,
                    message: "lesson id '\(lesson.id)' is already used by \(first.idLocation.file):\(first.idLocation.line)"))
                continue
            }
            byID[lesson.id] = result
            lessons.append(lesson)
        }
        for result in parsed {
            guard let lesson = result.lesson, byID[lesson.id]?.idLocation == result.idLocation else { continue }
            for prerequisite in lesson.prerequisites {
                let at = result.prerequisiteLocations[prerequisite] ?? result.idLocation
                guard let other = byID[prerequisite]?.lesson else {
                    diagnostics.append(LessonDiagnostic(location: at,
                        message: "unknown prerequisite '\(prerequisite)': no lesson in this pack has that id"))
                    continue
                }
                if other.order >= lesson.order {
                    diagnostics.append(LessonDiagnostic(location: at,
                        message: "prerequisite '\(prerequisite)' (order \(other.order)) must come before this lesson (order \(lesson.order))"))
                }
            }
        }
        return (LessonPack(directory: directory, lessons: lessons), diagnostics)
    }

    public func lesson(_ id: String) -> Lesson? {
        lessons.first { $0.id == id }
    }

    /// The exercise `lesson/exercise`.
    public func exercise(_ fullID: String) -> Exercise? {
        let parts = fullID.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let lesson = lesson(String(parts[0])) else { return nil }
        return lesson.exercises.first { $0.id == parts[1] }
    }

    /// Every exercise of the pack, in teaching order.
    public var exercises: [Exercise] { lessons.flatMap(\.exercises) }
}

// MARK: Finding packs and solutions

extension LessonPack {
    /// `$LESSONS_PATH` if set; else the `Lessons/` bundled with the tool: `<prefix>/share/lessons/Lessons`
    /// for an executable installed as `<prefix>/bin/lessons` (scripts/install.sh), else walking up
    /// from the executable's real path to a directory holding `Lessons/` and `Package.swift`
    /// (after `swift build` / `swift run`). An installed pack wins: a prefix inside some other
    /// checkout still uses the pack installed with it. The `--lessons DIR` flag is the caller's.
    public static func defaultDirectory() -> String? {
        defaultDirectory(environment: ProcessInfo.processInfo.environment, executable: executablePath())
    }

    static func defaultDirectory(environment: [String: String], executable: String?) -> String? {
        if let path = environment["LESSONS_PATH"], !path.isEmpty { return path }
        guard let executable else { return nil }
        let fm = FileManager.default
        func isDirectory(_ path: String) -> Bool {
            var flag: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &flag) && flag.boolValue
        }
        var directory = (executable as NSString).deletingLastPathComponent
        let prefix = (directory as NSString).deletingLastPathComponent
        let installed = (prefix as NSString).appendingPathComponent("share/lessons/Lessons")
        if isDirectory(installed) { return installed }
        while !directory.isEmpty {
            let lessons = (directory as NSString).appendingPathComponent("Lessons")
            if isDirectory(lessons), fm.fileExists(atPath: (directory as NSString).appendingPathComponent("Package.swift")) {
                return lessons
            }
            if directory == "/" { break }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return nil
    }

    /// The real path of the running executable (`/proc/self/exe`), symlinks resolved.
    static func executablePath() -> String? {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return CommandLine.arguments.first.map { ($0 as NSString).resolvingSymlinksInPath }
    }

    /// The `Solutions/` directory of a pack: `<pack>/Solutions`, else `Solutions/` beside the
    /// pack directory (`Lessons/` and `Solutions/` side by side in the repository).
    public static func solutionsDirectory(forPack directory: String) -> String? {
        guard !directory.isEmpty else { return nil }
        let fm = FileManager.default
        var flag: ObjCBool = false
        let inside = (directory as NSString).appendingPathComponent("Solutions")
        if fm.fileExists(atPath: inside, isDirectory: &flag), flag.boolValue { return inside }
        let standardized = (directory as NSString).standardizingPath
        let beside = ((standardized as NSString).deletingLastPathComponent as NSString).appendingPathComponent("Solutions")
        if fm.fileExists(atPath: beside, isDirectory: &flag), flag.boolValue { return beside }
        return nil
    }

    /// This pack's `Solutions/` directory, if it has one.
    public var solutionsDirectory: String? { Self.solutionsDirectory(forPack: directory) }

    /// The solution files of `exercise` that exist: `Solutions/<lesson>/<exercise>.{c,swift}`.
    public func solutions(for exercise: Exercise) -> [Language: String] {
        guard let root = solutionsDirectory else { return [:] }
        var found: [Language: String] = [:]
        for language in Language.allCases {
            let path = "\(root)/\(exercise.lessonID)/\(exercise.id).\(language.fileExtension)"
            if FileManager.default.fileExists(atPath: path) { found[language] = path }
        }
        return found
    }
}
