// The learner's workspace: a directory holding their exercise files (`<lesson>/<exercise>.c`
// or `.swift`, starters copied in) and `.lessons/` (settings, progress, REPL history).
// Found again from any subdirectory by walking up to the nearest `.lessons/`.

import Foundation
import Notebook
import Toolchain
import Vocabulary
#if canImport(Glibc)
import Glibc
#endif

struct Workspace {
    static let marker = ".lessons"

    /// The directory holding `.lessons/`.
    let root: String
    var settings: Settings
    /// Why `settings.json` was not used as written (one line naming it), for the command that
    /// uses the workspace to say once; nil when it was, or when there is none.
    var settingsWarning: String?

    struct Settings: Codable, Equatable {
        /// The language starters are copied in and new files are written in.
        var language: Language
    }

    var stateDirectory: String { (root as NSString).appendingPathComponent(Workspace.marker) }
    var progressPath: String { (stateDirectory as NSString).appendingPathComponent("progress.json") }
    var settingsPath: String { (stateDirectory as NSString).appendingPathComponent("settings.json") }
    var historyPath: String { (stateDirectory as NSString).appendingPathComponent("history") }
    var cellsDirectory: String { (stateDirectory as NSString).appendingPathComponent("cells") }

    /// The nearest workspace at or above `directory`.
    static func find(from directory: String) -> Workspace? {
        var current = (directory as NSString).standardizingPath
        while true {
            let marker = (current as NSString).appendingPathComponent(Workspace.marker)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: marker, isDirectory: &isDirectory), isDirectory.boolValue {
                let (settings, warning) = loadSettings(root: current)
                return Workspace(root: current, settings: settings, settingsWarning: warning)
            }
            if current == "/" || current.isEmpty { return nil }
            current = (current as NSString).deletingLastPathComponent
        }
    }

    /// The workspace commands run in `directory` use: the nearest `.lessons/` at or above it,
    /// else `./lessons-work` when that is one (so the folder `lessons init` made is found from
    /// where it was made).
    static func locate(from directory: String) -> Workspace? {
        if let found = find(from: directory) { return found }
        let folder = WorkspacePlace.defaultFolder(in: directory)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(marker), isDirectory: &isDirectory),
              isDirectory.boolValue else { return nil }
        return find(from: folder)
    }

    /// The settings, and what was wrong with them. Without usable ones: the language most of
    /// the learner's files are in, else C; a workspace made before settings existed has no
    /// file, and that is no fault.
    static func loadSettings(root: String) -> (Settings, warning: String?) {
        let path = ((root as NSString).appendingPathComponent(marker) as NSString).appendingPathComponent("settings.json")
        let problem: String
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            guard code != ENOENT else { return (Settings(language: majorityLanguage(root).language), nil) }
            problem = "cannot be read (\(String(cString: strerror(code))))"
        } else if info.st_mode & S_IFMT == S_IFDIR {
            problem = "is a folder, not a file"
        } else if let data = FileManager.default.contents(atPath: path) {
            if let settings = try? JSONDecoder().decode(Settings.self, from: data) { return (settings, nil) }
            problem = settingsProblem(data)
        } else {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            let code = errno
            if fd >= 0 { close(fd) }
            problem = "cannot be read" + (fd < 0 ? " (\(String(cString: strerror(code))))" : "")
        }
        let (language, why) = majorityLanguage(root)
        let accepted = Language.allCases.map(\.rawValue)
        let warning = "warning: \(path) \(problem); using \(language.rawValue) (\(why)) until "
            + accepted.map { "'lessons init --lang \($0)'" }.joined(separator: " or ") + " sets it"
        return (Settings(language: language), warning)
    }

    /// What is wrong with settings that do not decode, after the file's name.
    private static func settingsProblem(_ data: Data) -> String {
        let accepted = Language.allCases.map(\.rawValue).joined(separator: " or ")
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return "is not valid JSON" }
        guard let language = (object as? [String: Any])?["language"] as? String else { return "has no \"language\" (\(accepted))" }
        return "names the language \"\(language)\", which is not \(accepted)"
    }

    /// The language most of the learner's files are in (else C), and why it was chosen.
    private static func majorityLanguage(_ root: String) -> (language: Language, why: String) {
        let files = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String]) ?? []
        let swift = files.filter { $0.hasSuffix(".swift") && !$0.hasPrefix(marker) }.count
        let c = files.filter { $0.hasSuffix(".c") && !$0.hasPrefix(marker) }.count
        if swift > c { return (.swift, "most files here are Swift") }
        return (.c, c > swift ? "most files here are C" : "the default")
    }

    /// Makes `directory` a workspace (or updates the language of the one already there).
    @discardableResult
    static func create(at directory: String, language: Language?) throws -> Workspace {
        let root = (directory as NSString).standardizingPath
        let existing = FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(marker))
        var workspace = Workspace(root: root, settings: Settings(language: language ?? .c))
        if existing {
            (workspace.settings, workspace.settingsWarning) = loadSettings(root: root)
        }
        if let language {
            workspace.settings.language = language
            workspace.settingsWarning = nil
        }
        if let reason = ErrorText.makeDirectories(workspace.stateDirectory) {
            throw LessonsFailure.usage("cannot create \(workspace.stateDirectory): \(reason); choose a directory you can write to")
        }
        do {
            try workspace.saveSettings()
        } catch {
            throw LessonsFailure.usage("cannot write \(workspace.settingsPath): \(ErrorText.reason(error)); \(ErrorText.advice(error))")
        }
        return workspace
    }

    func saveSettings() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicWrite.write(try encoder.encode(settings), to: settingsPath)
    }

    /// The language used for `exercise`: the workspace's, unless the exercise does not accept it.
    func language(for exercise: Exercise) -> Language {
        exercise.languages.contains(settings.language) || exercise.languages.isEmpty ? settings.language : exercise.languages[0]
    }

    /// Where the learner's file for `exercise` lives. An existing file in the other language wins,
    /// so that changing the workspace language never hides work.
    func file(for exercise: Exercise) -> String {
        let preferred = path(exercise, language(for: exercise))
        if FileManager.default.fileExists(atPath: preferred) { return preferred }
        for other in exercise.languages where other != language(for: exercise) {
            let path = path(exercise, other)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return preferred
    }

    func path(_ exercise: Exercise, _ language: Language) -> String {
        ((root as NSString).appendingPathComponent(exercise.lessonID) as NSString)
            .appendingPathComponent("\(exercise.id).\(language.fileExtension)")
    }

    /// The learner's file for `exercise`, with the starter copied in if there is no file yet.
    /// Never overwrites: an existing file is the learner's work.
    @discardableResult
    func prepareFile(for exercise: Exercise) throws -> (path: String, created: Bool) {
        let path = file(for: exercise)
        if FileManager.default.fileExists(atPath: path) { return (path, false) }
        let language = Language(fileName: path) ?? settings.language
        let starter = exercise.starters[language] ?? Workspace.emptyStarter(language)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try AtomicWrite.write(Data(starter.utf8), to: path, exclusive: true)
        } catch AtomicWrite.Failure.exists {
            return (path, false)
        } catch {
            throw LessonsFailure.usage("cannot write \(path): \(ErrorText.reason(error)); \(ErrorText.advice(error))")
        }
        return (path, true)
    }

    /// Puts the starter back (the old file is kept as `<file>.orig-<time>`).
    func resetFile(for exercise: Exercise) throws -> (path: String, backup: String?) {
        let path = file(for: exercise)
        var backup: String?
        let language = Language(fileName: path) ?? settings.language
        do {
            if FileManager.default.fileExists(atPath: path) {
                // Two resets within a second must not collide: never lose an earlier backup.
                var kept = "\(path).orig-\(Workspace.timestamp())"
                var number = 2
                while FileManager.default.fileExists(atPath: kept) {
                    kept = "\(path).orig-\(Workspace.timestamp())-\(number)"
                    number += 1
                }
                try FileManager.default.moveItem(atPath: path, toPath: kept)
                backup = kept
            }
            try AtomicWrite.write(Data((exercise.starters[language] ?? Workspace.emptyStarter(language)).utf8), to: path)
        } catch {
            throw LessonsFailure.usage("cannot write \(path): \(ErrorText.reason(error)); \(ErrorText.advice(error))" + (backup.map { " (your version is kept as \($0))" } ?? ""))
        }
        return (path, backup)
    }

    static func emptyStarter(_ language: Language) -> String {
        switch language {
        case .c: return "#include <stdio.h>\n#include <stdlib.h>\n\nint main(void) {\n    return 0;\n}\n"
        case .swift: return "import Glibc\n\n"
        }
    }

    static func timestamp(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }

    /// `lesson/exercise` from a learner path (`…/LESSON/EXERCISE.c`).
    static func exerciseID(fromPath path: String) -> String? {
        let components = (path as NSString).standardizingPath.split(separator: "/")
        guard components.count >= 2, let last = components.last, Language(fileName: String(last)) != nil else { return nil }
        let name = (String(last) as NSString).deletingPathExtension
        return "\(components[components.count - 2])/\(name)"
    }

    // MARK: progress

    /// The progress, or a fresh one when there is none. A corrupt file is kept aside
    /// (`progress.json.corrupt-<time>`) with a one-line warning, never deleted.
    func loadProgress(warn: (String) -> Void) -> Progress {
        guard let data = FileManager.default.contents(atPath: progressPath) else { return Progress() }
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(Progress.self, from: data)
        } catch {
            let aside = "\(progressPath).corrupt-\(Workspace.timestamp())"
            do {
                try FileManager.default.moveItem(atPath: progressPath, toPath: aside)
                warn("warning: \(progressPath) could not be read (\(Workspace.shortReason(error))); kept it as \((aside as NSString).lastPathComponent) and started a new progress file")
            } catch {
                warn("warning: \(progressPath) could not be read and could not be moved aside (\(ErrorText.reason(error))); progress will not be saved until it is fixed or removed")
                var progress = Progress()
                progress.readOnly = true
                return progress
            }
            return Progress()
        }
    }

    func saveProgress(_ progress: Progress) throws {
        guard !progress.readOnly else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicWrite.write(try encoder.encode(progress), to: progressPath)
    }

    static func shortReason(_ error: Error) -> String {
        if case DecodingError.dataCorrupted = error { return "not valid JSON" }
        if error is DecodingError { return "unexpected contents" }
        return ErrorText.reason(error)
    }
}

