// `run --case NAME` gives the program exactly what that case's check gives it (CaseRunner):
// the same environment, the same standard input, the case's files and arguments, and its
// `inject:` rules, and one CPU (both pin the tracer and the program to the CPU the tool is on).
// The program reports what it saw; `run` and `check` must agree line for line.

import Foundation
import Testing
@testable import LessonsCLI
import TestSupport

@Suite("run and check give a case's program the same world", .serialized)
struct RunMatchesCheckTests {
    static let lesson = """
        ---
        id: seen
        title: What a program sees
        order: 1
        ---

        ## Exercise: world — Say what you see

        Print your environment and your input.

        ```exercise
        points: 2
        languages: c
        ```

        ```c starter
        int main(void) { return 0; }
        ```

        ```case fed
        args: one "two words"
        env: GREETING=hello LANG=C
        stdin: |
          forty-two
        file data.txt: contents
        inject: getppid:error=EPERM
        ```

        ```case quiet
        ```

        ```expect
        exited with 0
        ```
        """

    static let program = """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <sched.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/stat.h>
        #include <sys/syscall.h>
        #include <unistd.h>
        extern char **environ;
        int main(int argc, char **argv) {
            for (char **e = environ; *e; e++) {
                // Where the scratch directory is differs run to run; that there is one does not.
                if (strncmp(*e, "HOME=", 5) == 0 || strncmp(*e, "TMPDIR=", 7) == 0) printf("env %.*s\\n", (int)(strchr(*e, '=') - *e), *e);
                else printf("env %s\\n", *e);
            }
            for (int i = 1; i < argc; i++) printf("arg %s\\n", argv[i]);
            struct stat st;
            fstat(0, &st);
            printf("stdin %s\\n", S_ISFIFO(st.st_mode) ? "pipe" : S_ISCHR(st.st_mode) ? "character device" : "other");
            char buffer[64];
            ssize_t n = read(0, buffer, sizeof buffer - 1);
            printf("read %zd\\n", n);
            if (n > 0) { buffer[n] = 0; printf("input %s", buffer); }
            FILE *data = fopen("data.txt", "r");
            printf("data.txt %s\\n", data ? "present" : "absent");
            long parent = syscall(SYS_getppid);
            printf("getppid %s\\n", parent == -1 && errno == EPERM ? "failed with EPERM" : "succeeded");
            cpu_set_t cpus;
            printf("cpus %d\\n", sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : -1);
            return 0;
        }
        """

    /// What the program printed in `run`'s output section.
    static func runOutput(_ text: String) -> [String] {
        let lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "-- output --") else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.hasPrefix("-- ") && !$0.isEmpty }).sorted()
    }

    @Test func runGivesACaseWhatItsCheckGives() throws {
        let directory = temporaryDirectory()
        write(Self.lesson, to: directory + "/pack/01-seen.md")
        write(Self.program, to: directory + "/seen/world.c")
        let environment = ["LESSONS_PATH": directory + "/pack"]

        let check = LessonsBinary.run(["check", "seen/world.c", "--format", "json"], in: directory, environment: environment)
        #expect(check.status == 0, "\(check.stdout)\n\(check.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any], "\(check.stdout)")
        let cases = try #require(json["cases"] as? [[String: Any]], "\(check.stdout)")
        var checked: [String: [String]] = [:]
        for item in cases {
            let name = try #require(item["name"] as? String)
            let stdout = try #require(item["stdout"] as? String)
            checked[name] = stdout.split(separator: "\n").map(String.init).sorted()
        }

        for name in ["fed", "quiet"] {
            let run = LessonsBinary.run(["run", "seen/world.c", "--case", name, "--plain"], in: directory, environment: environment)
            #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
            let seen = Self.runOutput(run.stdout)
            #expect(!seen.isEmpty, "\(run.stdout)")
            #expect(seen == checked[name], "case \(name): run saw\n\(seen.joined(separator: "\n"))\ncheck saw\n\(checked[name]?.joined(separator: "\n") ?? "nothing")")
        }

        // What they agree on is what the case says, on top of the sandbox's own environment.
        let fed = try #require(checked["fed"])
        for line in ["env GREETING=hello", "env LANG=C", "arg one", "arg two words", "stdin pipe", "read 10",
                     "input forty-two", "data.txt present", "getppid failed with EPERM", "env HOME", "env PATH=/usr/bin:/bin",
                     "cpus 1"] {
            #expect(fed.contains(line), "case fed lacks '\(line)':\n\(fed.joined(separator: "\n"))")
        }
        let quiet = try #require(checked["quiet"])
        for line in ["env LANG=C.UTF-8", "env SWIFT_BACKTRACE=enable=no", "stdin character device", "read 0", "data.txt absent", "getppid succeeded",
                     "cpus 1"] {
            #expect(quiet.contains(line), "case quiet lacks '\(line)':\n\(quiet.joined(separator: "\n"))")
        }
        #expect(!quiet.contains { $0.hasPrefix("arg ") })
    }
}
