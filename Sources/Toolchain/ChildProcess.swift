// Runs a compiler as a child process under limits: its own process group (killed whole on
// timeout), an address-space limit, a file-size limit, stdin from /dev/null, and stdout +
// stderr into a file (a pipe could fill up and stall the compiler).

import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct ChildLimits: Sendable {
    var wallSeconds: Double
    var memoryBytes: Int
    var fileSizeBytes: Int
}

struct ChildResult: Sendable {
    enum Ending: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        case timedOut
    }
    var ending: Ending
    /// What the child wrote to stdout and stderr, at most `outputCap` bytes.
    var output: String
    var wallSeconds: Double
}

enum ChildProcess {
    /// Runs `arguments[0]` (resolved by the caller) with `arguments` in `directory`.
    /// Throws only when the child cannot be started.
    static func run(_ arguments: [String], directory: String, environment: [String: String],
                    limits: ChildLimits, outputPath: String, outputCap: Int = 1 << 20) throws -> ChildResult {
        // The limits are applied by a shell between fork and exec: posix_spawn cannot set rlimits.
        let script = """
            ulimit -v \(max(limits.memoryBytes / 1024, 1)) 2>/dev/null; \
            ulimit -f \(max(limits.fileSizeBytes / 512, 1)) 2>/dev/null; \
            cd "$1" || exit 126; shift; exec "$@"
            """
        let argv = ["/bin/sh", "-c", script, "sh", directory] + arguments
        let env = environment.map { "\($0.key)=\($0.value)" }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Other threads' descriptors (pipes of traced programs) must not live on in the compiler.
        // (glibc 2.34+; looked up at run time because Swift's Glibc module does not export it.)
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigfillset(&defaultSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let start = Date()
        var pid: pid_t = 0
        let spawnResult = withCStrings(argv) { cArgv in
            withCStrings(env) { cEnv in
                posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArgv, cEnv)
            }
        }
        guard spawnResult == 0 else {
            throw ToolchainError("cannot start /bin/sh to run \(arguments.first ?? "the compiler"): \(String(cString: strerror(spawnResult)))")
        }

        let deadline = start.addingTimeInterval(limits.wallSeconds)
        var status: Int32 = 0
        var ending: ChildResult.Ending?
        var pause: useconds_t = 2_000
        while ending == nil {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid {
                ending = decode(status)
            } else if r == -1, errno != EINTR {
                ending = .signaled(SIGKILL)
            } else if Date() >= deadline {
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) == -1, errno == EINTR {}
                ending = .timedOut
            } else {
                usleep(pause)
                pause = min(pause * 2, 20_000)
            }
        }
        // The compiler's own children (cc1, as, ld, swift-frontend) share its group: make sure none outlives it.
        kill(-pid, SIGKILL)
        return ChildResult(ending: ending!, output: readPrefix(outputPath, cap: outputCap),
                           wallSeconds: Date().timeIntervalSince(start))
    }

    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    private static func decode(_ status: Int32) -> ChildResult.Ending {
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signaled(signal)
    }

    /// The first `cap` bytes of a file, as UTF-8 (invalid bytes replaced).
    static func readPrefix(_ path: String, cap: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: cap)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