/// What the learner has done: solved exercises, hints seen, the exercise they are on.
struct Progress: Codable, Equatable {
    var version = 1
    var solved: [String: Solved] = [:]
    var hintsShown: [String: Int] = [:]
    var attempts: [String: Int] = [:]
    var current: String?
    /// Lesson id → the machine (`musl, Linux 6.18, x86_64`) a "recorded elsewhere" notice was
    /// shown for: `show` and `next` say it once per lesson and machine.
    var platformNotices: [String: String] = [:]
    /// Set when the file on disk is corrupt and could not be moved aside: do not overwrite it.
    var readOnly = false

    struct Solved: Codable, Equatable {
        var at: Date
        var language: Language
    }

    enum CodingKeys: String, CodingKey { case version, solved, hintsShown = "hints_shown", attempts, current, platformNotices = "platform_notices" }

    init() {}

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 1
        solved = try container.decodeIfPresent([String: Solved].self, forKey: .solved) ?? [:]
        hintsShown = try container.decodeIfPresent([String: Int].self, forKey: .hintsShown) ?? [:]
        attempts = try container.decodeIfPresent([String: Int].self, forKey: .attempts) ?? [:]
        current = try container.decodeIfPresent(String.self, forKey: .current)
        platformNotices = try container.decodeIfPresent([String: String].self, forKey: .platformNotices) ?? [:]
    }
}

