// Compiles one learner file with the system toolchain: C with `cc -O0 -g -Wall` (higher
// levels delete the malloc/free pairs the lessons are about), Swift with `swiftc -Onone -g`.
// Results are cached by compiler identity, flags and source; compiles run under a time and
// memory limit, and their diagnostics name the learner's own file.

import Foundation
import Synchronization
import Sandbox
import Vocabulary

public struct CompileRequest: Sendable, Hashable {
    /// The path of the file to compile.
    public var source: String
    public var language: Language
    /// The name diagnostics show for the file (the learner's own path, e.g. `brk/grow.c`).
    public var displayName: String

    public init(source: String, language: Language, displayName: String? = nil) {
        self.source = source
        self.language = language
        self.displayName = displayName ?? source
    }
}

public enum CompileResult: Sendable, Equatable {
    /// `binary` is an executable path inside the compile cache; `warnings` may be empty.
    case success(binary: String, warnings: String)
    /// The learner's program did not compile (or broke a compile limit): what to show them.
    case failure(diagnostics: String)
}

/// Limits of one compile (the learner's code is untrusted input to the compiler too).
public struct CompileLimits: Sendable, Equatable {
    public var wallSeconds: Double = 30
    public var memoryBytes: Int = 2 << 30
    public var sourceBytes: Int = 256 * 1024
    /// Largest file a compile may write (RLIMIT_FSIZE), so the largest binary the cache keeps.
    public var binaryBytes: Int = BinaryCache.maximumBinaryBytes
    public init() {}
}

public enum Compiler {
    /// Compiles `request`. Throws `ToolchainError` only for the tool's own faults (no compiler
    /// installed, unreadable source path, unwritable cache); everything about the learner's
    /// code is a `.failure`.
    public static func compile(_ request: CompileRequest) throws -> CompileResult {
        try compile(request, environment: ProcessInfo.processInfo.environment)
    }

    /// Starts compiling `request` on a thread of its own, for the first `compile` of the same
    /// request and environment to take: `check FILE` compiles while it parses the file's lesson
    /// (the compile needs only the file). A compile nobody asks for is let go with the process.
    public static func compileAhead(_ request: CompileRequest,
                                    environment: [String: String] = ProcessInfo.processInfo.environment) {
        let key = AheadKey(request: request, environment: environment)
        let ahead = AheadCompile()
        let started = aheadOfTime.withLock { table -> Bool in
            guard table[key] == nil else { return false }
            table[key] = ahead
            return true
        }
        guard started else { return }
        Thread.detachNewThread {
            ahead.finish(Result { try compileNow(request, environment: environment, limits: CompileLimits(),
                                                 onCompilerStarted: { ahead.markStarted() }) })
        }
    }

    /// Waits, at most `timeout` seconds, until the compile `compileAhead` started for `request`
    /// has its compiler running or has ended without one (a cache hit, a compile refused before
    /// it ran); returns at once when there is no such compile. `check FILE` parses its command
    /// line and lesson meanwhile, work it needs only when the compile is done (~40 ms later):
    /// held back, it leaves the two CPUs to the compile's set-up and the sandbox's preparation,
    /// then runs beside the compiler.
    public static func waitUntilAheadCompilerStarts(_ request: CompileRequest, timeout: Double,
                                                    environment: [String: String] = ProcessInfo.processInfo.environment) {
        let ahead = aheadOfTime.withLock { $0[AheadKey(request: request, environment: environment)] }
        ahead?.waitUntilStarted(timeout: timeout)
    }

    /// Stops the compiles `compileAhead` started that nobody took (a command that fails before
    /// it needs its compile: an unknown exercise, a broken lesson) and waits, at most `seconds`,
    /// for them to clean up: ended with the process, a compile would leave its scratch folder
    /// and cgroups to the next command's sweep.
    public static func abandonAhead(seconds: Double = 2) {
        let abandoned = aheadOfTime.withLock { table -> [AheadCompile] in
            defer { table.removeAll() }
            return Array(table.values)
        }
        guard !abandoned.isEmpty else { return }
        let deadline = Date(timeIntervalSinceNow: seconds)
        for ahead in abandoned {
            // A compile between its checks and its fork starts the compiler after a first stop:
            // stop again until it has ended.
            repeat { ConfinedProcess.stopAll() } while !ahead.waitUntilFinished(before: min(deadline, Date(timeIntervalSinceNow: 0.05))) && Date() < deadline
        }
    }

