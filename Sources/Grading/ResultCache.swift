// Results kept on disk, keyed by submission, exercise definition and tool version, so that an
// interrupted `grade` (Ctrl-C, kill -9) started again redoes only what is missing. Entries are
// written atomically; an unreadable entry is a miss, never trusted.

import Foundation
import Notebook
import Toolchain
#if canImport(Glibc)
import Glibc
#endif

package struct ResultCache: Sendable {
    package var directory: String
    package var toolVersion: String

    package init(directory: String, toolVersion: String) {
        self.directory = directory
        self.toolVersion = toolVersion
    }

    /// `$LESSONS_CACHE/results`, else `$XDG_CACHE_HOME/lessons/results`, else `~/.cache/lessons/results`.
    package static func defaultDirectory() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let root = environment["LESSONS_CACHE"], !root.isEmpty { return root + "/results" }
        if let root = environment["XDG_CACHE_HOME"], !root.isEmpty { return root + "/lessons/results" }
        return NSHomeDirectory() + "/.cache/lessons/results"
    }

    /// What decides an exercise's verdicts: everything but its prose. (Encoded by hand: a
    /// dictionary keyed by an enum encodes in hash order, which changes from run to run.)
    package static func definitionHash(_ exercise: Exercise) -> String {
        struct Definition: Encodable {
            var id: String, lesson: String, languages: [String], cases: [ExerciseCase]
            var expectations: [ExpectationSource], points: Int, allOrNothing: Bool, limits: LimitOverrides, hints: Int
        }
        let definition = Definition(id: exercise.id, lesson: exercise.lessonID, languages: exercise.languages.map(\.rawValue),
                                    cases: exercise.cases, expectations: exercise.expectations, points: exercise.points, allOrNothing: exercise.allOrNothing,
                                    limits: exercise.limits, hints: exercise.hints.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return SHA256.hexDigest(Array((try? encoder.encode(definition)) ?? Data()))
    }

    package func key(submission: [UInt8], fileName: String, definitionHash: String) -> String {
        var hasher = SHA256()
        hasher.update("lessons-result\u{0}\(toolVersion)\u{0}\(definitionHash)\u{0}\(fileName)\u{0}")
        hasher.update(submission)
        return SHA256.hex(hasher.finalize())
    }

    private func path(_ key: String) -> String { "\(directory)/\(key.prefix(2))/\(key).json" }

    package func load(_ key: String) -> ExerciseResult? {
        guard let data = FileManager.default.contents(atPath: path(key)) else { return nil }
        return try? JSONDecoder().decode(ExerciseResult.self, from: data)
    }

    /// Stores a result; a failure to store only costs a re-check later.
    package func store(_ result: ExerciseResult, key: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(result) else { return }
        try? AtomicFile.write(data, to: path(key))
    }
}

/// Writing files so that a reader sees the old file or the whole new one, never a part.
package enum AtomicFile {
    /// With `sweep`, temporary files a killed writer left for the same target are removed first.
    /// With `createFolders` (the result cache), missing parent folders are made first.
    package static func write(_ data: Data, to path: String, sweep: Bool = false, createFolders: Bool = true) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && createFolders {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        if sweep { removeAbandonedTemporaries(of: path) }
        let temporary = "\(directory.isEmpty ? "." : directory)/.\((path as NSString).lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw ClassFolderError(description: "\(path): cannot write \(temporary) (\(String(cString: strerror(errno)))); check the folder's permissions and free space")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ClassFolderError(description: "\(path): cannot replace it (\(reason))")
        }
    }

    package static func write(_ text: String, to path: String, sweep: Bool = true, createFolders: Bool = true) throws {
        try write(Data(text.utf8), to: path, sweep: sweep, createFolders: createFolders)
    }

    /// `write(_:to:)` for a text made in pieces: `produce` gives them to its argument in order,
    /// and each goes to the temporary file as it comes (a large report is never whole in memory).
    static func write(to path: String, sweep: Bool = true, _ produce: ((String) -> Void) -> Void) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if sweep { removeAbandonedTemporaries(of: path) }
        let temporary = "\(directory.isEmpty ? "." : directory)/.\((path as NSString).lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        var failure = fd < 0 ? errno : 0
        if fd >= 0 {
            var sink = BufferedFile(fd: fd)
            produce { piece in if failure == 0 { failure = sink.write(piece) } }
            if failure == 0 { failure = sink.flush() }
            if close(fd) != 0 && failure == 0 { failure = errno }
        }
        guard failure == 0 else {
            if fd >= 0 { unlink(temporary) }
            throw ClassFolderError(description: "\(path): cannot write \(temporary) (\(String(cString: strerror(failure)))); check the folder's permissions and free space")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ClassFolderError(description: "\(path): cannot replace it (\(reason))")
        }
    }

    /// `.<name>.<pid>.<random>.tmp` files whose writer is gone (killed between write and rename).
    static func removeAbandonedTemporaries(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = ".\((path as NSString).lastPathComponent)."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let fields = name.dropFirst(prefix.count).split(separator: ".")
            guard fields.count == 3, let pid = Int32(fields[0]) else { continue }
            if kill(pid, 0) == -1 && errno == ESRCH {
                unlink((directory.isEmpty ? "." : directory) + "/" + name)
            }
        }
    }
}

