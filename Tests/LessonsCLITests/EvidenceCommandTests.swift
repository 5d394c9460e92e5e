// The commands around a lesson's evidence, as their users type them: `trace --tty` and
// `run --tty` (a terminal as the program's stdout), `record` and `verify` on a small pack,
// the "recorded elsewhere" notice of `next`, the learner's strings in Korean, and the
// bundled lessons checked with musl's C compiler.

import Foundation
import Testing
@testable import LessonsCLI
import TestSupport

@Suite("Evidence commands", .serialized)
struct EvidenceCommandTests {
    @Test("trace --tty gives the program a terminal as stdout and copies its output to the tool's stdout")
    func traceTTY() {
        let folder = temporaryDirectory()
        let script = ["/bin/sh", "-c", "if test -t 1; then echo terminal; else echo pipe; fi"]
        let tty = LessonsBinary.run(["trace", "--tty", "--"] + script, in: folder)
        #expect(tty.status == 0, "\(tty.stderr)")
        #expect(tty.stdout == "terminal\n")
        let pipe = LessonsBinary.run(["trace", "--"] + script, in: folder)
        #expect(pipe.stdout == "pipe\n")
    }

    @Test("run --tty: the program's stdout is a pseudo-terminal, so its trace shows S_IFCHR and one write per line")
    func runTTY() {
        let folder = temporaryDirectory()
        write("""
            #include <stdio.h>
            #include <unistd.h>
            int main(void) {
                for (int i = 0; i < 3; i++) printf("line %d tty %d\\n", i, isatty(1));
                return 0;
            }
            """, to: folder + "/lines.c")
        let tty = LessonsBinary.run(["run", "--tty", "--plain", "lines.c"], in: folder)
        #expect(tty.status == 0, "\(tty.stderr)")
        #expect(tty.stdout.contains("line 0 tty 1\nline 1 tty 1\nline 2 tty 1\n"))
        #expect(tty.stdout.contains("S_IFCHR"))
        #expect(tty.stdout.components(separatedBy: "write(1, \"line").count == 4, "one write per line at a terminal:\n\(tty.stdout)")
        let pipe = LessonsBinary.run(["run", "--plain", "lines.c"], in: folder)
        #expect(pipe.stdout.contains("line 0 tty 0\n"))
        #expect(pipe.stdout.contains("S_IFIFO"))
    }

    static let pack = """
        ---
        id: demo
        title: Demo
        order: 1
        ---

        # Demo

        ```c cell=hello
        #include <stdio.h>
        int main(void) {
            printf("hello\\n");
            return 0;
        }
        ```

        ```trace
        ```

        ```claim
        fact: It says hello.
        fact.ko: hello라고 말합니다.
        stdout == "hello\\n"
        ```

        A page is 4096 bytes.
        <!-- not checked: a definition -->

        ## Exercise: quiet — Say nothing

        Print nothing and exit with status 0.

        <details lang="ko"><summary>한국어</summary>

        아무것도 출력하지 말고 상태 0으로 끝내세요.

        </details>

        ```exercise
        languages: c
        title.ko: 조용히
        ```

        ```c starter
        int main(void) { return 1; }
        ```

        ```expect
        exited with 0
        ```

        ### Hints

        1. `return 0;`
           <details lang="ko"><summary>한국어</summary>`return 0;`</details>
        """

    static func packFolder(_ text: String = pack) -> String {
        let folder = temporaryDirectory()
        write(text, to: folder + "/Lessons/01-demo.md")
        return folder + "/Lessons"
    }

