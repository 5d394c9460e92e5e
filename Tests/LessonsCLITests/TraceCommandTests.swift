// `lessons trace` as a learner types it: help before the program, traces that cannot be written.

import Foundation
import Testing
@testable import LessonsCLI
import TestSupport

@Suite struct TraceCommand {
    @Test(arguments: ["--help", "-h"])
    func helpBeforeTheProgramIsTheTraceHelp(_ flag: String) {
        let result = LessonsBinary.run(["trace", flag], in: temporaryDirectory())
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Trace a program's system calls"))
        #expect(!result.stderr.contains("cannot find"))
    }

    @Test func anEmptyProgramNameIsSaidToBeEmpty() {
        let result = LessonsBinary.run(["trace", "--", ""], in: temporaryDirectory())
        #expect(result.status == 2)
        #expect(result.stderr == "lessons: the program to trace is an empty name: give its path or name after --\n", "\(result.stderr)")
    }

    @Test func aTraceFileThatCannotBeWrittenIsAnErrorNotASilentLoss() throws {
        try #require(FileManager.default.fileExists(atPath: "/dev/full"))
        let result = LessonsBinary.run(["trace", "-o", "/dev/full", "--", "/bin/sh", "-c", "exit 5"], in: temporaryDirectory())
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr == "lessons: cannot write the trace to /dev/full: No space left on device; free some space or use -o on another disk\n")
    }

    /// `lessons trace -o FILE` dying (a crash of the tool is SIGILL or SIGSEGV; Ctrl-C, SIGTERM)
    /// keeps in FILE every line it traced so far.
    @Test(arguments: [SIGILL, SIGSEGV, SIGABRT, SIGTERM, SIGINT])
    func aTraceFileKeepsWhatWasTracedWhenTheTracerDies(_ signal: Int32) throws {
        let directory = temporaryDirectory()
        let file = directory + "/trace.txt"
        // "one" is traced before "ready" is written: once "ready" can be read, the line of the
        // first write is in the tool's hands. Then the program waits on its input.
        let child = try CleanSpawn(LessonsBinary.path, ["trace", "-o", file, "--", "/bin/sh", "-c", "echo one; echo ready; read line"],
                                   environment: ["SWIFT_BACKTRACE=enable=no"])
        defer { child.finish() }
        try #require(child.read(until: "ready\n", timeout: 60), "the traced program never got going")
        kill(child.pid, signal)
        let status = try #require(child.wait(timeout: 30), "lessons trace did not die of signal \(signal)")
        #expect(status & 0x7f == signal, "wait status \(status)")
        let trace = try #require(read(file))
        #expect(trace.contains("write(1, \"one\\n\", 4)"), "\(trace)")
    }

    @Test func standardErrorThatCannotBeWrittenIsExit3() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LessonsBinary.path)
        process.arguments = ["trace", "--", "/bin/sh", "-c", "exit 5"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = full
        try process.run()
        if !waitForExit(process, timeout: 60) { kill(process.processIdentifier, SIGKILL); Issue.record("lessons trace did not finish within 60 s") }
        #expect(process.terminationStatus == 3)
    }

    /// Command lines the quick parser reads (it must agree with ArgumentParser on each) and
    /// ones it leaves to ArgumentParser (nil).
    static let commandLines: [[String]] = [
        ["--", "/bin/true"],
        ["/bin/true"],
        ["--all", "-f", "-o", "/dev/null", "--", "/bin/true", "a", "--all"],
        ["-f", "--all", "./prog", "-o", "x"],
        ["--format", "jsonl", "-e", "trace=%memory", "--timeout", "2.5", "--", "prog"],
        ["--inject", "mmap:error=ENOMEM:when=2", "--inject", "brk:retval=0", "--lines", "--calls", "--no-pin", "--tty", "prog"],
        ["-o", "a", "-o", "b", "prog"],
        // left to ArgumentParser: help, other spellings, unknown options, errors
        ["--help"], ["-h"], ["-o=x", "prog"], ["--output", "x", "prog"], ["-fo", "x", "prog"], ["--bogus", "prog"], ["--format=jsonl", "prog"],
        ["--format", "xml", "prog"], ["--timeout", "-1", "prog"], ["--timeout", "0", "prog"], ["--timeout", "soon", "prog"],
        ["-e", "trace=nosuchcall", "prog"], ["--inject", "nonsense", "prog"], ["-o"], ["--"], [], ["--all"],
    ]

    @Test(arguments: commandLines)
    func theQuickParserAgreesWithArgumentParser(_ words: [String]) {
        let quick = TraceOptions.quickParse(words)
        let full = try? Lessons.Trace.parse(words).options
        if let quick {
            #expect(quick == full, "quick: \(quick), ArgumentParser: \(String(describing: full))")
        } else {
            // Declined lines are the parser's to answer; the plain ones above must not be declined.
            let plain = Self.commandLines.prefix(7).contains(words)
            #expect(!plain, "the quick parser declined a plain command line: \(words)")
        }
    }

    @Test func theTraceExitsWithTheProgramsStatusEvenWhereTheParserHasAMeaning() {
        // 64 is ArgumentParser's EX_USAGE, which the tool maps to its own 2 for usage errors:
        // a traced program's 64 must come through as 64.
        for arguments in [["trace", "-o", "/dev/null", "--", "/bin/sh", "-c", "exit 64"],
                          ["trace", "--format=strace", "-o", "/dev/null", "--", "/bin/sh", "-c", "exit 64"]] {
            let result = LessonsBinary.run(arguments, in: temporaryDirectory())
            #expect(result.status == 64, "\(arguments): \(result.stderr)")
        }
    }

    @Test func linesCarryStracesPidColumnsAndReturnColumn() throws {
        let directory = temporaryDirectory()
        let file = directory + "/trace.txt"
        // sh forks for /bin/true: two processes, so every line of `-o FILE` starts with its pid
        // (strace -f -o), and the lines on standard error get `[pid N] ` once the child lives.
        let toFile = LessonsBinary.run(["trace", "-o", file, "--", "/bin/sh", "-c", "/bin/true; exit 3"], in: directory)
        #expect(toFile.status == 3, "\(toFile.stderr)")
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(Set(lines.compactMap { $0.split(separator: " ").first }).count == 2, "\(lines)")
        for line in lines {
            #expect(line.wholeMatch(of: /\d+ +\S.*/) != nil && line.firstMatch(of: /^\d{1,5} {1,5}\S/) != nil
                    || line.firstMatch(of: /^\d{6,} \S/) != nil, "\(line)")
            if line.contains(") = ") || line.contains(")  ") {
                let column = line.utf8.count - (line.range(of: "= ", options: .backwards).map { line[$0.lowerBound...].utf8.count } ?? 0)
                #expect(column >= 40, "\(line)")
            }
        }
        #expect(lines.last?.hasSuffix(" +++ exited with 3 +++") == true, "\(lines.last ?? "")")

        let toStandardError = LessonsBinary.run(["trace", "--", "/bin/sh", "-c", "/bin/true; exit 3"], in: directory)
        let errorLines = toStandardError.stderr.split(separator: "\n")
        #expect(errorLines.contains { $0.hasPrefix("[pid ") }, "\(toStandardError.stderr)")
        #expect(errorLines.contains("+++ exited with 3 +++"), "\(toStandardError.stderr)")  // before the note on sh's missing main
    }

    @Test func callsAnotherProcessInterruptsAreUnfinishedThenResumedAsInStrace() throws {
        let directory = temporaryDirectory()
        // The child waits until the parent is asleep (its state in /proc is S), then blocks in
        // read() until the parent wakes and writes: both calls are interrupted by the other
        // process's lines, whatever order the scheduler runs them in.
        write("""
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <fcntl.h>
        #include <sched.h>
        #include <unistd.h>
        #include <sys/wait.h>
        static int parent_asleep(void) {
            char path[64], stat[512];
            snprintf(path, sizeof path, "/proc/%d/stat", (int)getppid());
            int fd = open(path, O_RDONLY);
            ssize_t n = fd < 0 ? -1 : read(fd, stat, sizeof stat - 1);
            if (fd >= 0) close(fd);
            if (n <= 0) return 0;
            stat[n] = 0;
            char *end = strrchr(stat, ')');
            return end && end[1] == ' ' && end[2] == 'S';
        }
        int main(void) {
            int fds[2];
            if (pipe(fds) != 0) return 1;
            if (fork() == 0) {
                while (!parent_asleep()) sched_yield();
                char buf[16]; ssize_t n = read(fds[0], buf, sizeof buf); exit(n == 6 ? 3 : 4);
            }
            usleep(200000);
            write(fds[1], "hello\\n", 6);
            int status;
            wait(&status);
            return 0;
        }
        """, to: directory + "/pipe.c")
        let cc = Process()
        cc.executableURL = URL(fileURLWithPath: "/usr/bin/cc")
        cc.arguments = ["-O0", "-o", directory + "/pipe", directory + "/pipe.c"]
        try cc.run()
        if !waitForExit(cc, timeout: 120) { kill(cc.processIdentifier, SIGKILL); Issue.record("cc did not finish within 120 s") }
        try #require(cc.terminationStatus == 0)

        let result = LessonsBinary.run(["trace", "-o", directory + "/trace.txt", "--", "./pipe"], in: directory)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: directory + "/trace.txt", encoding: .utf8).split(separator: "\n").map(String.init)
        let text = lines.joined(separator: "\n")
        #expect(lines.contains { $0.hasSuffix(" read(3,  <unfinished ...>") }, "\(text)")
        #expect(lines.contains { $0.contains(" <... read resumed>\"hello\\n\", 16)  = 6") }, "\(text)")
        #expect(lines.contains { $0.hasSuffix(" clock_nanosleep(CLOCK_REALTIME, 0, {tv_sec=0, tv_nsec=200000000},  <unfinished ...>") }, "\(text)")
        #expect(lines.contains { $0.hasSuffix(" <... clock_nanosleep resumed>NULL) = 0") }, "\(text)")
        // Per process, every unfinished call is resumed next, by name, and nothing else comes between.
        var open: [Substring: Substring] = [:]
        for line in lines {
            let pid = line.prefix { $0.isNumber }
            let body = line.drop { $0.isNumber || $0 == " " }
            if let name = open[pid] {
                #expect(body.hasPrefix("<... \(name) resumed>"), "\(pid): \(name) was left unfinished, then: \(line)")
                open[pid] = nil
            }
            if body.hasSuffix(" <unfinished ...>") { open[pid] = body.prefix { $0 != "(" } }
        }
        #expect(open.isEmpty, "never resumed: \(open)")
    }
}