/// Writing a report where the user asked (`--output`): atomically when the target is absent or
/// a regular file; anything else (a device such as /dev/full, a fifo, a symbolic link such as
/// /dev/stdout) is opened and written to directly, never replaced. No folder is created that
/// was not asked for: a missing parent folder is the user's error.
package enum ReportFile {
    package struct WriteError: Error, CustomStringConvertible, Sendable {
        /// True when the user's path is wrong (exit 2), false when writing failed (exit 3).
        package var isUsage: Bool
        package var description: String
    }

    package static func write(_ text: String, to path: String) throws {
        try write(to: path) { $0(text) }
    }

    /// `write(_:to:)` for a text made in pieces: `produce` gives them to its argument in order,
    /// each written as it comes.
    package static func write(to path: String, _ produce: ((String) -> Void) -> Void) throws {
        var info = stat()
        if lstat(path, &info) == 0 {
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR {
                throw WriteError(isUsage: true, description: "\(path): is a folder; give a file path")
            }
            if type != S_IFREG {
                try writeDirectly(to: path, produce)
                return
            }
        } else {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty && !ClassFolder.isDirectory((parent as NSString).resolvingSymlinksInPath) {
                throw WriteError(isUsage: true, description: "\(path): no such folder \(parent); create it first")
            }
        }
        do {
            try AtomicFile.write(to: path, produce)
        } catch let error as ClassFolderError {
            throw WriteError(isUsage: false, description: error.description)
        }
    }

    /// A folder the user named (`--output DIR`, `--feedback-dir DIR`): made if absent, but
    /// only when its parent exists.
    package static func prepareFolder(_ path: String) throws {
        if ClassFolder.isDirectory((path as NSString).resolvingSymlinksInPath) { return }
        var info = stat()
        if lstat(path, &info) == 0 {
            throw WriteError(isUsage: true, description: "\(path): not a folder; give a folder path")
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && !ClassFolder.isDirectory((parent as NSString).resolvingSymlinksInPath) {
            throw WriteError(isUsage: true, description: "\(path): no such folder \(parent); create it first")
        }
        guard mkdir(path, 0o777) == 0 || errno == EEXIST else {
            throw WriteError(isUsage: false, description: "\(path): cannot create the folder (\(String(cString: strerror(errno))))")
        }
    }

    static func writeDirectly(to path: String, _ produce: ((String) -> Void) -> Void) throws {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else {
            throw WriteError(isUsage: false, description: "\(path): cannot open it for writing (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var sink = BufferedFile(fd: fd)
        var failure: Int32 = 0
        produce { piece in if failure == 0 { failure = sink.write(piece) } }
        if failure == 0 { failure = sink.flush() }
        if failure != 0 {
            throw WriteError(isUsage: false, description: "\(path): cannot write the report (\(String(cString: strerror(failure))))")
        }
    }
}

/// Text written to a descriptor in blocks of 64 KiB: a report's many small pieces cost few writes.
struct BufferedFile {
    let fd: Int32
    private var buffer: [UInt8] = []
    static let blockSize = 1 << 16

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(Self.blockSize)
    }

    /// 0, or the errno of a failed write.
    mutating func write(_ text: String) -> Int32 {
        buffer.append(contentsOf: text.utf8)
        return buffer.count >= Self.blockSize ? flush() : 0
    }

    /// 0, or the errno of a failed write.
    mutating func flush() -> Int32 {
        var offset = 0
        defer { buffer.removeAll(keepingCapacity: buffer.capacity <= 4 * Self.blockSize) }
        while offset < buffer.count {
            let written = buffer[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return 0
    }
}
