// Runs a compiler confined like a learner's program (Sandbox's ConfinedProcess: its own uid,
// pid, mount and network namespaces, Landlock, rlimits, a cgroup): a submission's `.incbin` or
// `#include` can only reach what any student may read. Its stdout and stderr go into a file
// (a pipe could fill up and stall the compiler), read back up to a cap.

import Foundation
import Sandbox
#if canImport(Glibc)
import Glibc
#endif

struct ChildLimits: Sendable {
    var wallSeconds: Double
    var memoryBytes: Int
    var fileSizeBytes: Int
}

struct ChildResult: Sendable {
    typealias Ending = ConfinedResult.Ending
    var ending: Ending
    /// What the child wrote to stdout and stderr, at most `outputCap` bytes.
    var output: String
    var wallSeconds: Double
    /// The kernel killed it at its cgroup's memory limit.
    var outOfMemory = false
}

enum ChildProcess {
    /// Runs `arguments[0]` (resolved by the caller) with `arguments`, confined, in `directory`
    /// (seen inside as `ChildProcess.inside(directory)`). `readable`: paths beyond the system's
    /// it may read and execute; `writable`: directories besides its own it may write.
    /// Throws only when the child cannot be started.
    static func run(_ arguments: [String], directory: String, environment: [String: String],
                    limits: ChildLimits, outputPath: String, outputCap: Int = 1 << 20,
                    readable: [String] = [], writable: [Confinement.Bind] = [],
                    assembleAndLink: (assemble: [String], link: [String])? = nil,
                    onStarted: (@Sendable () -> Void)? = nil) throws -> ChildResult {
        let output = open(outputPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard output >= 0 else {
            throw ToolchainError("cannot create \(outputPath) for the compiler's messages: \(String(cString: strerror(errno))); " + Compiler.cacheAdvice)
        }
        var confinement = Confinement(workDirectory: directory, wallSeconds: limits.wallSeconds,
                                      memoryBytes: limits.memoryBytes, fileSizeBytes: limits.fileSizeBytes)
        confinement.extraReadable = readable
        confinement.extraWritable = writable
        confinement.onStarted = onStarted
        confinement.assembleAndLink = assembleAndLink
        let result: ConfinedResult
        do {
            result = try ConfinedProcess.run(arguments, environment: environment, confinement: confinement, output: output)
        } catch let error as SandboxError {
            close(output)
            throw ToolchainError("\(error)")
        }
        close(output)
        return ChildResult(ending: result.ending, output: readPrefix(outputPath, cap: outputCap),
                           wallSeconds: result.wallSeconds, outOfMemory: result.outOfMemory)
    }

    /// Where `directory` (a working directory given to `run`) is seen by the confined child.
    static func inside(_ directory: String) -> String {
        ConfinedProcess.binds ? Confinement.workInside : directory
    }

    /// The first `cap` bytes of a file, as UTF-8 (invalid bytes replaced).
    static func readPrefix(_ path: String, cap: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: cap)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