/// A child started with posix_spawn with no signal blocked and default dispositions (a
/// Foundation `Process` inherits the test thread's blocked SIGINT and SIGTERM), its standard
/// output on a pipe, its standard input on a pipe that stays open until `finish`.
final class CleanSpawn {
    let pid: pid_t
    private let output: Int32
    private let input: Int32
    private var seen: [UInt8] = []

    init(_ path: String, _ arguments: [String], environment: [String]) throws {
        var out: [Int32] = [-1, -1], inp: [Int32] = [-1, -1]
        guard pipe(&out) == 0, pipe(&inp) == 0 else { throw CocoaError(.fileWriteUnknown) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inp[0], 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        for fd in [out[0], out[1], inp[0], inp[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = (environment + ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }).map { strdup($0) } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        close(out[1]); close(inp[0])
        guard result == 0 else { close(out[0]); close(inp[1]); throw CocoaError(.executableLoad) }
        pid = child
        output = out[0]
        input = inp[1]
        _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
    }

    /// Reads standard output until it holds `text`; false at end of file or after `timeout` s.
    func read(until text: String, timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !String(decoding: seen, as: UTF8.self).contains(text) {
            guard Date() < deadline else { return false }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(output, $0.baseAddress, $0.count) }
            if count == 0 { return false }
            if count > 0 { seen += buffer[0..<count] } else { usleep(10_000) }
        }
        return true
    }

    /// The wait status, or nil when it has not ended within `timeout` s.
    func wait(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while Date() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid { return status }
            usleep(10_000)
        }
        return nil
    }

    /// Kills it if it still runs, reaps it, closes the pipes.
    func finish() {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        close(output)
        close(input)
    }
}