/// The reason an operating-system error happened, in the words of strerror ("No space left on
/// device"), never Foundation's debug form (`Error Domain=NSPOSIXErrorDomain Code=28 …`).
enum ErrorText {
    static func reason(_ error: Error) -> String {
        if let failure = error as? LessonsFailure { return failure.message }
        if let code = errno(of: error) { return String(cString: strerror(code)) }
        return (error as NSError).localizedDescription
    }

    /// The errno behind a POSIX error or one of Foundation's file errors, when there is one.
    static func errno(of error: Error) -> Int32? {
        if let posix = error as? POSIXError { return posix.code.rawValue }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        guard ns.domain == NSCocoaErrorDomain else { return nil }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileWriteFileExists: return EEXIST
        case .fileWriteOutOfSpace: return ENOSPC
        case .fileWriteNoPermission, .fileReadNoPermission: return EACCES
        case .fileNoSuchFile, .fileReadNoSuchFile: return ENOENT
        case .fileWriteVolumeReadOnly: return EROFS
        default: return nil
        }
    }

    /// `mkdir -p`; nil, or strerror's words for why it failed ("Not a directory" where a file
    /// is in the way — Foundation only says "error 512").
    static func makeDirectories(_ path: String) -> String? {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") where !component.isEmpty {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && Glibc.errno != EEXIST { return String(cString: strerror(Glibc.errno)) }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return String(cString: strerror(Glibc.errno)) }
        return (info.st_mode & S_IFMT) == S_IFDIR ? nil : String(cString: strerror(ENOTDIR))
    }

    /// An error of the operating system or Foundation's file functions (not ArgumentParser's, not ours).
    static func isSystemError(_ error: Error) -> Bool {
        if error is POSIXError || error is CocoaError { return true }
        let domain = (error as NSError).domain
        return domain == NSPOSIXErrorDomain || domain == NSCocoaErrorDomain
    }

    /// What to do after failing to write somewhere.
    static func advice(_ error: Error) -> String {
        switch errno(of: error) {
        case ENOSPC, EDQUOT: return "free some space on that disk and try again"
        case EROFS: return "the disk is read-only: work in a directory you can write to"
        default: return "check that you can write to that directory"
        }
    }
}

/// Write to a temporary file beside the target, flush it, then rename over the target:
/// a reader sees the old contents or the new, never half of either.
enum AtomicWrite {
    enum Failure: Error { case exists }

    static func write(_ data: Data, to path: String, exclusive: Bool = false) throws {
        if exclusive && FileManager.default.fileExists(atPath: path) { throw Failure.exists }
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).tmp-\(getpid())")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue }; failure = errno; return }
                offset += written
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 {
            if exclusive {
                // link() fails if the target appeared meanwhile: never clobber a learner's file.
                if link(temporary, path) != 0 { failure = errno }
                unlink(temporary)
                if failure == EEXIST { throw Failure.exists }
            } else if rename(temporary, path) != 0 {
                failure = errno
            }
        }
        if failure != 0 {
            unlink(temporary)
            throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO)
        }
    }
}
