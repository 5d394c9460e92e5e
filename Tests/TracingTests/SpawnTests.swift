// The one spawn-and-wait for the tool's own programs (addr2line, swift-demangle, $EDITOR, git,
// and the wait of the confined compiler): how a child ended, what it wrote, where its streams
// went, where it started, what a deadline does.

import Glibc
import Testing
@testable import Tracing

@Suite("Spawn") struct SpawnTests {
    @Test func exitStatusAndSignalAreReadFromTheWaitStatus() throws {
        let exited = try #require(Spawn.run(["/bin/sh", "-c", "exit 3"], stdout: .null))
        #expect(exited.ending == .exited(3))
        #expect(exited.ending?.shellStatus == 3)
        let killed = try #require(Spawn.run(["/bin/sh", "-c", "kill -KILL $$"], stdout: .null))
        #expect(killed.ending == .signaled(9))
        #expect(killed.ending?.shellStatus == 137)
    }

    @Test func standardOutputIsReadUpToTheCap() throws {
        let whole = try #require(Spawn.run(["/bin/sh", "-c", "echo hello; echo error >&2"], stdout: .pipe))
        #expect(String(decoding: whole.output, as: UTF8.self) == "hello\n")
        let cut = try #require(Spawn.run(["/bin/sh", "-c", "echo 0123456789"], stdout: .pipe, cap: 4))
        #expect(String(decoding: cut.output, as: UTF8.self) == "0123")
        // Past the cap the output is read and dropped: the child is not stopped by its pipe.
        let long = try #require(Spawn.run(["/bin/sh", "-c", "head -c 300000 /dev/zero; exit 5"], stdout: .pipe, cap: 10))
        #expect(long.output.count == 10)
        #expect(long.ending == .exited(5))
    }

    @Test func itStartsInTheDirectoryGiven() throws {
        let result = try #require(Spawn.run(["/bin/sh", "-c", "pwd"], directory: "/", stdout: .pipe))
        #expect(String(decoding: result.output, as: UTF8.self) == "/\n")
        #expect(Spawn.run(["/bin/sh", "-c", "pwd"], directory: "/nonexistent/folder", stdout: .pipe)?.ending != .exited(0))
    }

    /// swift-demangle is found on PATH: one that answers is used, one that fails or writes
    /// without end (stopped at its deadline) leaves the symbol as it was.
    @Test func aDemanglerThatFailsOrNeverEndsLeavesTheSymbol() throws {
        var template = Array("/tmp/lessons-demangle-XXXXXX".utf8CString)
        let folder = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
        defer { unlink(folder + "/swift-demangle"); rmdir(folder) }
        func tool(_ script: String) {
            let path = folder + "/swift-demangle"
            unlink(path)
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o755)
            _ = script.withCString { write(fd, $0, strlen($0)) }
            close(fd)
        }
        tool("#!/bin/sh\necho 'grab(_:)'\n")
        #expect(Addr2Line.demangle("$s4main4grabyyF", search: folder) == "grab(_:)")
        tool("#!/bin/sh\necho 'half an answer'\nexit 1\n")
        #expect(Addr2Line.demangle("$s4main4grabyyF", search: folder) == "$s4main4grabyyF")
        tool("#!/bin/sh\nwhile :; do echo endless; done\n")
        #expect(Addr2Line.demangle("$s4main4grabyyF", search: folder) == "$s4main4grabyyF")
    }

    @Test func aChildPastItsDeadlineIsKilled() throws {
        // With its output open, and with it closed: both are waited for only up to the deadline.
        let talking = try #require(Spawn.run(["/bin/sh", "-c", "exec sleep 30"], stdout: .pipe, deadline: 0.2))
        #expect(talking.ending == .signaled(SIGKILL))
        let silent = try #require(Spawn.run(["/bin/sh", "-c", "exec 1>&-; exec sleep 30"], stdout: .pipe, deadline: 0.2))
        #expect(silent.ending == .signaled(SIGKILL))
        let quick = try #require(Spawn.run(["/bin/sh", "-c", "echo done"], stdout: .pipe, deadline: 30))
        #expect(quick.ending == .exited(0))
        #expect(String(decoding: quick.output, as: UTF8.self) == "done\n")
    }

    @Test func waitForEndCallsExpireOnlyAtTheDeadline() throws {
        let child = try #require(Spawn.start(["/bin/sleep", "30"], stdin: .null, stdout: .null))
        var expired = 0
        #expect(Spawn.waitForEnd(child.pid, deadline: monotonicSeconds() + 0.1) { expired += 1; kill(child.pid, SIGKILL) })
        #expect(expired == 1)
        #expect(Spawn.wait(child.pid) == .signaled(SIGKILL))
        let quick = try #require(Spawn.start(["/bin/sh", "-c", "exit 4"], stdin: .null, stdout: .null))
        #expect(!Spawn.waitForEnd(quick.pid, deadline: monotonicSeconds() + 60) { Issue.record("expired early") })
        #expect(Spawn.wait(quick.pid) == .exited(4))
    }

    @Test func standardInputIsNullUnlessAPipeIsAskedFor() throws {
        let null = try #require(Spawn.run(["/bin/sh", "-c", "test -c /proc/self/fd/0 && read line || echo end of file"], stdout: .pipe))
        #expect(String(decoding: null.output, as: UTF8.self) == "end of file\n")
        let child = try #require(Spawn.start(["/bin/cat"], stdin: .pipe, stdout: .pipe))
        let text = Array("through the pipe\n".utf8)
        #expect(text.withUnsafeBytes { write(child.input, $0.baseAddress!, $0.count) } == text.count)
        close(child.input)
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(child.output, $0.baseAddress!, $0.count) }
        close(child.output)
        #expect(n == text.count && Array(buffer.prefix(max(n, 0))) == text)
        #expect(Spawn.wait(child.pid) == .exited(0))
    }

    @Test func aProgramThatCannotStartIsNil() {
        #expect(Spawn.run(["/nonexistent/program"], stdout: .null) == nil)
    }

    @Test func theEnvironmentIsExactlyTheOneGiven() throws {
        let result = try #require(Spawn.run(["/usr/bin/env"], environment: ["ONLY=this"], stdout: .pipe))
        #expect(String(decoding: result.output, as: UTF8.self) == "ONLY=this\n")
    }
}