    @Test("record fills trace blocks and says where; lint is then clean and --unchecked lists the marked fact; verify says what holds")
    func recordLintVerify() throws {
        let lessons = Self.packFolder()
        let record = LessonsBinary.run(["record", "--lessons", lessons], in: temporaryDirectory())
        #expect(record.status == 0, "\(record.stdout)\(record.stderr)")
        #expect(record.stderr.hasPrefix("record: demo: 1 trace block recorded on "), "\(record.stderr)")
        let file = try #require(read(lessons + "/01-demo.md"))
        #expect(file.contains("\nrecorded: "))
        #expect(file.contains("write(1, \"hello\\n\", 6)"))

        let lint = LessonsBinary.run(["lint", "--unchecked", lessons], in: temporaryDirectory())
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        let line = (file.components(separatedBy: "\n").firstIndex(of: "A page is 4096 bytes.") ?? -1) + 1
        #expect(lint.stdout.hasSuffix("01-demo.md:\(line):1: not machine-checked (a definition): 4096 in \"A page is 4096 bytes.\"\n"), "\(lint.stdout)")
        #expect(lint.stderr.contains("lint: 1 example cells run: 1 trace blocks compared, 1 claims checked\n"))
        #expect(lint.stderr.contains("lint: 1 numeric facts in prose: 0 checked, 1 marked not machine-checked\n"))

        let verify = LessonsBinary.run(["verify", "--plain", "--lessons", lessons], in: temporaryDirectory())
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout == """
            demo — Demo
              ok hello: the trace is the lesson's (addresses, random bytes and process ids aside)
              ok hello: It says hello.

            2 of 2 facts of the lessons hold on this machine.

            """)
        let korean = LessonsBinary.run(["verify", "--plain", "--lang", "ko", "--lessons", lessons], in: temporaryDirectory())
        #expect(korean.stdout.contains("  ok hello: hello라고 말합니다.\n"))
        #expect(korean.stdout.hasSuffix("레슨의 사실 2개 중 2개가 이 기계에서 성립합니다.\n"))

        let unknown = LessonsBinary.run(["verify", "nope", "--lessons", lessons], in: temporaryDirectory())
        #expect(unknown.status == 2 && unknown.stderr.contains("no lesson 'nope' in "), "\(unknown.stderr)")
    }

    @Test("next says once that a lesson was recorded on another C library; show and hint speak Korean under --lang ko")
    func noticeAndKorean() throws {
        let lessons = Self.packFolder(Self.pack.replacingOccurrences(of: "order: 1\n", with: "order: 1\nlibc: musl\nrecorded: musl 1.2.3, Linux 6.18, x86_64\n"))
        let workspace = temporaryDirectory()
        let first = LessonsBinary.run(["next", "--lessons", lessons], in: workspace)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("This lesson was recorded on musl 1.2.3, Linux 6.18, x86_64; this machine differs in the C library (musl 1.2.3 there, "))
        #expect(first.stdout.contains("What it teaches is musl's behaviour; C programs here run on "))
        let second = LessonsBinary.run(["next", "--lessons", lessons], in: workspace)
        #expect(!second.stdout.contains("This lesson was recorded on"), "said once:\n\(second.stdout)")

        let korean = LessonsBinary.run(["show", "demo/quiet", "--lang", "ko", "--lessons", lessons], in: workspace)
        #expect(korean.stdout.contains("10점 · c · 힌트 1개\n"), "\(korean.stdout)")
        #expect(korean.stdout.contains("편집: demo/quiet.c\n"))
        #expect(korean.stdout.contains("그다음: check · run · hint · edit\n"))
        #expect(!korean.stdout.contains("points") && !korean.stdout.contains("Edit:"))
        let hint = LessonsBinary.run(["hint", "demo/quiet", "--lang", "ko", "--lessons", lessons], in: workspace)
        #expect(hint.stdout.hasPrefix("힌트 1/1 (demo/quiet)\n`return 0;`\n마지막 힌트였습니다.\n"), "\(hint.stdout)")
    }

    @Test("with musl's C compiler, verify says the malloc lessons teach glibc and lists what differs, instead of failing mysteriously")
    func musl() throws {
        let musl = "/usr/bin/musl-gcc"
        try #require(FileManager.default.isExecutableFile(atPath: musl), "musl-tools is not installed (.ci/run installs it)")
        let bundled = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons").path
        let result = LessonsBinary.run(["verify", "--plain", "--lessons", bundled, "malloc-basics"], in: temporaryDirectory(),
                                environment: ["CC": musl])
        #expect(result.status == 1, "some facts must not hold on musl:\n\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("this machine differs in the C library (glibc 2.36 there, musl here). What it teaches is glibc's behaviour; C programs here run on musl, so their traces and numbers are expected to differ from the lesson's."))
        #expect(result.stdout.contains("  X big-block: malloc(400000) gets a private, anonymous, read-write mapping of 401408 bytes"))
        #expect(result.stdout.contains("  ok first-block-swift: After main, the Swift version makes no brk and no mmap at all."), "Swift runs on glibc still")
        #expect(!result.stdout.contains("could not run"), "every C cell compiles and runs with musl:\n\(result.stdout)")
    }
}
