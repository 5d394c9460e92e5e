// The compile cache: one directory per key under `<root>/binaries/`, holding the binary
// and `entry.json` (its size, SHA-256 and the compiler's warnings). Entries are built in
// `<root>/tmp/` and renamed into place whole, so concurrent compiles never see half an
// entry; an entry that does not match its record is removed and rebuilt, never used.
// The cache stays within a byte budget (least recently used entries go first), no binary is
// larger than `maximumBinaryBytes`, and checking an entry reads its binary in 64 KiB pieces:
// a submission cannot make the cache, or the tool's memory, grow with its binary.

import Foundation
import Sandbox
import Tracing
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
    /// Bytes the entries may take together (`LESSONS_CACHE_BUDGET`, default `defaultBudgetBytes`).
    var budget: Int = BinaryCache.defaultBudgetBytes

    /// 512 MiB: some 20000 binaries of the exercises' size (about 25 KiB each).
    static let defaultBudgetBytes = 512 << 20
    /// 64 MiB: far above any exercise's program; the compiler may write no larger file.
    static let maximumBinaryBytes = 64 << 20

    /// `LESSONS_CACHE_BUDGET` (bytes, or with a K, M or G suffix), else the default.
    static func budget(environment: [String: String]) -> Int {
        guard let text = environment["LESSONS_CACHE_BUDGET"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return defaultBudgetBytes
        }
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        let unit = text.last.flatMap { units[Character($0.uppercased())] }
        let digits = unit == nil ? Substring(text) : text.dropLast()
        guard let value = Int(digits), value >= 0 else { return defaultBudgetBytes }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: unit ?? 1)
        return overflow ? Int.max : bytes
    }

    /// `$LESSONS_CACHE`, else `$XDG_CACHE_HOME/lessons`, else `~/.cache/lessons`.
    static func rootDirectory(environment: [String: String]) -> String {
        MachineFacts.cacheDirectory { environment[$0] }
    }

    var binaries: String { root + "/binaries" }
    var scratch: String { root + "/tmp" }
    var swiftModuleCache: String { root + "/swift-module-cache" }

    func prepare() throws {
        defer {
            CacheSweeper.shared.sweepOnce(scratch)
            CacheSweeper.shared.trimOnce(binaries, budget: budget, scratch: scratch)
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
        var info = stat()
        // There already, the usual case (one stat, where the walk below took a dozen mkdirs: ~1 ms
        // of every compile for the cache's three directories).
        if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR { return nil }
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") where !component.isEmpty {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST { return String(cString: strerror(errno)) }
        }
        guard stat(path, &info) == 0 else { return String(cString: strerror(errno)) }
        return (info.st_mode & S_IFMT) == S_IFDIR ? nil : String(cString: strerror(ENOTDIR))
    }

    /// Moves `source` to the new path `destination`, by a copy when it lies on another file system
    /// (a C compile works on a memory file system: ScratchParent); nil, or strerror's words for why not.
    static func move(_ source: String, to destination: String) -> String? {
        if rename(source, destination) == 0 { return nil }
        guard errno == EXDEV else { return String(cString: strerror(errno)) }
        do {
            try ScratchDirectory.copyFile(source, to: destination, mode: 0o700)
        } catch {
            return error.reason
        }
        unlink(source)
        return nil
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
        guard let data = FileManager.default.contents(atPath: directory + "/entry.json"), data.count < 1 << 20,
              let entry = try? JSONDecoder().decode(CacheEntry.self, from: data), entry.format == 1,
              !entry.binaryName.contains("/"), !entry.binaryName.isEmpty,
              entry.size <= Self.maximumBinaryBytes else { return nil }
        let binary = directory + "/" + entry.binaryName
        guard let digest = Self.digest(of: binary, expectedSize: entry.size), digest.elf, digest.sha256 == entry.sha256,
              FileManager.default.isExecutableFile(atPath: binary) else { return nil }
        return (binary, entry)
    }

    /// The SHA-256 of a file read in 64 KiB pieces (never whole in memory), whether it starts
    /// like an ELF file, and its size; nil when it cannot be read, is not a regular file, or is
    /// not `expectedSize` bytes long.
    static func digest(of path: String, expectedSize: Int? = nil) -> (sha256: String, elf: Bool, size: Int)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        if let expectedSize, Int(info.st_size) != expectedSize { return nil }
        var hasher = SHA256()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        var elf = false
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { break }
            if total == 0 { elf = count >= 4 && chunk[0..<4].elementsEqual(ELFImage.magic) }
            hasher.update(count == chunk.count ? chunk : Array(chunk[0..<count]))
            total += count
        }
        if let expectedSize, total != expectedSize { return nil }
        return (SHA256.hex(hasher.finalize()), elf, total)
    }

    /// The size of a regular file, without following a link.
    static func size(of path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int(info.st_size)
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
        guard let digest = Self.digest(of: binary) else {
            throw ToolchainError("the compiler reported success but wrote no binary at \(binary)")
        }
        let staging = try makeScratchDirectory()
        let staged = staging + "/" + binaryName
        if let reason = Self.move(binary, to: staged) {
            try? FileManager.default.removeItem(atPath: staging)
            throw ToolchainError("cannot store the compiled binary in the compile cache \(root) (\(reason)); " + Compiler.cacheAdvice)
        }
        chmod(staged, 0o755)
        let entry = CacheEntry(format: 1, binaryName: binaryName, size: digest.size,
                               sha256: digest.sha256, warnings: warnings)
        let encoded = try JSONEncoder().encode(entry)
        if let reason = Compiler.writeNewFile(staging + "/entry.json", Array(encoded)) {
            throw ToolchainError("cannot write \(staging)/entry.json in the compile cache (\(reason)); " + Compiler.cacheAdvice)
        }
        let destination = binaries + "/" + key
        var failure: Int32 = 0
        for _ in 0..<3 {
            if rename(staging, destination) == 0 {
                CacheSweeper.shared.added(digest.size + encoded.count, to: binaries, budget: budget, scratch: scratch,
                                          keeping: destination)
                return destination + "/" + binaryName
            }
            failure = errno  // before the lookup's own calls replace it
            // Someone else got there first (ENOTEMPTY/EEXIST): use theirs if it is intact.
            if let existing = lookUp(key) {
                try? FileManager.default.removeItem(atPath: staging)
                return existing.binary
            }
        }
        try? FileManager.default.removeItem(atPath: staging)
        throw ToolchainError("cannot store the compiled binary in the compile cache \(root) (\(String(cString: strerror(failure)))); " + Compiler.cacheAdvice)
    }
}

