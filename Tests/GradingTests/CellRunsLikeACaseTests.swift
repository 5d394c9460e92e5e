// A lesson's cell (lint, record, verify, predict, `run LESSON/CELL`) runs as a case with no
// input runs in a check (CaseRunner): the same environment, `/dev/null` on standard input.

import Foundation
import Notebook
import Testing
import Vocabulary
@testable import Grading

@Suite("A cell runs as a case") struct CellRunsLikeACaseTests {
    static let program = """
        #include <stdio.h>
        #include <string.h>
        #include <sys/stat.h>
        #include <unistd.h>
        extern char **environ;
        int main(void) {
            for (char **e = environ; *e; e++) {
                // Where the scratch directory is differs run to run; that there is one does not.
                if (strncmp(*e, "HOME=", 5) == 0 || strncmp(*e, "TMPDIR=", 7) == 0) printf("env %.*s\\n", (int)(strchr(*e, '=') - *e), *e);
                else printf("env %s\\n", *e);
            }
            struct stat st;
            fstat(0, &st);
            printf("stdin %s\\n", S_ISFIFO(st.st_mode) ? "pipe" : S_ISCHR(st.st_mode) ? "character device" : "other");
            char c;
            printf("read %zd\\n", read(0, &c, 1));
            return 0;
        }
        """

    static func lines(_ bytes: [UInt8]) -> [String] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }

    @Test func aCellSeesWhatACaseWithTheSameVariablesSees() throws {
        let directory = NSTemporaryDirectory() + "lessons-cell-case-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let location = SourceLocation(file: directory + "/01-seen.md", line: 1)

        var cell = ExampleCell(name: "seen", language: .c, code: Self.program, location: location)
        cell.environment = ["GREETING": "hello"]
        let cellRun = try CellRunner.run(cell, lessonID: "seen", scratch: directory + "/cells").outcome.get()

        let source = directory + "/seen.c"
        try Self.program.write(toFile: source, atomically: true, encoding: .utf8)
        let exercise = Exercise(id: "world", lessonID: "seen", title: LocalizedText("World"), statement: LocalizedText("Say."),
                                languages: [.c], starters: [:],
                                cases: [ExerciseCase(name: "plain", environment: ["GREETING": "hello"], location: location)],
                                expectations: [ExpectationSource(text: "exited with 0", location: location)],
                                hints: [], points: 1, location: location)
        let checked = try Checker(options: CheckOptions(retryInternalErrors: false, keepRuns: true)).check(file: source, exercise: exercise)
        let caseRun = try #require(checked.cases.first?.run, "\(checked.notes) \(checked.feedback)")

        let seen = Self.lines(cellRun.outcome.run.stdout)
        #expect(seen == Self.lines(caseRun.stdout))
        for line in ["env GREETING=hello", "env LANG=C.UTF-8", "stdin character device", "read 0"] {
            #expect(seen.contains(line), "\(line) missing:\n\(seen.joined(separator: "\n"))")
        }
    }
}
