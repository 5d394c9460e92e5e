// The one spawn-and-wait for the tool's own programs (addr2line, swift-demangle, $EDITOR):
// how a child ended, what it wrote, where its streams went.

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