    private struct AheadKey: Hashable {
        var request: CompileRequest
        var environment: [String: String]
    }
    private static let aheadOfTime = Mutex<[AheadKey: AheadCompile]>([:])

    public static func compile(_ request: CompileRequest, environment: [String: String],
                               limits: CompileLimits = CompileLimits()) throws -> CompileResult {
        if limits == CompileLimits(),
           let ahead = aheadOfTime.withLock({ $0.removeValue(forKey: AheadKey(request: request, environment: environment)) }) {
            return try ahead.result()
        }
        return try compileNow(request, environment: environment, limits: limits)
    }

    private static func compileNow(_ request: CompileRequest, environment: [String: String], limits: CompileLimits,
                                   onCompilerStarted: (@Sendable () -> Void)? = nil) throws -> CompileResult {
        let name = displayBaseName(request.displayName, language: request.language)
        let source = try readSource(request, limit: limits.sourceBytes)
        guard case .success(let bytes) = source else {
            if case .failure(let message) = source { return .failure(diagnostics: message) }
            fatalError("unreachable")
        }
        let identity = try CompilerIdentity.lookUp(request.language, environment: environment)
        let cache = BinaryCache(root: BinaryCache.rootDirectory(environment: environment), budget: BinaryCache.budget(environment: environment))
        try cache.prepare()
        // A program with an `@main` type has no top-level code: swiftc must not treat the file as main.swift.
        let parseAsLibrary = request.language == .swift && Self.hasMainAttribute(bytes)
        let flags = stableFlags(request.language, identity: identity, parseAsLibrary: parseAsLibrary,
                                goldLinker: request.language == .c && goldLinker(environment: environment) != nil)

        var key = SHA256()
        key.update("lessons-compile-1\0\(request.language.rawValue)\0\(identity.path)\0\(identity.version)\0")
        key.update(flags.joined(separator: "\0") + "\0" + name + "\0")
        key.update(bytes)
        let keyHex = SHA256.hex(key.finalize())

        if let hit = cache.lookUp(keyHex) {
            return .success(binary: hit.binary, warnings: shown(hit.entry.warnings, name: name, displayName: request.displayName))
        }

        // C compiles work in a scratch folder on a memory file system where there is one (the
        // dozen files a compile creates cost more on disk: ScratchParent); Swift compiles in the
        // cache, where their copy of the shared module cache is hard links.
        let scratch = request.language == .c ? try ScratchDirectory.forCompile() : nil
        let work = try scratch?.work ?? cache.makeScratchDirectory()
        defer { if let scratch { scratch.remove() } else { try? FileManager.default.removeItem(atPath: work) } }
        if let reason = writeNewFile(work + "/" + name, bytes) {
            throw ToolchainError("cannot write the scratch copy \(work)/\(name) (\(reason)); " + cacheAdvice)
        }
        if request.language == .swift {
            let moduleCache = SwiftModuleCache(cache: cache)
            try moduleCache.prepare(work: work, key: moduleCacheKey(identity: identity, flags: flags)) {
                try warmModuleCache(moduleCache, identity: identity, flags: flags, environment: environment, limits: limits)
            }
        }
        // C: the commands the driver would run, without it, where proven (CompilePlan.swift);
        // anything but a clean compile or cc1's own errors is compiled again through the driver.
        let plan = request.language == .c ? compilePlan(identity: identity, flags: flags, environment: environment,
                                                        limits: limits, cache: cache) : nil
        var result = try runCompiler(identity: identity, flags: flags, language: request.language, sourceName: name,
                                     work: work, environment: environment, limits: limits, cache: cache,
                                     plan: plan, onStarted: onCompilerStarted)
        if plan != nil, CompilePlan.needsTheDriver(result) {
            for leftover in ["program", CompilePlan.objectName] { unlink(work + "/" + leftover) }
            // Within the compile's one time limit: a hostile file cannot buy itself two.
            var rest = limits
            rest.wallSeconds = max(1, limits.wallSeconds - result.wallSeconds)
            result = try runCompiler(identity: identity, flags: flags, language: request.language, sourceName: name,
                                     work: work, environment: environment, limits: rest, cache: cache)
        }
        // What the compiler printed names its working directory as it saw it.
        let inside = ChildProcess.inside(work)
        let prefixes = systemPrefixes(request.language, identity: identity)

        // A C file that pulled in something other than system headers: say so, show nothing else.
        if request.language == .c {
            let resolver = CompilerOutput.SymlinkResolver()
            for include in CompilerOutput.includes(result.output)
            where !CompilerOutput.isShowable(include, sourceName: name, workDirectory: inside, systemPrefixes: prefixes,
                                             resolver: resolver) {
                let shownPath = include.replacingOccurrences(of: inside + "/", with: "")
                return .failure(diagnostics: "\(request.displayName): includes \(shownPath), which is not part of your program: only system headers such as <stdio.h> can be included")
            }
        }
        let (cleaned, hidOtherFiles) = CompilerOutput.clean(result.output, sourceName: name, displayName: request.displayName,
                                           workDirectory: inside, systemPrefixes: prefixes)
        switch result.ending {
        case .timedOut:
            return .failure(diagnostics: "\(request.displayName): compilation took longer than \(seconds(limits.wallSeconds)) s and was stopped; simplify the program (huge macro expansions or expressions that are slow to type-check cause this)")
        case .exited(0):
            let binary = work + "/program"
            guard FileManager.default.fileExists(atPath: binary) else {
                throw ToolchainError("\(identity.path) exited 0 but wrote no binary for \(request.displayName)")
            }
            if let size = BinaryCache.size(of: binary), size > limits.binaryBytes {
                return .failure(diagnostics: tooLarge(request.displayName, limits: limits))
            }
            let stored = try cache.store(keyHex, binary: binary, binaryName: binaryName(name), warnings: cleanedForCache(cleaned, displayName: request.displayName, name: name))
            return .success(binary: stored, warnings: cleaned)
        case .exited, .signaled:
            // A full or read-only cache makes the compiler fail too: the tool's fault, never the
            // learner's. Asked of the file system (DiskFault.swift), not read from the messages.
            if let reason = DiskFault.check(work) {
                if scratch != nil {
                    throw ToolchainError("the compiler could not write in its scratch folder in \(ScratchParent.directory) (\(reason)); free some space there")
                }
                throw ToolchainError("the compiler could not write in the compile cache \(cache.root) (\(reason)); " + cacheAdvice)
            }
            if result.outOfMemory || outOfMemory(result) {
                return .failure(diagnostics: "\(request.displayName): compilation needed more than \(limits.memoryBytes >> 30) GiB of memory and was stopped; simplify the program")
            }
            // RLIMIT_FSIZE stopped the assembler or linker (gcc reports its child's signal in words;
            // whatever the text, the verdict is the learner's compile error either way).
            if result.ending == .signaled(SIGXFSZ) || result.output.contains("File size limit exceeded") {
                return .failure(diagnostics: tooLarge(request.displayName, limits: limits))
            }
            if cleaned.isEmpty, hidOtherFiles {
                return .failure(diagnostics: "\(request.displayName): the compiler's errors are about lines that a #line or #sourceLocation directive attributes to another file, so they are not shown; remove that directive")
            }
            if cleaned.isEmpty {
                return .failure(diagnostics: "\(request.displayName): the compiler failed without a message (\(result.ending))")
            }
            return .failure(diagnostics: cleaned)
        }
    }

