// The built `lessons` executable, run as a user runs it: with pipes, a plain environment and a
// deadline, so that a hang is a failure with a message and never a hang of the whole suite.

import Foundation
import Glibc
import Testing

public struct BinaryResult: Sendable {
    /// The exit status, or the signal's number when `signaled`.
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Whether it died of a signal (a shell says 128 + the signal's number).
    public var signaled = false
}

public enum LessonsBinary {
    /// The `lessons` executable built beside the test bundle (the bundle may be a directory
    /// inside the products directory).
    public static let path: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = (exe as NSString).deletingLastPathComponent
        while !directory.isEmpty && directory != "/" {
            let candidate = (directory as NSString).appendingPathComponent("lessons")
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = (directory as NSString).deletingLastPathComponent
        }
        return "lessons"
    }()

    /// Runs `lessons ARGUMENTS` in `directory` with `stdin` on its standard input (/dev/null when
    /// nil), NO_COLOR, LANG=C.UTF-8, no LC_ALL or LESSONS_PATH from the caller, then `environment`.
    /// `whileRunning` is given its pid once it runs (to signal it, say), its output being read meanwhile.
    public static func run(_ arguments: [String], in directory: String, stdin: String? = nil,
                           environment: [String: String] = [:], timeout: Double = 300,
                           whileRunning: ((Int32) -> Void)? = nil) -> BinaryResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["LANG"] = "C.UTF-8"
        env.removeValue(forKey: "LC_ALL")
        env.removeValue(forKey: "LESSONS_PATH")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        process.standardOutput = output
        process.standardError = error
        // A child inherits the signal mask of the thread that starts it, and the test runner's
        // threads may block SIGINT or SIGTERM; from a shell or a scheduler they come unblocked
        // (Ctrl-C and a time limit must reach it).
        var stopping = sigset_t(), saved = sigset_t()
        sigemptyset(&stopping)
        sigaddset(&stopping, SIGINT)
        sigaddset(&stopping, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stopping, &saved)
        let started = Result { try process.run() }
        pthread_sigmask(SIG_SETMASK, &saved, nil)
        if case .failure(let error) = started {
            Issue.record("cannot run \(path) (\(error)): run 'swift build' before 'swift test'")
            return BinaryResult(status: -1, stdout: "", stderr: "cannot run \(path)")
        }
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = output.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = error.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        whileRunning?(process.processIdentifier)
        if group.wait(timeout: .now() + timeout) == .timedOut {
            // SIGKILL (SIGTERM may be handled), and do not wait for ever for pipes that a
            // leftover grandchild may still hold open.
            kill(process.processIdentifier, SIGKILL)
            _ = group.wait(timeout: .now() + 10)
            _ = waitForExit(process, timeout: 10)
            Issue.record("lessons \(arguments.joined(separator: " ")) (in \(directory)) did not finish within \(Int(timeout)) s; killed it")
            return BinaryResult(status: -1, stdout: String(decoding: outData, as: UTF8.self),
                                stderr: String(decoding: errData, as: UTF8.self) + "\n[killed after \(Int(timeout)) s]")
        }
        guard waitForExit(process, timeout: 30) else {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("lessons \(arguments.joined(separator: " ")) closed its output but did not exit within 30 s; killed it")
            return BinaryResult(status: -1, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
        }
        return BinaryResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                            stderr: String(decoding: errData, as: UTF8.self), signaled: process.terminationReason == .uncaughtSignal)
    }
}

/// Waits up to `timeout` seconds for `process` to end; false if it is still running.
/// (`Process.waitUntilExit()` has no timeout, and one stuck child would hang the whole suite.)
public func waitForExit(_ process: Process, timeout: Double) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
        if Date() >= deadline { return false }
        usleep(50_000)
    }
    // isRunning turns false when the termination is observed; let Process finish its bookkeeping.
    process.waitUntilExit()
    return true
}
