// The time of the last commit of a student's Git repository (GitHub Classroom hands in one
// repository per student), read without trusting the repository: it is the student's, so
// its hooks, its config (core.fsmonitor, aliases, includes) and its refs' targets are hostile.
//
// HEAD and the ref it names are read here as plain files (no symbolic links, small, a hex
// object id). Git itself only reads the commit object: `git cat-file commit ID` runs with
// GIT_DIR set to an empty repository of our own and GIT_OBJECT_DIRECTORY to the student's
// objects, so no file of the student's repository but its objects is ever read by git, no
// config and no hook; with no system or global config, no pager, no prompt, and a time limit.

import Foundation
import Tracing

enum GitCommitTime {
    /// The committer time of HEAD's commit, when `folder/.git` is a Git repository; nil otherwise.
    static func lastCommit(in folder: String) -> Date? {
        let gitDirectory = folder + "/.git"
        guard ClassFolder.isDirectory(gitDirectory), let id = headCommit(gitDirectory) else { return nil }
        // git runs in / (nothing of the student's is its working folder): the path must be absolute.
        let objects = URL(fileURLWithPath: gitDirectory + "/objects").standardizedFileURL.path
        guard let text = catFile(id, objects: objects) else { return nil }
        return committerTime(text)
    }

    /// HEAD's object id: HEAD holds an id, or `ref: refs/heads/NAME` whose file (or line in
    /// packed-refs) holds it.
    static func headCommit(_ gitDirectory: String) -> String? {
        guard let head = smallFile(gitDirectory + "/HEAD")?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        if isObjectID(head) { return head }
        guard head.hasPrefix("ref: ") else { return nil }
        let ref = String(head.dropFirst(5))
        // A ref is a path inside the repository: refs/… with no `..` and no absolute path.
        guard ref.hasPrefix("refs/"), !ref.split(separator: "/").contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else { return nil }
        if let loose = smallFile(gitDirectory + "/" + ref)?.trimmingCharacters(in: .whitespacesAndNewlines), isObjectID(loose) {
            return loose
        }
        for line in (smallFile(gitDirectory + "/packed-refs") ?? "").split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[1] == ref, isObjectID(String(fields[0])) { return String(fields[0]) }
        }
        return nil
    }

    static func isObjectID(_ text: String) -> Bool {
        (text.count == 40 || text.count == 64) && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    /// A regular file (not a link) of at most 64 KiB, read through the descriptor that was
    /// checked (a FIFO swapped in after a look would hang a read by name).
    static func smallFile(_ path: String) -> String? {
        let folder = (path as NSString).deletingLastPathComponent
        guard case .success(let opened) = NoFollowPath.open(base: folder.isEmpty ? "." : folder,
                                                            components: [(path as NSString).lastPathComponent]) else { return nil }
        defer { opened.close() }
        guard case .success(let bytes) = NoFollowPath.read(opened, limit: 65_536) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `committer NAME <EMAIL> 1700000000 +0900` → that instant.
    static func committerTime(_ commit: String) -> Date? {
        for line in commit.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { break }  // the headers end at the first empty line
            guard line.hasPrefix("committer ") else { continue }
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let seconds = Int64(fields[fields.count - 2]) else { return nil }
            return Date(timeIntervalSince1970: Double(seconds))
        }
        return nil
    }

    /// An empty repository of our own that git reads its config from (once per process).
    static let cleanGitDirectory: String? = {
        let path = NSTemporaryDirectory() + "lessons-git-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard run(["git", "init", "--bare", "--quiet", path], environment: baseEnvironment) != nil else { return nil }
        madeDirectory.set(path)
        atexit { if let path = madeDirectory.get() { try? FileManager.default.removeItem(atPath: path) } }
        return path
    }()

    /// The folder to remove at exit (set once it exists; read by the exit handler, which may
    /// not capture anything).
    static let madeDirectory = LockedPath()

    static let baseEnvironment: [String: String] = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        "HOME": "/nonexistent", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_TERMINAL_PROMPT": "0", "GIT_NO_REPLACE_OBJECTS": "1", "GIT_PAGER": "cat", "LC_ALL": "C",
    ]

    static func catFile(_ id: String, objects: String) -> String? {
        guard let clean = cleanGitDirectory, ClassFolder.isDirectory(objects) else { return nil }
        var environment = baseEnvironment
        environment["GIT_DIR"] = clean
        environment["GIT_OBJECT_DIRECTORY"] = objects
        return run(["git", "cat-file", "commit", id], environment: environment)
    }

    /// Runs git; its output (at most 64 KiB), or nil when it failed or took over 10 s.
    static func run(_ arguments: [String], environment: [String: String]) -> String? {
        guard let (ending, output) = Spawn.run(["/usr/bin/env"] + arguments,
                                               environment: environment.map { "\($0.key)=\($0.value)" }.sorted(),
                                               directory: "/", stdout: .pipe, cap: 65_536, deadline: 10),
              ending == .exited(0) else { return nil }
        return String(decoding: output, as: UTF8.self)
    }
}

