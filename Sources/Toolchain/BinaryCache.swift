// The compile cache: one directory per key under `<root>/binaries/`, holding the binary
// and `entry.json` (its size, SHA-256 and the compiler's warnings). Entries are built in
// `<root>/tmp/` and renamed into place whole, so concurrent compiles never see half an
// entry; an entry that does not match its record is removed and rebuilt, never used.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct CacheEntry: Codable, Sendable {
    var format: Int
    var binaryName: String
    var size: Int
    var sha256: String
    var warnings: String
}

struct BinaryCache: Sendable {
    var root: String

    /// `$LESSONS_CACHE`, else `$XDG_CACHE_HOME/lessons`, else `~/.cache/lessons`.
    static func rootDirectory(environment: [String: String]) -> String {
        if let path = environment["LESSONS_CACHE"], !path.isEmpty { return path }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return xdg + "/lessons" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return home + "/.cache/lessons"
    }

    var binaries: String { root + "/binaries" }
    var scratch: String { root + "/tmp" }
    var swiftModuleCache: String { root + "/swift-module-cache" }

    /// Entries kept when the cache is trimmed (about 40 KiB each), least recently used first out.
    static let maximumEntries = 4000
    static let entriesAfterTrim = 3000

    func prepare() throws {
        defer {
            CacheSweeper.shared.sweepOnce(scratch)
            CacheSweeper.shared.trimOnce(binaries, keep: Self.maximumEntries, trimTo: Self.entriesAfterTrim, scratch: scratch)
        }
        for directory in [binaries, scratch, swiftModuleCache] {
            if let reason = BinaryCache.makeDirectories(directory) {
                throw ToolchainError("cannot create the compile cache directory \(directory): \(reason); set LESSONS_CACHE to a writable directory")
            }
        }
    }

    /// A fresh directory inside the cache (same file system as the entries, so rename works).
    func makeScratchDirectory() throws -> String {
        let path = scratch + "/" + UUID().uuidString
        if let reason = BinaryCache.makeDirectories(path) {
            throw ToolchainError("cannot create a scratch directory in the compile cache (\(path)): \(reason); free some space there, or set LESSONS_CACHE to a writable folder on another disk")
        }
        return path
    }

    /// `mkdir -p` with mode 0700 for what it creates; nil, or strerror's words for why it failed
    /// ("Not a directory", "No space left on device"), never Foundation's "error 512".
    static func makeDirectories(_ path: String) -> String? {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") where !component.isEmpty {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST { return String(cString: strerror(errno)) }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return String(cString: strerror(errno)) }
        return (info.st_mode & S_IFMT) == S_IFDIR ? nil : String(cString: strerror(ENOTDIR))
    }

    /// The intact entry for `key`, or nil; a damaged entry is removed.
    func lookUp(_ key: String) -> (binary: String, entry: CacheEntry)? {
        let directory = binaries + "/" + key
        guard FileManager.default.fileExists(atPath: directory) else { return nil }
        if let found = verify(directory) {
            // Marks the entry as recently used, for trimming.
            utimes(directory, nil)
            return found
        }
        discard(directory)
        return nil
    }

    private func verify(_ directory: String) -> (binary: String, entry: CacheEntry)? {
        guard let data = FileManager.default.contents(atPath: directory + "/entry.json"),
              let entry = try? JSONDecoder().decode(CacheEntry.self, from: data), entry.format == 1,
              !entry.binaryName.contains("/"), !entry.binaryName.isEmpty else { return nil }
        let binary = directory + "/" + entry.binaryName
        guard let bytes = FileManager.default.contents(atPath: binary), bytes.count == entry.size,
              bytes.starts(with: [0x7f, 0x45, 0x4c, 0x46]),
              SHA256.hexDigest(Array(bytes)) == entry.sha256,
              FileManager.default.isExecutableFile(atPath: binary) else { return nil }
        return (binary, entry)
    }

    /// Moves a damaged entry out of the way, then deletes it.
    private func discard(_ directory: String) {
        let trash = scratch + "/discarded-" + UUID().uuidString
        if rename(directory, trash) == 0 {
            try? FileManager.default.removeItem(atPath: trash)
        }
    }

    /// Stores `binary` (a file in a scratch directory) under `key`; returns the stored path.
    /// When another process stored the same key first, its (verified) entry wins.
    func store(_ key: String, binary: String, binaryName: String, warnings: String) throws -> String {
        guard let bytes = FileManager.default.contents(atPath: binary) else {
            throw ToolchainError("the compiler reported success but wrote no binary at \(binary)")
        }
        let staging = try makeScratchDirectory()
        let staged = staging + "/" + binaryName
        guard rename(binary, staged) == 0 else {
            throw ToolchainError("cannot move the compiled binary into the cache (\(staging)): \(String(cString: strerror(errno)))")
        }
        chmod(staged, 0o755)
        let entry = CacheEntry(format: 1, binaryName: binaryName, size: bytes.count,
                               sha256: SHA256.hexDigest(Array(bytes)), warnings: warnings)
        let encoded = try JSONEncoder().encode(entry)
        guard FileManager.default.createFile(atPath: staging + "/entry.json", contents: encoded) else {
            throw ToolchainError("cannot write \(staging)/entry.json in the compile cache")
        }
        let destination = binaries + "/" + key
        for _ in 0..<3 {
            if rename(staging, destination) == 0 { return destination + "/" + binaryName }
            // Someone else got there first (ENOTEMPTY/EEXIST): use theirs if it is intact.
            if let existing = lookUp(key) {
                try? FileManager.default.removeItem(atPath: staging)
                return existing.binary
            }
        }
        throw ToolchainError("cannot store the compiled binary in the compile cache (\(destination)): \(String(cString: strerror(errno)))")
    }
}

/// Once per cache per process: removes scratch directories that killed compiles left behind,
/// and trims the cache to its most recently used entries.
final class CacheSweeper: @unchecked Sendable {
    static let shared = CacheSweeper()
    private let lock = NSLock()
    private var swept: Set<String> = []

    func sweepOnce(_ scratch: String, olderThan age: TimeInterval = 3600) {
        lock.lock()
        let first = swept.insert(scratch).inserted
        lock.unlock()
        guard first, let names = try? FileManager.default.contentsOfDirectory(atPath: scratch) else { return }
        let cutoff = Date().addingTimeInterval(-age)
        for name in names {
            let path = scratch + "/" + name
            if let modified = modificationDate(path), modified < cutoff {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    /// When `binaries` holds more than `keep` entries, removes the least recently used down to `trimTo`.
    func trimOnce(_ binaries: String, keep: Int, trimTo: Int, scratch: String) {
        lock.lock()
        let first = swept.insert(binaries).inserted
        lock.unlock()
        guard first, let names = try? FileManager.default.contentsOfDirectory(atPath: binaries), names.count > keep else { return }
        let byAge = names.map { name -> (String, Date) in
            let path = binaries + "/" + name
            return (path, modificationDate(path) ?? .distantPast)
        }.sorted { $0.1 < $1.1 }
        for (path, _) in byAge.prefix(names.count - trimTo) {
            let trash = scratch + "/trimmed-" + UUID().uuidString
            if rename(path, trash) == 0 { try? FileManager.default.removeItem(atPath: trash) }
        }
    }

    private func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
