// Which compiler compiles a language here, and its version: part of every cache key, so a
// toolchain upgrade never serves binaries built by the old one. Asking the compiler
// (`cc --version`, confined) costs a sandboxed child per process, so the answer is kept in the
// cache (`compilers/`) under what identifies the compiler's file: its resolved path, device,
// inode, size, modification and change times (ccache's `compiler_check=mtime`). An upgrade
// replaces the file, so one of those changes and the compiler is asked again.

import Foundation
import Sandbox
import Vocabulary

struct CompilerIdentity: Sendable, Hashable {
    /// The resolved executable.
    var path: String
    /// Flags that came with `$CC` (`CC="gcc -m64"`).
    var extraFlags: [String]
    /// `cc --version`'s first line; `swiftc --version`'s output.
    var version: String
    var isClang: Bool

    /// The compiler command for `language` under `environment`: `$CC` or `cc` for C, `swiftc` for Swift.
    static func command(for language: Language, environment: [String: String]) -> [String] {
        switch language {
        case .c:
            let words = (environment["CC"] ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            return words.isEmpty ? ["cc"] : words
        case .swift:
            return ["swiftc"]
        }
    }

    static func lookUp(_ language: Language, environment: [String: String]) throws -> CompilerIdentity {
        let command = self.command(for: language, environment: environment)
        return try IdentityCache.shared.identity(command: command, language: language, environment: environment)
    }

    static func notFound(_ language: Language, _ name: String) -> ToolchainError {
        switch language {
        case .c:
            return ToolchainError("the C compiler '\(name)' is not installed or not on PATH: install it with 'sudo apt-get install gcc' (or set CC to a C compiler)")
        case .swift:
            return ToolchainError("the Swift compiler 'swiftc' is not installed or not on PATH: install the Swift toolchain (https://www.swift.org/install/linux/) and add its usr/bin to PATH")
        }
    }

    /// `name` searched on `PATH` (or taken as is when it contains a `/`). With stat and access
    /// (what FileManager's fileExists and isExecutableFile ask, without their Foundation
    /// overhead: every compile looks up its compiler and gold, first thing).
    static func resolve(_ name: String, path: String?) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            var info = stat()
            if stat(candidate, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        return nil
    }
}

/// The per-process memo of compiler identities (running `cc --version` costs a fork).
final class IdentityCache: @unchecked Sendable {
    static let shared = IdentityCache()
    private let lock = NSLock()
    private var known: [[String]: CompilerIdentity] = [:]

    func identity(command: [String], language: Language, environment: [String: String]) throws -> CompilerIdentity {
        guard let path = CompilerIdentity.resolve(command[0], path: environment["PATH"]) else {
            throw CompilerIdentity.notFound(language, command[0])
        }
        let key = [path] + command.dropFirst()
        lock.lock()
        if let identity = known[key] { lock.unlock(); return identity }
        lock.unlock()

        let stored = IdentityFile(command: key, language: language, environment: environment)
        if let stored, let identity = stored.read() {
            lock.lock()
            known[key] = identity
            lock.unlock()
            return identity
        }

        let scratch = NSTemporaryDirectory() + "lessons-version-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let partial = CompilerIdentity(path: path, extraFlags: Array(command.dropFirst()), version: "", isClang: false)
        let result = try ChildProcess.run([path] + command.dropFirst() + ["--version"], directory: scratch,
                                          environment: Compiler.confinedEnvironment(environment, inside: ChildProcess.inside(scratch)),
                                          limits: ChildLimits(wallSeconds: 30, memoryBytes: 2 << 30, fileSizeBytes: 1 << 20),
                                          outputPath: scratch + "/version.txt", readable: Compiler.readablePaths(partial))
        guard result.ending == .exited(0) else {
            throw ToolchainError("'\(path) --version' failed (\(result.ending)): check the compiler installation")
        }
        let lines = result.output.split(separator: "\n").map(String.init)
        let version = language == .c ? (lines.first ?? "") : lines.joined(separator: "\n")
        let identity = CompilerIdentity(path: path, extraFlags: Array(command.dropFirst()), version: version,
                                        isClang: version.lowercased().contains("clang"))
        stored?.write(identity)
        lock.lock()
        known[key] = identity
        lock.unlock()
        return identity
    }
}

/// A compiler's identity kept in the cache: `compilers/<hash of the command>`, valid while the
/// compiler's file is the one it was learned from (MachineFacts checks owner, form and key).
struct IdentityFile {
    let path: String
    let key: String
    let command: [String]

    /// nil when the compiler's file cannot be examined (then it is asked every time).
    init?(command: [String], language: Language, environment: [String: String]) {
        var info = stat()
        guard let real = realpath(command[0], nil) else { return nil }
        let resolved = String(cString: real)
        free(real)
        guard stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        self.command = command
        func identity(_ info: stat) -> String {
            "\(info.st_dev):\(info.st_ino):\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec):\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
        }
        // Files named in `$CC` (a wrapper script: `CC="/bin/sh /opt/cc-wrapper"`) are part of the compiler too.
        var files = [resolved, identity(info)]
        for word in command.dropFirst() where word.hasPrefix("/") {
            var extra = stat()
            files.append(stat(word, &extra) == 0 ? word + "=" + identity(extra) : word)
        }
        key = (["compiler-identity-1", language.rawValue] + files + command).joined(separator: "\u{1}")
        var name = SHA256()
        name.update(language.rawValue + "\0" + command.joined(separator: "\0"))
        path = BinaryCache.rootDirectory(environment: environment) + "/compilers/" + String(SHA256.hex(name.finalize()).prefix(32))
    }

    private struct Stored: Codable {
        var version: String
        var isClang: Bool
    }

    func read() -> CompilerIdentity? {
        guard let text = MachineFacts.read(path, key: key),
              let stored = try? JSONDecoder().decode(Stored.self, from: Data(text.utf8)),
              !stored.version.isEmpty else { return nil }
        return CompilerIdentity(path: command[0], extraFlags: Array(command.dropFirst()), version: stored.version,
                                isClang: stored.isClang)
    }

    func write(_ identity: CompilerIdentity) {
        guard let data = try? JSONEncoder().encode(Stored(version: identity.version, isClang: identity.isClang)) else { return }
        MachineFacts.write(path, key: key, value: String(decoding: data, as: UTF8.self))
    }
}
