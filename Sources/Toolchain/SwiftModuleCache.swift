// The Swift compiler's module cache (clang modules of Glibc, Foundation, Dispatch, … built on
// first use: 0.4–2 s each) without letting one submission's compile write what another's reads.
//
// With a mount namespace, every compile sees its working directory at the same path, so a
// module built in one compile is valid in the next. Then:
//   - the shared cache (`<cache>/swift-module-cache`) is written only by a warm-up compile of
//     the tool's own source, once per compiler and flags (`.warm-<key>`), under a lock;
//   - each compile gets a private copy in its working directory (`module-cache`): hard links
//     when it runs as a uid of its own (the files stay the tool's, read-only to it), else
//     copies. Modules a program imports beyond the warm ones are built in the copy and thrown
//     away with it.
// Without a mount namespace paths differ from one compile to the next and a built module would
// not match: each compile then builds the modules it imports in its own working directory
// (0.4–2 s more per Swift compile; nothing shared, nothing to poison).

import Foundation
import Sandbox
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

struct SwiftModuleCache {
    let cache: BinaryCache

    var shared: String { cache.swiftModuleCache }
    /// Where a compile's private copy lives, relative to its working directory.
    static let privateName = "module-cache"
    static let warmUpFailed = Atomic<Bool>(false)

    /// What the warm-up compiles: the modules learners' programs import.
    static let warmUpSource = "import Foundation\nimport Dispatch\nprint(0)\n"

    /// The `-module-cache-path` a compile in `work` passes, as the compiler sees it.
    func path(forWork work: String) -> String {
        ChildProcess.inside(work) + "/" + SwiftModuleCache.privateName
    }

    /// Gets `work` ready for a compile: the shared cache warmed (once: `warmUp` compiles the tool's
    /// own source through `copyForWarmUp` and `adopt`), then copied in.
    func prepare(work: String, key: String, warmUp: () throws -> Void) throws {
        guard ConfinedProcess.binds else { return }
        // A warm-up that fails (a toolchain without Foundation) costs speed, not compiles: each
        // one then builds what it imports in its own copy. Tried once per process.
        if !SwiftModuleCache.warmUpFailed.load(ordering: .relaxed) {
            do { try ensureWarm(key: key, warmUp: warmUp) } catch {
                SwiftModuleCache.warmUpFailed.store(true, ordering: .relaxed)
            }
        }
        let lock = try self.lock(LOCK_SH)
        defer { close(lock) }
        try copy(shared, to: work + "/" + SwiftModuleCache.privateName, link: Isolation.current.runningAsRoot)
    }

    /// The warm-up's own module cache: empty, so that nothing built elsewhere (an older version
    /// of the tool, another compiler, a path that differs) can break it or carry over.
    func startWarmUp(work: String) throws {
        guard mkdir(work + "/" + SwiftModuleCache.privateName, 0o755) == 0 else {
            throw ToolchainError("cannot create \(work)/\(SwiftModuleCache.privateName): \(String(cString: strerror(errno))); " + Compiler.cacheAdvice)
        }
    }

    /// Runs `warmUp` (a compile of `warmUpSource` whose private copy `adopt` then takes in)
    /// unless this compiler and these flags were warmed already.
    private func ensureWarm(key: String, warmUp: () throws -> Void) throws {
        let marker = shared + "/.warm-" + key
        if access(marker, F_OK) == 0 { return }
        let lock = try self.lock(LOCK_EX)
        defer { close(lock) }
        if access(marker, F_OK) == 0 { return }
        try warmUp()
        let fd = open(marker, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        if fd >= 0 { close(fd) }
    }

    /// Called by the warm-up with its working directory: the modules it built from the tool's
    /// own source become the shared cache, replacing whatever was there (under the exclusive
    /// lock `ensureWarm` holds; `ensureWarm` then marks it warm for this compiler and flags).
    func adopt(work: String) throws {
        let built = work + "/" + SwiftModuleCache.privateName
        // Files made by the warm-up's uid become the tool's own (read-only to later compiles).
        SwiftModuleCache.chownTree(built, uid: getuid(), gid: getgid())
        let old = cache.scratch + "/module-cache-old-" + UUID().uuidString
        // The lock file moves with the directory: holders keep their descriptor; a new one opens
        // the new file. Same file system (both in the cache): renames are atomic.
        if rename(shared + "/.lock", built + "/.lock") != 0 && errno != ENOENT {
            throw ToolchainError("cannot update the Swift module cache \(shared): \(String(cString: strerror(errno))); " + Compiler.cacheAdvice)
        }
        guard rename(shared, old) == 0, rename(built, shared) == 0 else {
            throw ToolchainError("cannot update the Swift module cache \(shared): \(String(cString: strerror(errno))); " + Compiler.cacheAdvice)
        }
        try? FileManager.default.removeItem(atPath: old)
    }

    private func lock(_ operation: Int32) throws -> Int32 {
        if let reason = BinaryCache.makeDirectories(shared) {
            throw ToolchainError("cannot create the Swift module cache \(shared): \(reason); " + Compiler.cacheAdvice)
        }
        let fd = open(shared + "/.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw ToolchainError("cannot lock the Swift module cache \(shared)/.lock: \(String(cString: strerror(errno))); " + Compiler.cacheAdvice)
        }
        while flock(fd, operation) != 0 && errno == EINTR {}
        return fd
    }

    /// Copies the tree `from` to the new directory `to` (modules are regular files in
    /// directories); with `link`, files are hard links instead of copies.
    private func copy(_ from: String, to: String, link: Bool) throws {
        guard mkdir(to, 0o755) == 0 else {
            throw ToolchainError("cannot create \(to): \(String(cString: strerror(errno))); " + Compiler.cacheAdvice)
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: from)) ?? [] where !name.hasPrefix(".") {
            let source = from + "/" + name, target = to + "/" + name
            var info = stat()
            guard lstat(source, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try copy(source, to: target, link: link)
            case S_IFREG:
                // The timestamp is rewritten by clang: a file of the compile's own.
                if link && name.hasSuffix(".pcm") && Glibc.link(source, target) == 0 { continue }
                do { try FileManager.default.copyItem(atPath: source, toPath: target) } catch {
                    throw ToolchainError("cannot copy the Swift module cache into \(to): \(error.localizedDescription); " + Compiler.cacheAdvice)
                }
            default:
                continue
            }
        }
    }

    static func chownTree(_ path: String, uid: uid_t, gid: gid_t) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        lchown(path, uid, gid)
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            chownTree(path + "/" + name, uid: uid, gid: gid)
        }
    }
}