/// Keeps caches tidy: once per cache per process, removes scratch directories that killed
/// compiles left behind; and keeps the entries within their byte budget, least recently used
/// out first (checked once per process, then again each time this process has added a
/// sixteenth of the budget: processes compiling at once may overshoot it by that much each).
final class CacheSweeper: @unchecked Sendable {
    static let shared = CacheSweeper()
    private let lock = NSLock()
    private var swept: Set<String> = []
    private var addedSinceTrim: [String: Int] = [:]

    func sweepOnce(_ scratch: String, olderThan age: TimeInterval = 3600) {
        lock.lock()
        let first = swept.insert(scratch).inserted
        lock.unlock()
        guard first else { return }
        let names = ScratchDirectory.entries(of: scratch)  // readdir: FileManager's listing took ~0.4 ms on a compile's path
        let cutoff = Date().addingTimeInterval(-age)
        for name in names {
            let path = scratch + "/" + name
            if let modified = modificationDate(path), modified < cutoff {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
    }

    /// `trim`, once per process and cache, and not again within `interval` seconds of the last
    /// look by any process (`<binaries>.checked` says when): summing the entries reads every
    /// one of them, which a `check` started a hundred times a day should not pay each time. What
    /// processes store in between overshoots the budget by that much at most.
    func trimOnce(_ binaries: String, budget: Int, scratch: String, interval: TimeInterval = 600) {
        lock.lock()
        let first = swept.insert(binaries).inserted
        lock.unlock()
        guard first else { return }
        let marker = binaries + ".checked"
        if let checked = modificationDate(marker), abs(checked.timeIntervalSinceNow) < interval { return }
        trim(binaries, budget: budget, scratch: scratch)
        let fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if fd >= 0 { close(fd) }
        utimes(marker, nil)
    }

    /// This process stored `bytes` more in `binaries`: trims when that adds up to a sixteenth of the budget.
    func added(_ bytes: Int, to binaries: String, budget: Int, scratch: String, keeping: String) {
        lock.lock()
        let total = (addedSinceTrim[binaries] ?? 0) + bytes
        let due = total > budget / 16
        addedSinceTrim[binaries] = due ? 0 : total
        lock.unlock()
        if due { trim(binaries, budget: budget, scratch: scratch, keeping: keeping) }
    }

    /// When the entries of `binaries` take more than `budget` bytes, removes the least recently
    /// used (a hit touches its entry) until they take at most three quarters of it. `keeping`:
    /// an entry that stays whatever its size (the one just stored, about to be run).
    func trim(_ binaries: String, budget: Int, scratch: String, keeping: String? = nil) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: binaries) else { return }
        var entries: [(path: String, used: Date, bytes: Int)] = []
        var total = 0
        for name in names {
            let path = binaries + "/" + name
            let bytes = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .reduce(0) { $0 + (BinaryCache.size(of: path + "/" + $1) ?? 0) }
            entries.append((path, modificationDate(path) ?? .distantPast, bytes))
            total += bytes
        }
        guard total > budget else { return }
        for entry in entries.sorted(by: { $0.used < $1.used }) where total > budget / 4 * 3 && entry.path != keeping {
            let trash = scratch + "/trimmed-" + UUID().uuidString
            if rename(entry.path, trash) == 0 {
                try? FileManager.default.removeItem(atPath: trash)
                total -= entry.bytes
            }
        }
    }

    /// From lstat (FileManager's attributes look up the owner's and group's names too).
    private func modificationDate(_ path: String) -> Date? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return Date(timeIntervalSince1970: Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9)
    }
}