    /// The compiler that `compile` uses for `language` and its version (`/usr/bin/cc: cc (Debian
    /// 12.2.0-14) 12.2.0`), for keys of caches built on top of compile results.
    public static func version(of language: Language) throws -> String {
        let identity = try CompilerIdentity.lookUp(language, environment: ProcessInfo.processInfo.environment)
        return ([identity.path] + identity.extraFlags).joined(separator: " ") + ": " + identity.version
    }

    // MARK: Pieces

    /// Runs the compiler on `sourceName` in `work`, confined (ChildProcess), into `work/program`.
    static func runCompiler(identity: CompilerIdentity, flags: [String], language: Language, sourceName: String,
                            work: String, environment: [String: String], limits: CompileLimits,
                            cache: BinaryCache, plan: CompilePlan? = nil,
                            onStarted: (@Sendable () -> Void)? = nil) throws -> ChildResult {
        let inside = ChildProcess.inside(work)
        var arguments = [identity.path] + identity.extraFlags + flags
        switch language {
        case .c:
            if let plan {
                arguments = plan.compileArguments(sourceName: sourceName)
            } else {
                arguments += ["-fdebug-prefix-map=\(inside)=.", sourceName, "-o", "program", "-lm"]
            }
        case .swift:
            arguments += ["-module-cache-path", SwiftModuleCache(cache: cache).path(forWork: work), sourceName, "-o", "program"]
        }
        return try ChildProcess.run(arguments, directory: work, environment: confinedEnvironment(environment, inside: inside),
                                    limits: ChildLimits(wallSeconds: limits.wallSeconds, memoryBytes: limits.memoryBytes,
                                                        fileSizeBytes: limits.binaryBytes),
                                    outputPath: work + "/compiler-output.txt", readable: readablePaths(identity),
                                    assembleAndLink: plan.map { ($0.assemble, $0.link) }, onStarted: onStarted)
    }

