// The compiler's identity kept in the cache: used while the compiler's file is the same one,
// asked again when it changed (even with its old modification time put back), and never taken
// from a file that is damaged or that others could have written.
import Foundation
import Testing
@testable import Toolchain

/// A fake C compiler run through /bin/sh (exec'ing a script just written can fail with ETXTBSY).
private func fakeCompiler(_ version: String, in directory: String) -> String {
    write("#!/bin/sh\nif [ \"$1\" = --version ]; then echo '\(version)'; exit 0; fi\nexit 1\n", "fake-cc", in: directory)
}

private func lookUp(_ environment: [String: String]) throws -> CompilerIdentity {
    // A new memo each time: what a new process finds.
    try IdentityCache().identity(command: CompilerIdentity.command(for: .c, environment: environment), language: .c,
                                 environment: environment)
}

private func identityFile(_ environment: [String: String]) throws -> IdentityFile {
    let command = CompilerIdentity.command(for: .c, environment: environment)
    let resolved = try #require(CompilerIdentity.resolve(command[0], path: environment["PATH"]))
    return try #require(IdentityFile(command: [resolved] + command.dropFirst(), language: .c, environment: environment))
}

@Test func theIdentityIsKeptWhileTheCompilerIsTheSame() throws {
    let dir = scratchDirectory()
    let fake = fakeCompiler("fake cc 1.0", in: dir)
    let env = environment(cache: dir + "/cache", ["CC": "/bin/sh " + fake])
    #expect(try lookUp(env).version == "fake cc 1.0")
    let file = try identityFile(env)
    #expect(file.read()?.version == "fake cc 1.0")
    // The kept answer is what the next process uses, without asking the compiler.
    file.write(CompilerIdentity(path: "/bin/sh", extraFlags: [fake], version: "kept 7", isClang: false))
    #expect(try lookUp(env).version == "kept 7")
}

@Test func aChangedCompilerIsAskedAgainEvenWithItsOldModificationTime() throws {
    let dir = scratchDirectory()
    let fake = fakeCompiler("fake cc 1.0", in: dir)
    let env = environment(cache: dir + "/cache", ["CC": "/bin/sh " + fake])
    #expect(try lookUp(env).version == "fake cc 1.0")
    var before = stat()
    #expect(stat(fake, &before) == 0)
    // Rewritten in place, same size, its modification time put back: its change time moved.
    let handle = try #require(FileHandle(forWritingAtPath: fake))
    try handle.write(contentsOf: Data(try String(contentsOfFile: fake, encoding: .utf8).replacingOccurrences(of: "1.0", with: "2.0").utf8))
    try handle.close()
    var times = [before.st_atim, before.st_mtim]
    #expect(utimensat(AT_FDCWD, fake, &times, 0) == 0)
    #expect(try lookUp(env).version == "fake cc 2.0")
    // Replaced by another file (what a package upgrade does).
    let replacement = fakeCompiler("fake cc 3.0", in: dir + "/new")
    #expect(rename(replacement, fake) == 0)
    #expect(try lookUp(env).version == "fake cc 3.0")
}

@Test func aDamagedOrForeignIdentityFileIsAskedAgain() throws {
    let dir = scratchDirectory()
    let fake = fakeCompiler("fake cc 1.0", in: dir)
    let env = environment(cache: dir + "/cache", ["CC": "/bin/sh " + fake])
    #expect(try lookUp(env).version == "fake cc 1.0")
    let file = try identityFile(env)
    let kept = try String(contentsOfFile: file.path, encoding: .utf8)
    for damaged in [String(kept.dropLast(6)), kept.replacingOccurrences(of: "{", with: "["), "", "\u{0}\u{1}garbage"] {
        try damaged.write(toFile: file.path, atomically: false, encoding: .utf8)
        #expect(try lookUp(env).version == "fake cc 1.0", "\(damaged)")
        #expect(file.read()?.version == "fake cc 1.0")  // and kept again, whole
    }
    // A planted answer others could have written is not used.
    file.write(CompilerIdentity(path: "/bin/sh", extraFlags: [fake], version: "planted", isClang: true))
    chmod(file.path, 0o666)
    let found = try lookUp(env)
    #expect(found.version == "fake cc 1.0")
    #expect(found.isClang == false)
}
