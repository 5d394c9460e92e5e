// The built `lessons` executable driven through pipes: the scripted REPL, the learner loop
// end to end, a corrupt progress file, `watch` picking up saves.

import Foundation
import Testing
@testable import LessonsCLI
import TestSupport

@Suite(.serialized) struct ReplThroughAPipe {
    @Test func scriptedReplPrintsNoPromptsAndReportsTheLastStatus() {
        let directory = temporaryDirectory()
        let result = LessonsBinary.run([], in: directory, stdin: "help\nbogus\n")
        #expect(result.stdout.contains("Commands (the same at the prompt"))
        #expect(!result.stdout.contains("lessons>"))
        #expect(!result.stdout.contains("Ctrl-D quits"))
        #expect(result.stderr == "lessons: unknown command 'bogus'; 'help' lists the commands\n")
        #expect(result.status == 2)
    }

    @Test func quitStopsReading() {
        let result = LessonsBinary.run([], in: temporaryDirectory(), stdin: "help\nquit\nbogus\n")
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
    }

    @Test func argumentErrorsInsideTheReplAreOneLine() {
        let result = LessonsBinary.run([], in: temporaryDirectory(), stdin: "init --lang rust\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains("--lang takes c or swift"))
    }

    @Test func traceRunsInsideTheRepl() {
        let result = LessonsBinary.run([], in: temporaryDirectory(), stdin: "trace -- /bin/true\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("+++ exited with 0 +++"))
    }

    @Test func initChoosesAndChangesTheLanguage() throws {
        let directory = temporaryDirectory()
        let first = LessonsBinary.run(["init", "ws", "--lang", "swift"], in: directory)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Started a workspace in \(directory)/ws (language: swift)"))
        #expect(Workspace.find(from: directory + "/ws")?.settings.language == .swift)
        let second = LessonsBinary.run(["init", "--lang", "c"], in: directory + "/ws")
        #expect(second.stdout.contains("language is now c"))
        #expect(Workspace.find(from: directory + "/ws")?.settings.language == .c)
    }

    @Test func commandsOutsideAWorkspaceSayWhatToDo() {
        let result = LessonsBinary.run(["progress"], in: temporaryDirectory(), environment: ["LESSONS_PATH": Fixture.lessons])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    @Test func listAndNextWithTheFixturePack() throws {
        let directory = temporaryDirectory()
        let env = ["LESSONS_PATH": Fixture.lessons]
        let next = LessonsBinary.run(["next"], in: directory, environment: env)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("basics/say-hello — Say hello"))
        #expect(next.stdout.contains("Edit: basics/say-hello.c (starter copied in)"))
        #expect(read(directory + "/basics/say-hello.c")?.contains("return 1;") == true)
        let list = LessonsBinary.run(["list"], in: directory + "/basics", environment: env)
        #expect(list.stdout.contains("[>] basics/say-hello"))
        #expect(list.stdout.contains("[ ] basics/one-page"))
        let korean = LessonsBinary.run(["show", "basics/say-hello"], in: directory, environment: env.merging(["LANG": "ko_KR.UTF-8"]) { $1 })
        #expect(korean.stdout.contains("`hello`를 한 줄에 출력하고"))
        let hint1 = LessonsBinary.run(["hint"], in: directory, environment: env)
        let hint2 = LessonsBinary.run([], in: directory, stdin: "hint\nhint\n", environment: env)
        #expect(hint1.stdout.contains("Hint 1 of 2"))
        #expect(hint2.stdout.contains("Hint 2 of 2"))
        #expect(hint2.stdout.contains("That was the last hint."))
    }

    @Test func corruptProgressFileIsSetAsideByTheCLI() throws {
        let directory = temporaryDirectory()
        let env = ["LESSONS_PATH": Fixture.lessons]
        _ = LessonsBinary.run(["next"], in: directory, environment: env)
        write("\u{0}\u{1}garbage", to: directory + "/.lessons/progress.json")
        let result = LessonsBinary.run(["hint"], in: directory + "/basics", environment: env)
        #expect(result.status == 0)
        let warnings = result.stderr.split(separator: "\n")
        #expect(warnings.count == 1)
        #expect(warnings.first?.hasPrefix("warning: ") == true)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory + "/.lessons")
        #expect(names.contains { $0.hasPrefix("progress.json.corrupt-") })
        // Rebuilt and usable at once: the hint count was saved in a fresh, valid file.
        let again = LessonsBinary.run(["hint"], in: directory, environment: env)
        #expect(again.stderr.isEmpty)
        #expect(again.stdout.contains("Hint 2 of 2"))
    }

    @Test func unusableSettingsAreOneWarningAndTheCommandStillRuns() throws {
        let directory = temporaryDirectory()
        let env = ["LESSONS_PATH": Fixture.lessons]
        _ = LessonsBinary.run(["next"], in: directory, environment: env)
        let path = directory + "/.lessons/settings.json"
        write("{\"language\": \"rust\"}", to: path)
        let next = LessonsBinary.run(["next"], in: directory + "/basics", environment: env)
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("basics/say-hello"), "\(next.stdout)")
        #expect(next.stderr == "warning: \(path) names the language \"rust\", which is not c or swift; using c (most files here are C) until 'lessons init --lang c' or 'lessons init --lang swift' sets it\n",
                "\(next.stderr)")
        // Once per REPL session, however many commands use the workspace.
        let repl = LessonsBinary.run([], in: directory, stdin: "list\nprogress\nshow\n", environment: env)
        #expect(repl.status == 0 && repl.stderr.split(separator: "\n").count == 1, "\(repl.stderr)")
        // `init` without --lang says so too, then writes the language it used.
        let reinit = LessonsBinary.run(["init"], in: directory, environment: env)
        #expect(reinit.status == 0 && reinit.stderr.hasPrefix("warning: \(path) names the language \"rust\""), "\(reinit.stderr)")
        #expect(reinit.stdout.contains("language is now c"), "\(reinit.stdout)")
        let after = LessonsBinary.run(["list"], in: directory, environment: env)
        #expect(after.status == 0 && after.stderr.isEmpty, "\(after.stderr)")
    }