    /// Builds the shared Swift module cache from the tool's own program (SwiftModuleCache.swift).
    static func warmModuleCache(_ moduleCache: SwiftModuleCache, identity: CompilerIdentity, flags: [String],
                                environment: [String: String], limits: CompileLimits) throws {
        let work = try moduleCache.cache.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: work) }
        if let reason = writeNewFile(work + "/warm.swift", Array(SwiftModuleCache.warmUpSource.utf8)) {
            throw ToolchainError("cannot write \(work)/warm.swift in the compile cache (\(reason)); " + cacheAdvice)
        }
        try moduleCache.startWarmUp(work: work)
        var roomy = limits
        roomy.wallSeconds = max(limits.wallSeconds, 120)  // Foundation's modules take a while on a busy machine
        let result = try runCompiler(identity: identity, flags: flags, language: .swift, sourceName: "warm.swift",
                                     work: work, environment: environment, limits: roomy, cache: moduleCache.cache)
        guard result.ending == .exited(0) else {
            throw ToolchainError("the Swift compiler could not build its module cache (\(result.ending)): \(result.output.prefix(500)); check the toolchain installation")
        }
        try moduleCache.adopt(work: work)
    }

    /// Which warm-up a compile needs: the compiler and its flags decide the modules built.
    static func moduleCacheKey(identity: CompilerIdentity, flags: [String]) -> String {
        var key = SHA256()
        key.update("swift-module-cache-1\0\(identity.path)\0\(identity.version)\0" + flags.filter { $0 != "-parse-as-library" }.joined(separator: "\0"))
        return String(SHA256.hex(key.finalize()).prefix(16))
    }

    /// The compiler's environment: nothing of the tool's but PATH (its tools) and the C locale;
    /// its home and temporary files in its own working directory.
    static func confinedEnvironment(_ environment: [String: String], inside: String) -> [String: String] {
        ["PATH": environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "LANG": "C", "LC_ALL": "C",
         "HOME": inside, "TMPDIR": inside, "GCC_COLORS": "", "SWIFT_BACKTRACE": "enable=no"]
    }

    /// Paths beyond the system's the confined compiler reads and executes: its own installation
    /// when it lives elsewhere, and files named in `$CC` (a wrapper script).
    static func readablePaths(_ identity: CompilerIdentity) -> [String] {
        let real = CompilerOutput.resolvingSymlinks(identity.path)
        let root = ((real as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        var paths = [root, real] + identity.extraFlags.filter { $0.hasPrefix("/") && FileManager.default.fileExists(atPath: $0) }
        paths = paths.filter { path in path != "/" && !Confinement.systemReadable.contains { path == $0 || path.hasPrefix($0 + "/") } }
        var seen: Set<String> = []
        return paths.filter { seen.insert($0).inserted }
    }

    /// What to do when the compile cache cannot be written.
    static let cacheAdvice = "free some space there, or set LESSONS_CACHE to a writable folder on another disk"

    /// The compile error of a program whose binary would be larger than the cache keeps.
    static func tooLarge(_ displayName: String, limits: CompileLimits) -> String {
        "\(displayName): the compiled program would be larger than \(limits.binaryBytes >> 20) MiB, the limit for a program; keep big arrays out of static data (use malloc)"
    }

    /// Creates `path` (which must not exist) holding `bytes`; nil, or the reason it failed.
    static func writeNewFile(_ path: String, _ bytes: [UInt8]) -> String? {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 { if errno == EINTR { continue }; failure = errno; return }
                offset += written
            }
        }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 {
            unlink(path)
            return String(cString: strerror(failure))
        }
        return nil
    }

    /// Flags that decide the binary (part of the cache key); paths of the scratch directory are not.
    /// C: `-pipe` (the assembly goes to the assembler through a pipe, not a file), and gold as the
    /// linker where it is installed (binutils' ld.gold), unless `$CC` names a linker: linking a
    /// learner's program against libc took a quarter of all CPU time while grading, and gold does
    /// it in about half the time of ld.bfd (scripts/bench-check.sh prints both bare compiles).
    /// Gold reads only the parts of its inputs it needs (`--no-map-whole-files`) instead of
    /// mapping libc.so.6 and libm.so.6 whole: the same bytes out, a cold check ~1.5 ms sooner.
    /// And it searches only the directories the compiler driver names (`-nostdlib`, gold's own
    /// option: libc, libm and libgcc are all in the driver's list), not its built-in list as
    /// well: gold reads every directory it may search whole before its first lookup, and on
    /// Debian the built-in list names the 1139-entry /usr/lib/x86_64-linux-gnu twice more (as
    /// `//lib/…` and `//usr/lib/…`). The same bytes out, each link ~1.7–2 ms sooner.
    static func stableFlags(_ language: Language, identity: CompilerIdentity, parseAsLibrary: Bool,
                            goldLinker: Bool = false) -> [String] {
        switch language {
        case .c:
            let linker = goldLinker && !identity.extraFlags.contains { $0.hasPrefix("-fuse-ld=") } ? ["-fuse-ld=gold", "-Wl,--no-map-whole-files", "-Wl,-nostdlib"] : []
            return ["-O0", "-g", "-Wall", "-fdiagnostics-color=never", identity.isClang ? "-ferror-limit=50" : "-fmax-errors=50", "-H",
                    "-pipe"] + linker
        case .swift:
            return ["-Onone", "-g", "-module-name", "main"] + (parseAsLibrary ? ["-parse-as-library"] : [])
        }
    }

    /// binutils' gold linker on the compile's PATH, if installed (looked up once per PATH).
    static func goldLinker(environment: [String: String]) -> String? {
        let path = environment["PATH"] ?? ""
        return goldLinkers.withLock { known in
            if let found = known[path] { return found }
            let found = CompilerIdentity.resolve("ld.gold", path: environment["PATH"])
            known[path] = .some(found)
            return found
        }
    }
    private static let goldLinkers = Mutex<[String: String?]>([:])

    /// Where headers and interfaces the learner did not write may come from (they can be quoted).
    static func systemPrefixes(_ language: Language, identity: CompilerIdentity) -> [String] {
        let real = CompilerOutput.resolvingSymlinks(identity.path)
        let root = ((real as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        var prefixes = ["/usr/include/", "/usr/local/include/", "/usr/lib/gcc/", "/usr/lib/llvm", "/usr/lib/clang/"]
        switch language {
        case .c:
            if root != "/usr" { prefixes += [root + "/lib/clang/", root + "/lib/gcc/", root + "/include/"] }
        case .swift:
            prefixes.append(root + "/")
        }
        return prefixes
    }

    /// The file name the compiler sees: the display name's last component, with the language's
    /// extension (the name in the program's debug information: `SourceQuote` matches on it).
    public static func displayBaseName(_ displayName: String, language: Language) -> String {
        var base = (displayName as NSString).lastPathComponent
        base = String(base.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == "_" ? $0 : "_" })
        // Not hidden, and never an option: cc1 (and the driver) read `-v.c` as one.
        if base.hasPrefix(".") || base.hasPrefix("-") || base.isEmpty { base = "program" + base }
        if !base.hasSuffix("." + language.fileExtension) { base += "." + language.fileExtension }
        return base
    }

    static func binaryName(_ sourceName: String) -> String {
        let stem = (sourceName as NSString).deletingPathExtension
        return stem.isEmpty ? "program" : stem
    }

    private enum Source { case success([UInt8]), failure(String) }

    /// A line of `source` starts with `@main` (after spaces, tabs, a byte order mark). Split
    /// on the bytes: a String's Characters would keep a CR LF line end (one Character) from
    /// ending the line, so a file saved on Windows had no `@main` past its first line.
    static func hasMainAttribute(_ source: [UInt8]) -> Bool {
        let mark: [UInt8] = [0xEF, 0xBB, 0xBF]
        return source.split(separator: 0x0A, omittingEmptySubsequences: true).contains { line in
            var rest = line[...]
            if rest.starts(with: mark) { rest = rest.dropFirst(mark.count) }
            return rest.drop(while: { $0 == 0x20 || $0 == 0x09 }).starts(with: "@main".utf8)
        }
    }

    private static func readSource(_ request: CompileRequest, limit: Int) throws -> Source {
        var info = stat()
        guard stat(request.source, &info) == 0 else {
            throw ToolchainError("cannot read \(request.displayName): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            return .failure("\(request.displayName): not a regular file")
        }
        if Int(info.st_size) > limit {
            return .failure("\(request.displayName): the file is \(Int(info.st_size) / 1024) KiB; a program may be at most \(limit / 1024) KiB")
        }
        guard let handle = FileHandle(forReadingAtPath: request.source) else {
            throw ToolchainError("cannot read \(request.displayName): permission denied")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        if data.count > limit {
            return .failure("\(request.displayName): the file is larger than \(limit / 1024) KiB, the limit for a program")
        }
        return .success(Array(data))
    }

    private static func outOfMemory(_ result: ChildResult) -> Bool {
        let text = result.output.lowercased()
        return ["out of memory", "memory exhausted", "cannot allocate memory", "std::bad_alloc"].contains { text.contains($0) }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }

    /// Warnings are cached with the display name replaced by the compiled file's own name,
    /// so that one entry serves every learner who submits the same program under that name.
    private static func cleanedForCache(_ text: String, displayName: String, name: String) -> String {
        text.replacingOccurrences(of: displayName + ":", with: "\u{1}SOURCE\u{1}:")
    }

    private static func shown(_ cached: String, name: String, displayName: String) -> String {
        cached.replacingOccurrences(of: "\u{1}SOURCE\u{1}:", with: displayName + ":")
    }
}

/// A compile under way on a thread of its own (`Compiler.compileAhead`), waited for by `result`.
final class AheadCompile: @unchecked Sendable {
    private let condition = NSCondition()
    private var outcome: Result<CompileResult, Error>?
    private var started = false

    func finish(_ result: Result<CompileResult, Error>) {
        condition.lock()
        outcome = result
        started = true
        condition.broadcast()
        condition.unlock()
    }

    /// The compiler's process exists.
    func markStarted() {
        condition.lock()
        started = true
        condition.broadcast()
        condition.unlock()
    }

    /// Whether the compile ended before `deadline`.
    func waitUntilFinished(before deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil && condition.wait(until: deadline) {}
        return outcome != nil
    }

    func waitUntilStarted(timeout: Double) {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !started && condition.wait(until: deadline) {}
    }

    func result() throws -> CompileResult {
        condition.lock()
        defer { condition.unlock() }
        while outcome == nil { condition.wait() }
        return try outcome!.get()
    }
}
