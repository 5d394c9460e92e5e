// What a learner sees of the compiler's output: located lines about other files dropped,
// the scratch copy renamed to their file, the -H listing gone, the size capped.

import Foundation
import Testing
@testable import Toolchain

let work = "/cache/tmp/ABC"
let system = ["/usr/include/", "/usr/lib/gcc/"]

func clean(_ output: String) -> (text: String, hidOtherFiles: Bool) {
    CompilerOutput.clean(output, sourceName: "grow.c", displayName: "alice/grow.c", workDirectory: work, systemPrefixes: system)
}

@Test func locatedPaths() {
    #expect(CompilerOutput.locatedPath("grow.c:3:12: error: x") == "grow.c")
    #expect(CompilerOutput.locatedPath("grow.c: In function 'main':") == "grow.c")
    #expect(CompilerOutput.locatedPath("In file included from /etc/passwd:1,") == "/etc/passwd")
    #expect(CompilerOutput.locatedPath("                 from grow.c:2:") == "grow.c")
    #expect(CompilerOutput.locatedPath("/usr/bin/ld: cc1.o: in function `main':") == nil)
    #expect(CompilerOutput.locatedPath("    3 |     return y;") == nil)
    #expect(CompilerOutput.locatedPath("collect2: error: ld returned 1 exit status") == nil)
}

@Test func dropsDiagnosticsAboutOtherFilesWithTheirQuotes() {
    let output = """
        . /usr/include/stdio.h
        .. /usr/include/features.h
        . /etc/passwd
        In file included from grow.c:2:
        /etc/passwd:1:1: error: 'root' undeclared here (not in a function)
            1 | root:x:0:0:root:/root:/bin/bash
              | ^~~~
        /cache/tmp/ABC/grow.c:5:3: warning: unused variable 'x' [-Wunused-variable]
            5 |   int x;
              |       ^
        /usr/include/stdio.h:10:1: note: declared here
        Multiple include guards may be useful for:
        /etc/passwd
        /usr/include/x.h
        """
    let (text, hid) = clean(output)
    #expect(hid)
    #expect(text == """
        In file included from alice/grow.c:2:
        alice/grow.c:5:3: warning: unused variable 'x' [-Wunused-variable]
            5 |   int x;
              |       ^
        /usr/include/stdio.h:10:1: note: declared here
        """)
}

@Test func pathTricksAreNotSystemHeaders() {
    #expect(!CompilerOutput.isShowable("/usr/include/../../etc/passwd", sourceName: "grow.c", workDirectory: work, systemPrefixes: system))
    #expect(!CompilerOutput.isShowable("../../../etc/passwd", sourceName: "grow.c", workDirectory: work, systemPrefixes: system))
    #expect(CompilerOutput.isShowable("./grow.c", sourceName: "grow.c", workDirectory: work, systemPrefixes: system))
    #expect(CompilerOutput.isShowable("/usr/include/stdio.h", sourceName: "grow.c", workDirectory: work, systemPrefixes: system))
    #expect(!CompilerOutput.isShowable("other.c", sourceName: "grow.c", workDirectory: work, systemPrefixes: system))
}

@Test func includePathsAreNormalisedAsText() {
    #expect(CompilerOutput.normalized("/usr/include/./x86_64-linux-gnu//bits/../stdio.h") == "/usr/include/x86_64-linux-gnu/stdio.h")
    #expect(CompilerOutput.normalized("/usr/include/../../../etc/passwd") == "/etc/passwd")
    #expect(CompilerOutput.normalized("/tmp/lessons-compile/./grow.c/") == "/tmp/lessons-compile/grow.c")
    #expect(CompilerOutput.normalized("/..") == "/")
    // What is normalized already comes back as it is (the common case: one pass, no split).
    for path in ["/", "/usr/include/stdio.h", "/a/...", "/a/.b/c..", "/tmp/lessons-compile/grow.c"] {
        #expect(CompilerOutput.isNormalized(path), "\(path)")
        #expect(CompilerOutput.normalized(path) == path)
    }
    for path in ["", "usr/include", "//usr", "/usr/", "/usr/./x", "/usr/..", "/usr/.", "/a//b", "/./a"] {
        #expect(!CompilerOutput.isNormalized(path), "\(path)")
    }
}

@Test func linkerLinesNameTheLearnersFile() {
    let (text, hid) = clean("/usr/bin/ld: /cache/tmp/ABC/ccX1y2Z3.o: in function `main':\ngrow.c:3: undefined reference to `missing'\ncollect2: error: ld returned 1 exit status\n")
    #expect(!hid)
    #expect(text == "/usr/bin/ld: alice/grow.c: in function `main':\nalice/grow.c:3: undefined reference to `missing'\ncollect2: error: ld returned 1 exit status")
}

@Test func outputIsCappedAtALineBoundary() {
    let line = "grow.c:1:1: error: " + String(repeating: "x", count: 80)
    let (text, _) = clean(Array(repeating: line, count: 2000).joined(separator: "\n"))
    #expect(text.utf8.count <= CompilerOutput.cap + 64)
    #expect(text.hasSuffix("\n… (compiler output cut at 64 KiB)"))
    #expect(text.split(separator: "\n").dropLast().allSatisfy { $0.hasPrefix("alice/grow.c:1:1: error: xxxx") && $0.hasSuffix("x") })
}

@Test func assemblerMessagesNameTheLearnersFile() {
    let output = "ccozZfKu.s: Assembler messages:\nccozZfKu.s:7: Error: file not found: /etc/shadow\n"
    let (text, hid) = CompilerOutput.clean(output, sourceName: "grow.c", displayName: "alice/brk/grow.c",
                                           workDirectory: "/tmp/lessons-compile", systemPrefixes: ["/usr/include/"])
    #expect(text == "alice/brk/grow.c: assembler: Error: file not found: /etc/shadow")
    #expect(!hid)
    #expect(CompilerOutput.assemblerMessage("ccozZfKu.c:7: error", displayName: "x") == nil)
    #expect(CompilerOutput.assemblerMessage("notccAbCd12.s:7: error", displayName: "x") == nil)
}

/// The include check's resolver answers what realpath(3) answers, asking once per directory:
/// through a linked directory, for a link itself (elsewhere), for a missing file, at the root.
@Test func theResolverAgreesWithRealpath() throws {
    let dir = scratchDirectory()
    for folder in ["/real/sub", "/elsewhere"] {
        try FileManager.default.createDirectory(atPath: dir + folder, withIntermediateDirectories: true)
    }
    for file in ["/real/sub/a.h", "/elsewhere/b.h"] {
        try #require(FileManager.default.createFile(atPath: dir + file, contents: Data()))
    }
    try #require(symlink(dir + "/real", dir + "/linked") == 0)
    try #require(symlink("../../elsewhere/b.h", dir + "/real/sub/alias.h") == 0)
    let resolver = CompilerOutput.SymlinkResolver()
    for path in [dir + "/linked/sub/a.h", dir + "/linked/sub/alias.h", dir + "/real/sub/a.h", dir + "/linked/sub/missing.h",
                 dir + "/linked", "/etc", "/"] {
        #expect(resolver.resolve(path) == CompilerOutput.resolvingSymlinks(path), "\(path)")
    }
    #expect(resolver.resolve(dir + "/linked/sub/alias.h") == CompilerOutput.resolvingSymlinks(dir) + "/elsewhere/b.h")
    #expect(resolver.resolve(dir + "/linked/sub/a.h").hasPrefix(CompilerOutput.resolvingSymlinks(dir) + "/real/"))
}