    @Test func resetAsksOrNeedsYesAndKeepsABackup() throws {
        let directory = temporaryDirectory()
        let env = ["LESSONS_PATH": Fixture.lessons]
        _ = LessonsBinary.run(["next"], in: directory, environment: env)
        let file = directory + "/basics/say-hello.c"
        write("my attempt\n", to: file)
        let refused = LessonsBinary.run([], in: directory, stdin: "reset\n", environment: env)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("add --yes"))
        #expect(read(file) == "my attempt\n")
        let done = LessonsBinary.run(["reset", "basics/say-hello", "--yes"], in: directory, environment: env)
        #expect(done.status == 0, "\(done.stderr)")
        #expect(read(file)?.contains("return 1;") == true)
        let backups = try FileManager.default.contentsOfDirectory(atPath: directory + "/basics").filter { $0.hasPrefix("say-hello.c.orig-") }
        #expect(backups.count == 1)
        #expect(read(directory + "/basics/" + (backups.first ?? "")) == "my attempt\n")
    }

    @Test func editOpensTheCurrentFileInTheEditor() {
        let directory = temporaryDirectory()
        let env = ["LESSONS_PATH": Fixture.lessons]
        _ = LessonsBinary.run(["next"], in: directory, environment: env)
        let edited = LessonsBinary.run(["edit"], in: directory, environment: env.merging(["VISUAL": "sh -c 'echo // edited >> \"$0\"'"]) { $1 })
        #expect(edited.status == 0, "\(edited.stderr)")
        #expect(read(directory + "/basics/say-hello.c")?.hasSuffix("// edited\n") == true)
        let none = LessonsBinary.run(["edit"], in: directory, environment: env.merging(["VISUAL": "", "EDITOR": ""]) { $1 })
        #expect(none.status == 2)
        #expect(none.stderr.contains("set $VISUAL or $EDITOR"))
    }

    @Test func theLearnerLoopEndToEnd() throws {
        let directory = temporaryDirectory()
        let env = ["LESSONS_PATH": Fixture.lessons]
        let first = LessonsBinary.run(["next"], in: directory, environment: env)
        #expect(first.stdout.contains("basics/say-hello"))
        let failing = LessonsBinary.run([], in: directory, stdin: "check\n", environment: env)
        #expect(failing.status == 1)
        #expect(!failing.stdout.contains("solved"))
        #expect(failing.stdout.contains("Memory of case 'default'"))
        #expect(failing.stdout.contains("Memory after main"))
        try FileManager.default.removeItem(atPath: directory + "/basics/say-hello.c")
        try FileManager.default.copyItem(atPath: Fixture.solution("basics/say-hello"), toPath: directory + "/basics/say-hello.c")
        let passing = LessonsBinary.run([], in: directory + "/basics", stdin: "check\nnext\nprogress\n", environment: env)
        #expect(passing.status == 0, "\(passing.stdout)\n\(passing.stderr)")
        #expect(passing.stdout.contains("basics/say-hello solved"))
        #expect(passing.stdout.contains("basics/one-page — Map one page"))
        #expect(passing.stdout.contains("1 of 2 exercises solved"))
        #expect(FileManager.default.fileExists(atPath: directory + "/basics/one-page.c"))
    }

    @Test func runShowsTheTraceAndTheMemoryPicture() {
        let directory = temporaryDirectory()
        let source = directory + "/big.c"
        write("""
        #include <stdio.h>
        #include <stdlib.h>
        int main(void) {
            for (int i = 0; i < 5; i++) printf("got %p\\n", malloc(200 * 1024));
            return 0;
        }
        """, to: source)
        let result = LessonsBinary.run(["run", "big.c", "--plain"], in: directory, environment: ["LESSONS_PATH": Fixture.lessons])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("mmap(NULL, 208896, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)"))
        #expect(result.stdout.contains("5 made after main, 5 still mapped at exit (5 x 204 KiB)"))
        #expect(result.stdout.contains("one in each of mappings 1, 2, 3, 4, 5"))
    }

    @Test func runStopsAProgramWhereCheckWould() {
        // The exercise allows one second of wall time (the sandbox's default is six): `run`
        // must apply the exercise's limits, as `check` does.
        let directory = temporaryDirectory()
        write("""
        ---
        id: limits
        title: Limits
        order: 1
        ---

        ## Exercise: slow — Too slow

        Exit at once.

        ```exercise
        languages: c
        wall: 1s
        ```

        ```c starter
        int main(void) { for (;;) {} }
        ```

        ```expect
        exited with 0
        ```
        """, to: directory + "/pack/01-limits.md")
        write("#include <unistd.h>\nint main(void) { sleep(5); return 0; }\n", to: directory + "/limits/slow.c")
        let result = LessonsBinary.run(["run", "limits/slow.c", "--plain"], in: directory, environment: ["LESSONS_PATH": directory + "/pack"])
        // A timeout is the exercise's limit at work: under the sandbox's default the five
        // seconds of sleep fit and the program exits 0.
        #expect(result.stdout.contains("X timeout"), "\(result.stdout)\n\(result.stderr)")
    }

    @Test func aNotebookCellRunsAtOnce() {
        let directory = temporaryDirectory()
        let cell = """
        c
        #include <stdio.h>
        #include <stdlib.h>
        int main(void) {
            for (int i = 0; i < 5; i++) printf("got %p\\n", malloc(5000));
            return 0;
        }
        .
        cells
        """
        let result = LessonsBinary.run(["--plain"], in: directory, stdin: cell + "\n", environment: ["LESSONS_PATH": Fixture.lessons])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("all 5 inside the heap"))
        #expect(result.stdout.contains("mappings  none made after main"))
        #expect(result.stdout.contains("  1  c  "))
    }

    @Test func cellsAreKeptAndRecalledInALaterSession() {
        let directory = temporaryDirectory()
        _ = LessonsBinary.run(["init"], in: directory)
        let first = LessonsBinary.run(["--plain"], in: directory, stdin: "c\n#include <stdlib.h>\nint main(void) { free(malloc(1 << 20)); return 0; }\n.\n")
        #expect(first.stdout.contains("1 made after main, 0 still mapped at exit (1.0 MiB)"), "\(first.stdout)\n\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory + "/.lessons/cells/cell-1.c"))
        let later = LessonsBinary.run(["--plain"], in: directory, stdin: "cells\nrecall 1\nrecall 7\n")
        #expect(later.stdout.contains("  1  c  2 lines  int main(void) { free(malloc(1 << 20));"), "\(later.stdout)")
        #expect(later.stdout.contains("unmapped by #"))
        #expect(later.stderr.contains("recall N, with N from 1 to 1"))
    }

    // A cell file saved with CR LF line ends (an editor set so, through 'recall N --edit') is
    // listed by its lines as its LF form is.
    @Test func aCellSavedWithCRLFIsListedByItsLines() throws {
        let directory = temporaryDirectory()
        _ = LessonsBinary.run(["init"], in: directory)
        try FileManager.default.createDirectory(atPath: directory + "/.lessons/cells", withIntermediateDirectories: true)
        try "#include <stdlib.h>\r\nint main(void) { return 0; }\r\n".write(toFile: directory + "/.lessons/cells/cell-1.c", atomically: false, encoding: .utf8)
        let later = LessonsBinary.run(["--plain"], in: directory, stdin: "cells\n")
        #expect(later.stdout.contains("  1  c  2 lines  int main(void) { return 0; }\n"), "\(later.stdout)")
    }

    @Test func watchPicksUpSavesAndMovesOn() throws {
        let directory = temporaryDirectory()
        let env = ["LESSONS_PATH": Fixture.lessons]
        _ = LessonsBinary.run(["next"], in: directory, environment: env)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LessonsBinary.path)
        process.arguments = ["watch"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(env.merging(["NO_COLOR": "1"]) { $1 }) { $1 }
        let log = directory + "/watch.log"
        try #require(FileManager.default.createFile(atPath: log, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Whatever happens below, the watcher does not outlive the test (it never ends by itself
        // unless every exercise gets solved).
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL); _ = waitForExit(process, timeout: 10) } }
        func waitFor(_ text: String, timeout: Double = 90) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if read(log)?.contains(text) == true { return true }
                if !process.isRunning { return read(log)?.contains(text) == true }
                usleep(100_000)
            }
            return false
        }
        try #require(waitFor("Watching basics/say-hello.c"), "\(read(log) ?? "")")
        try #require(waitFor("failed: 0/1 cases"), "\(read(log) ?? "")")
        // An editor that saves by writing a new file and renaming it over the old one.
        let solution = try String(contentsOfFile: Fixture.solution("basics/say-hello"), encoding: .utf8)
        write(solution, to: directory + "/basics/.say-hello.c.swp")
        rename(directory + "/basics/.say-hello.c.swp", directory + "/basics/say-hello.c")
        try #require(waitFor("basics/say-hello solved"), "\(read(log) ?? "")")
        try #require(waitFor("Watching basics/one-page.c"), "\(read(log) ?? "")")
        // An editor that writes the file in place.
        let second = try String(contentsOfFile: Fixture.solution("basics/one-page"), encoding: .utf8)
        let fd = open(directory + "/basics/one-page.c", O_WRONLY | O_TRUNC)
        _ = second.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
        try #require(waitFor("Every exercise is solved (2 of 2)"), "\(read(log) ?? "")")
        // Having said so, watch ends by itself; a watcher that keeps running is a failure, not a hang.
        try #require(waitForExit(process, timeout: 30), "watch said every exercise is solved but did not exit within 30 s:\n\(read(log) ?? "")")
        #expect(process.terminationStatus == 0, "\(read(log) ?? "")")
    }
}
