// The fixture class, graded for real: compile, sandboxed trace, match. Statuses, a snapshot
// per format, merge == unsharded, resume after kill -9, check == grade, lint.
// Snapshots live in Snapshots/; re-record them with LESSONS_RECORD_SNAPSHOTS=1 swift test.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading
import Vocabulary
import TestSupport

/// The fixture class graded once, shared by the tests that only read the report.
enum GradedFixture {
    static let lessons = Fixture.classDirectory + "/Lessons"
    static let students = Fixture.classDirectory + "/students"
    static let pack = LoadedPack.load(directory: lessons)
    static let report: Result<GradeReport, any Error> = Result {
        try Grader.grade(directory: students, exercises: pack.exercises, tool: "lessons-test",
                         options: GradeOptions(cache: nil))
    }

    /// The statuses every grading of the fixture class must give.
    static let expected: [String: [String: Status]] = [
        "alice": ["fixture-memory/echo": .passed, "fixture-memory/two-pages": .passed,
                  "fixture-memory/big-chunk": .passed, "fixture-break/grow": .passed],
        "bob": ["fixture-memory/echo": .failed, "fixture-memory/two-pages": .failed,
                "fixture-memory/big-chunk": .missing, "fixture-break/grow": .passed],
        "carol": ["fixture-memory/echo": .compileError, "fixture-memory/two-pages": .crashed,
                  "fixture-memory/big-chunk": .timeout, "fixture-break/grow": .missing],
        "dave": ["fixture-memory/echo": .passed, "fixture-memory/two-pages": .missing,
                 "fixture-memory/big-chunk": .missing, "fixture-break/grow": .missing],
        "eve": ["fixture-memory/echo": .passed, "fixture-memory/two-pages": .missing,
                "fixture-memory/big-chunk": .missing, "fixture-break/grow": .missing],
        // Passes the two visible cases of echo, fails its hidden one: 4 of 6 points.
        "fay": ["fixture-memory/echo": .failed, "fixture-memory/two-pages": .missing,
                "fixture-memory/big-chunk": .missing, "fixture-break/grow": .missing],
    ]

    static func statuses(_ report: GradeReport) -> [String: [String: Status]] {
        Dictionary(uniqueKeysWithValues: report.students.map { student in
            (student.id, Dictionary(uniqueKeysWithValues: student.exercises.map { ($0.exercise, $0.status) }))
        })
    }
}

/// Report text with what may vary between runs and machines replaced: timings, the tool's
/// build identity, addresses and pids.
func normalized(_ text: String) -> String {
    var out = text
    let rules: [(String, String)] = [
        (#""seconds" : [0-9.e+-]+"#, #""seconds" : 0"#),
        (#""execution_time" : [0-9]+"#, #""execution_time" : 0"#),
        (#"time="[0-9.]+""#, #"time="0.000""#),
        (#""tool" : "[^"]*""#, #""tool" : "lessons""#),
        (#"0x[0-9a-f]{6,}"#, "0x…"),
        (#"\[pid [0-9]+\]"#, "[pid N]"),
        // The CLI stamps what it graded from; a report made in-process has no stamp.
        (#"\n  "inputs" : "[0-9a-f]+","#, ""),
        // Event numbers in memory pictures count the loader's calls too (another libc, another count).
        (#"#[0-9]+ "#, "#N "),
    ]
    for (pattern, replacement) in rules {
        out = out.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
    }
    return out
}

func assertSnapshot(_ text: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots").path
    let path = "\(directory)/\(name)"
    let actual = normalized(text)
    if ProcessInfo.processInfo.environment["LESSONS_RECORD_SNAPSHOTS"] == "1" {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try actual.write(toFile: path, atomically: true, encoding: .utf8)
        return
    }
    guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
        Issue.record("no snapshot \(path); record it with LESSONS_RECORD_SNAPSHOTS=1 swift test", sourceLocation: sourceLocation)
        return
    }
    #expect(actual == expected, "snapshot \(name) differs; re-record with LESSONS_RECORD_SNAPSHOTS=1 if the change is intended",
            sourceLocation: sourceLocation)
}

/// The first line where two texts differ, for failure messages.
func firstDifference(_ a: String, _ b: String) -> String {
    let left = a.split(separator: "\n", omittingEmptySubsequences: false)
    let right = b.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(left.count, right.count) {
        let l = index < left.count ? String(left[index]) : "<end>"
        let r = index < right.count ? String(right[index]) : "<end>"
        if l != r { return "line \(index + 1):\n  \(l)\n  \(r)" }
    }
    return "no difference"
}

/// A class too big to finish before a signal: `copies` of alice's files, each copy its own
/// bytes (so neither cache has it).
func copiesOfAlice(_ copies: Int, in students: String) throws {
    let alice = GradedFixture.students + "/alice"
    for copy in 1...copies {
        for file in FileManager.default.subpaths(atPath: alice) ?? [] where file.hasSuffix(".c") {
            let target = "\(students)/alice-\(copy)/\(file)"
            try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let source = try String(contentsOfFile: "\(alice)/\(file)", encoding: .utf8)
            try (source + "\n// copy \(copy)\n").write(toFile: target, atomically: false, encoding: .utf8)
        }
    }
}

/// The grading worker processes (`lessons __grade-worker`) whose parent is `grader`.
func gradingWorkers(of grader: Int32) -> [Int32] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }.filter { pid in
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              status.split(separator: "\n").contains("PPid:\t\(grader)"),
              let command = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        return command.split(separator: 0).contains { $0.elementsEqual(GradingWorker.command.utf8) }
    }
}

struct ProcessFailure: Error, CustomStringConvertible { var description: String }

/// Runs `lessons` with `arguments` (TestSupport's runner: both pipes drained at once, killed and
/// failed past `timeout`), without Swift's backtracer (a crash is judged by its status).
@discardableResult
func runLessons(_ arguments: [String], environment extra: [String: String] = [:],
                timeout: Double = 600) throws -> (status: Int32, stdout: String, stderr: String) {
    let result = LessonsBinary.run(arguments, in: FileManager.default.currentDirectoryPath,
                                   environment: ["SWIFT_BACKTRACE": "enable=no"].merging(extra) { $1 }, timeout: timeout)
    guard result.status != -1 else { throw ProcessFailure(description: "lessons \(arguments.joined(separator: " ")): \(result.stderr.suffix(2000))") }
    return (result.status, result.stdout, result.stderr)
}

func temporaryDirectory(_ name: String) throws -> String {
    TestScratch.directory("lessons-grading-tests-\(name)")
}

@Suite(.serialized) struct EndToEndTests {
    @Test func fixturePackLoadsCleanly() {
        #expect(GradedFixture.pack.problems.map(\.description) == [])
        #expect(GradedFixture.pack.exercises.map(\.fullID) == ["fixture-memory/echo", "fixture-memory/two-pages",
                                                                "fixture-memory/big-chunk", "fixture-break/grow"])
    }

    @Test func fixtureClassGetsTheRightStatuses() throws {
        let report = try GradedFixture.report.get()
        #expect(GradedFixture.statuses(report) == GradedFixture.expected)
        let alice = try #require(report.students.first { $0.id == "alice" })
        #expect(alice.score == 31 && alice.maxScore == 31)
        #expect(report.totals.score == 31 + 5 + 6 + 6 + 4)
        #expect(report.internalErrors.isEmpty)
        let carol = try #require(report.students.first { $0.id == "carol" })
        #expect(carol.notes == ["fixture-break/notes.txt ignored: not an exercise of this pack"])
        #expect(carol.exercises[0].diagnostics.contains("fixture-memory/echo.c:5:"), "compile errors name the learner's file and line")
        #expect(carol.exercises[1].cases[0].explanation.contains("SIGSEGV"))
    }

    @Test func hiddenChecksStayHiddenFromStudents() throws {
        let report = try GradedFixture.report.get()
        let bob = try #require(report.students.first { $0.id == "bob" })
        let twoPages = bob.exercises[1]
        #expect(twoPages.cases[0].failures.contains { $0.hidden })
        // The hidden block checks for exactly one anonymous mapping; students never see that.
        for text in [ReportRenderer.feedback(bob), ReportRenderer.gradescope(bob), ReportRenderer.junit(report)] {
            #expect(text.contains("a hidden check failed"))
            #expect(!text.contains("× 1"))
        }
        #expect(ReportRenderer.json(report).contains("× 1"), "instructor formats show everything")
    }

    @Test func hiddenCasesSayOnlyPassedOrFailed() throws {
        let report = try GradedFixture.report.get()
        let fay = try #require(report.students.first { $0.id == "fay" })
        let echo = fay.exercises[0]
        #expect(echo.cases.map(\.name) == ["hello", "numbers", "secret"])
        #expect(echo.cases.map(\.hidden) == [false, false, true])
        #expect(echo.cases.map(\.status) == [.passed, .passed, .failed])
        // Per-case credit: 6 points over three cases, two of them passed.
        #expect(echo.cases.map(\.maxScore) == [2, 2, 2])
        #expect(echo.score == 4 && echo.maxScore == 6 && echo.status == .failed)
        let secretWords = ["secret", "4000", "the secret input"]
        // The time the check took is no secret, but its digits can spell one (0.3136175840008…).
        var learnerView = echo.learnerView
        learnerView.seconds = 0
        let studentTexts = [ReportRenderer.feedback(fay), ReportRenderer.gradescope(fay), ReportRenderer.junit(report),
                            ReportRenderer.feedback(fay, language: "ko"), ReportRenderer.gradescope(fay, language: "ko"),
                            CheckText.render(echo, file: "fixture-memory/echo.c"), echo.learnerView.feedback,
                            String(decoding: try JSONEncoder().encode(learnerView), as: UTF8.self)]
        for text in studentTexts {
            for word in secretWords { #expect(!text.contains(word), "\(word) leaked: \(text)") }
        }
        #expect(ReportRenderer.feedback(fay).contains("✗ hidden case 1: failed"))
        #expect(ReportRenderer.feedback(fay, language: "ko").contains("숨겨진 케이스 1"))
        #expect(CheckText.render(echo, file: "fixture-memory/echo.c").contains("✗ hidden case 1 — failed"))
        // Gradescope: the hidden case is a test of its own, shown after the grades are published.
        let results = try #require(try JSONSerialization.jsonObject(with: Data(ReportRenderer.gradescope(fay).utf8)) as? [String: Any])
        let tests = try #require(results["tests"] as? [[String: Any]])
        let hidden = try #require(tests.first { ($0["name"] as? String) == "fixture-memory/echo: hidden case 1" })
        #expect(hidden["visibility"] as? String == "after_published")
        #expect(hidden["score"] as? Int == 0 && hidden["max_score"] as? Int == 2)
        #expect(hidden["output"] as? String == "a hidden case failed")
        let visible = try #require(tests.first { ($0["name"] as? String) == "fixture-memory/echo" })
        #expect(visible["score"] as? Int == 4 && visible["max_score"] as? Int == 4)
        #expect(tests.reduce(0) { $0 + ($1["score"] as? Int ?? 0) } == results["score"] as? Int)
        let configured = try JSONSerialization.jsonObject(with: Data(ReportRenderer.gradescope(fay, hiddenVisibility: "hidden").utf8)) as? [String: Any]
        #expect((configured?["tests"] as? [[String: Any]])?.contains { $0["visibility"] as? String == "hidden" } == true)
        // Instructor formats keep everything.
        #expect(ReportRenderer.json(report).contains("the secret input 4000"))
        #expect(ReportRenderer.text(report).contains("case secret: failed"))
        #expect(ReportRenderer.csv(report).contains("fay,fixture-memory/echo,failed,4,6"))
    }

    @Test func snapshotPerFormat() throws {
        let report = try GradedFixture.report.get()
        try assertSnapshot(ReportRenderer.text(report), named: "class.txt")
        try assertSnapshot(ReportRenderer.json(report), named: "class.json")
        try assertSnapshot(ReportRenderer.csv(report), named: "class.csv")
        try assertSnapshot(ReportRenderer.junit(report), named: "class.junit.xml")
        for student in report.students {
            try assertSnapshot(ReportRenderer.gradescope(student), named: "gradescope-\(student.id).json")
        }
        let bob = try #require(report.students.first { $0.id == "bob" })
        try assertSnapshot(ReportRenderer.feedback(bob), named: "feedback-bob.txt")
        // A hidden case and partial credit.
        let fay = try #require(report.students.first { $0.id == "fay" })
        try assertSnapshot(ReportRenderer.feedback(fay), named: "feedback-fay.txt")
    }

    @Test(.enabled(if: ReproducibleLayout.isAvailable, "the system forbids ADDR_NO_RANDOMIZE"))
    func theFixedLayoutIsGivenBackToTheThread() {
        let before = ReproducibleLayout.isFixedForThisThread
        #expect(!before, "the test thread already had ADDR_NO_RANDOMIZE")
        ReproducibleLayout.fixed { #expect(ReproducibleLayout.isFixedForThisThread) }
        #expect(ReproducibleLayout.isFixedForThisThread == before)
    }

    @Test(.enabled(if: ReproducibleLayout.isAvailable, "the system forbids ADDR_NO_RANDOMIZE"))
    func freshRunsWriteTheSameReportApartFromTimings() throws {
        let first = ReportRenderer.json(try GradedFixture.report.get())
        let again = try Grader.grade(directory: GradedFixture.students, exercises: GradedFixture.pack.exercises,
                                     tool: "lessons-test", options: GradeOptions(jobs: 1, cache: nil))
        let timingsOnly: (String) -> String = {
            $0.replacingOccurrences(of: #""seconds" : [0-9.e+-]+"#, with: "", options: .regularExpression)
        }
        // Addresses included: the programs run without address randomisation.
        #expect(timingsOnly(ReportRenderer.json(again)) == timingsOnly(first),
                "\(firstDifference(timingsOnly(ReportRenderer.json(again)), timingsOnly(first)))")
        #expect(first.contains("brk(NULL) = 0x5555"))
    }

    @Test func mergedShardsEqualTheUnshardedReport() throws {
        let whole = try GradedFixture.report.get()
        var shards: [(name: String, report: GradeReport)] = []
        for k in 1...3 {
            let shard = try Grader.grade(directory: GradedFixture.students, exercises: GradedFixture.pack.exercises,
                                         tool: "lessons-test", options: GradeOptions(shard: Shard(index: k, count: 3), cache: nil))
            #expect(shard.students.count <= 2)
            // Through JSON, as `grade merge` reads them.
            shards.append(("shard-\(k).json", try ReportRenderer.decode(Data(ReportRenderer.json(shard).utf8))))
        }
        let merged = try GradeReport.merge(shards.reversed())
        #expect(normalized(ReportRenderer.json(merged)) == normalized(ReportRenderer.json(whole)),
                "\(firstDifference(normalized(ReportRenderer.json(merged)), normalized(ReportRenderer.json(whole))))")
        #expect(GradedFixture.statuses(merged) == GradedFixture.expected)
    }

    @Test func resumeAfterKillWritesTheSameReport() throws {
        let work = try temporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let cache = work + "/cache", report = work + "/report.json"
        let arguments = ["grade", "--lessons", GradedFixture.lessons, GradedFixture.students, "--jobs", "1",
                         "--cache-dir", cache, "--format", "json", "--output", report]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: LessonsBinary.path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once part of the class is done (a partial report is there), and before the end.
        func cached() -> Int {
            (FileManager.default.enumerator(atPath: cache)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".json") }.count
        }
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: report) && process.isRunning && Date() < deadline { usleep(20_000) }
        #expect(process.isRunning, "the run ended before it could be killed")
        let workers = gradingWorkers(of: process.processIdentifier)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let before = cached()
        // The grader's workers die with it (PR_SET_PDEATHSIG).
        let gone = Date().addingTimeInterval(10)
        while workers.contains(where: { kill($0, 0) == 0 }) && Date() < gone { usleep(20_000) }
        #expect(!workers.isEmpty && !workers.contains { kill($0, 0) == 0 }, "workers \(workers) outlived their grader")

        // What was done is a valid report, marked partial, of the students finished.
        let partial = try ReportRenderer.decode(try Data(contentsOf: URL(fileURLWithPath: report)))
        let progress = try #require(partial.partial, "a killed run left a report not marked partial")
        let classSize = GradedFixture.expected.count
        #expect(progress.students == classSize && progress.studentsGraded == partial.students.count && progress.studentsGraded < classSize)
        #expect(!partial.students.isEmpty)
        for student in partial.students {
            #expect(GradedFixture.statuses(GradeReport(tool: "", exercises: [], students: [student]))[student.id] == GradedFixture.expected[student.id])
        }
        #expect(throws: GradeReport.MergeError.self) { try GradeReport.merge([("partial.json", partial)]) }

        let resumed = try runLessons(arguments)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(cached() > before)
        let resumedText = try String(contentsOfFile: report, encoding: .utf8)
        let fresh = normalized(ReportRenderer.json(try GradedFixture.report.get()))
        #expect(normalized(resumedText) == fresh, "\(firstDifference(normalized(resumedText), fresh))")

        // Once complete, a rerun redoes nothing and writes the identical bytes, timings included.
        let again = try runLessons(arguments)
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: report, encoding: .utf8) == resumedText)
        #expect(!((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).contains { $0.hasSuffix(".tmp") },
                "no temporary files left beside the report")
    }

    /// Grades twenty copies of Alice into a report file, sends `signal` once a partial report is
    /// there, and checks what the grader then says: one line with `word`, numbers that are those of
    /// the report left behind (valid and partial), and death by that signal (130 or 143 in a shell).
    func stoppedOnceAPartialReportIsThere(_ signal: Int32, saying word: String, in work: String) throws -> (students: String, tasks: Int) {
        let report = work + "/report.json"
        let students = work + "/class", copies = 20
        try copiesOfAlice(copies, in: students)
        let tasks = copies * GradedFixture.pack.exercises.count
        let stopped = LessonsBinary.run(["grade", "--lessons", GradedFixture.lessons, students, "--jobs", "1",
                                         "--cache-dir", work + "/cache", "--format", "json", "--output", report],
                                        in: work, environment: ["SWIFT_BACKTRACE": "enable=no"]) { pid in
            let deadline = Date().addingTimeInterval(120)
            while !FileManager.default.fileExists(atPath: report) && kill(pid, 0) == 0 && Date() < deadline { usleep(20_000) }
            kill(pid, signal)
        }
        #expect(stopped.signaled && stopped.status == signal, "status \(stopped.status): \(stopped.stderr)")
        let other = word == "interrupted" ? "terminated" : "interrupted"
        let lines = stopped.stderr.split(separator: "\n").filter { $0.contains(word) }
        #expect(lines.count == 1 && stopped.stderr.hasSuffix("\n") && !stopped.stderr.contains(other), "\(stopped.stderr)")
        let line = String(try #require(lines.first))
        let pattern = try Regex("lessons: \(word): graded (\\d+) of (\\d+) submissions; the partial report \\((\\d+) of (\\d+) students\\) is in (.+); run the same command again to finish \\(what is graded comes from the result cache\\)")
        let said = try #require(try pattern.wholeMatch(in: line), "\(line)").output
        let numbers = (1...4).map { said[$0].substring.flatMap { Int($0) } }
        #expect(numbers[1] == tasks && (numbers[0] ?? tasks) < tasks && said[5].substring.map(String.init) == report, "\(line)")
        let partial = try ReportRenderer.decode(try Data(contentsOf: URL(fileURLWithPath: report)))
        let progress = try #require(partial.partial, "the stopped run left a report not marked partial")
        #expect(progress.studentsGraded == numbers[2] && progress.students == numbers[3] && progress.students == copies)
        #expect(partial.students.count == progress.studentsGraded && progress.studentsGraded < progress.students)
        return (students, tasks)
    }

    @Test func ctrlCSaysHowFarGradingGotAndWhereThePartialReportIs() throws {
        let work = try temporaryDirectory("interrupt")
        defer { try? FileManager.default.removeItem(atPath: work) }
        // Interrupted once a partial report is there, as a grader at the terminal is.
        let (students, tasks) = try stoppedOnceAPartialReportIsThere(SIGINT, saying: "interrupted", in: work)

        // To standard output nothing was written: the line says so, and what keeps a partial report.
        let cache = work + "/cache-stdout"
        let piped = LessonsBinary.run(["grade", "--lessons", GradedFixture.lessons, students, "--jobs", "1",
                                       "--cache-dir", cache, "--format", "json"],
                                      in: work, environment: ["SWIFT_BACKTRACE": "enable=no"]) { pid in
            let deadline = Date().addingTimeInterval(120)
            func cached() -> Bool {
                (FileManager.default.enumerator(atPath: cache)?.allObjects as? [String] ?? []).contains { $0.hasSuffix(".json") }
            }
            while !cached() && kill(pid, 0) == 0 && Date() < deadline { usleep(20_000) }
            kill(pid, SIGINT)
        }
        #expect(piped.signaled && piped.status == SIGINT, "status \(piped.status): \(piped.stderr)")
        #expect(piped.stdout.isEmpty, "\(piped.stdout)")
        let done = #/lessons: interrupted: graded (\d+) of (\d+) submissions; standard output gets only the whole report, so nothing was written \(--output FILE keeps a partial one\); run the same command again to finish \(what is graded comes from the result cache\)\n/#
        let stdoutLine = try #require(piped.stderr.firstMatch(of: done), "\(piped.stderr)")
        #expect(Int(stdoutLine.1)! >= 1 && Int(stdoutLine.2) == tasks, "\(piped.stderr)")
    }

    @Test func sigtermSaysTheSameLineTerminatedAndDiesOfSIGTERM() throws {
        let work = try temporaryDirectory("terminate")
        defer { try? FileManager.default.removeItem(atPath: work) }
        // Terminated once a partial report is there, as a Slurm time limit or `timeout` does: the
        // scheduler sees the end it caused (143).
        _ = try stoppedOnceAPartialReportIsThere(SIGTERM, saying: "terminated", in: work)
    }

    @Test func checkAndGradeGiveIdenticalStatuses() throws {
        let work = try temporaryDirectory("agree")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let graded = try runLessons(["grade", "--lessons", GradedFixture.lessons, GradedFixture.students, "--no-cache",
                                     "--format", "json", "--output", work + "/report.json"])
        #expect(graded.status == 0, "\(graded.stderr)")
        let report = try ReportRenderer.decode(try Data(contentsOf: URL(fileURLWithPath: work + "/report.json")))
        #expect(GradedFixture.statuses(report) == GradedFixture.expected)

        var compared = 0
        for student in report.students {
            for result in student.exercises where result.status != .missing {
                let base = "\(GradedFixture.students)/\(student.id)/\(result.exercise)"
                let file = FileManager.default.fileExists(atPath: base + ".c") ? base + ".c" : base + ".swift"
                let checked = try runLessons(["check", "--lessons", GradedFixture.lessons, file, "--format", "json"])
                let json = try JSONSerialization.jsonObject(with: Data(checked.stdout.utf8)) as? [String: Any]
                #expect(json?["status"] as? String == result.status.rawValue, "\(student.id) \(result.exercise)")
                #expect(checked.status == (result.status == .passed ? 0 : 1), "\(student.id) \(result.exercise): \(checked.stderr)")
                compared += 1
            }
            // The homework-folder form agrees too.
            let all = try runLessons(["check", "--lessons", GradedFixture.lessons, "--all", "\(GradedFixture.students)/\(student.id)",
                                      "--format", "json"])
            let json = try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [String: Any]
            let statuses = (json?["exercises"] as? [[String: Any]] ?? []).map { ($0["id"] as? String ?? "", $0["status"] as? String ?? "") }
                .filter { $0.1 != "missing" }
            let expected = student.exercises.filter { $0.status != .missing }.map { ($0.exercise, $0.status.rawValue) }
            #expect(statuses.map(\.0) == expected.map(\.0), "\(student.id)")
            #expect(statuses.map(\.1) == expected.map(\.1), "\(student.id)")
        }
        #expect(compared == 13)
    }

    @Test func checkExitCodesForInputErrors() throws {
        let missing = try runLessons(["check", "--lessons", GradedFixture.lessons, "/nonexistent/fixture-memory/echo.c"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such file"))
        let unknown = try runLessons(["check", "--lessons", GradedFixture.lessons,
                                      "\(GradedFixture.students)/alice/fixture-memory/echo.c", "--exercise", "nope/nothing"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("--exercise nope/nothing: no such exercise; 'lessons list' shows them"))
        let wrongLanguage = try runLessons(["check", "--lessons", GradedFixture.lessons,
                                            "\(GradedFixture.students)/eve/fixture-memory/two-pages.swift"])
        #expect(wrongLanguage.status == 2)
        #expect(wrongLanguage.stderr.contains("does not accept swift"))
    }

    @Test func textCheckShowsCasesTraceAndHint() throws {
        let failed = try runLessons(["check", "--lessons", GradedFixture.lessons, "\(GradedFixture.students)/bob/fixture-memory/two-pages.c"])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("✗ default — failed"))
        #expect(failed.stdout.contains("trace after main:"))
        #expect(failed.stdout.contains("a hidden check failed"))
        #expect(failed.stdout.contains("run 'lessons hint fixture-memory/two-pages' for a hint"))
        let passed = try runLessons(["check", "--lessons", GradedFixture.lessons, "\(GradedFixture.students)/alice/fixture-memory/echo.c"])
        #expect(passed.status == 0)
        #expect(passed.stdout.contains("✓ hello") && passed.stdout.contains("✓ numbers"))
    }

    @Test func brokenLessonStopsGradingWithItsLocation() throws {
        let broken = Fixture.classDirectory + "/broken-pack/Lessons"
        let pack = LoadedPack.load(directory: broken)
        #expect(throws: CheckError.self) {
            try Grader.grade(directory: GradedFixture.students, exercises: pack.exercises, tool: "t", options: GradeOptions(cache: nil))
        }
        let graded = try runLessons(["grade", "--lessons", broken, GradedFixture.students, "--no-cache"])
        #expect(graded.status == 2)
        #expect(graded.stderr.contains("01-broken.md:22:28: unknown constant `PROT_BOGUS`"))
    }

    @Test func lintFindsEveryKindOfProblem() throws {
        let broken = Fixture.classDirectory + "/broken-pack"
        let summary = LessonLinter.lint(directory: broken + "/Lessons")
        let lines = summary.problems.map(\.description)
        #expect(lines.count == 4, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(broken)/Lessons/01-broken.md:22:28: unknown constant `PROT_BOGUS`") })
        #expect(lines.contains { $0.contains("starter of broken/easy-starter already passes its checks") })
        #expect(lines.contains { $0.hasPrefix("\(broken)/Solutions/broken/no-such-exercise.c:1:1: no exercise 'broken/no-such-exercise'") })
        #expect(lines.contains { $0.hasPrefix("\(broken)/Solutions/broken/wrong-solution.c:1:1: this solution does not pass broken/wrong-solution (failed)") })
        #expect(lines.allSatisfy { !$0.contains("\n") }, "one line per problem")
        let cli = try runLessons(["lint", broken + "/Lessons"])
        #expect(cli.status == 1)
        #expect(cli.stdout.split(separator: "\n").count == 4)
    }

    @Test func aMissingCompilerStopsGradingBeforeItStarts() throws {
        let work = try temporaryDirectory("nocc")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let graded = try runLessons(["grade", "--lessons", GradedFixture.lessons, GradedFixture.students, "--no-cache",
                                     "--format", "json", "--output", work + "/report.json"],
                                    environment: ["CC": "/nonexistent/cc", "LESSONS_CACHE": work + "/toolchain-cache"])
        #expect(graded.status == 2, "\(graded.stderr)")
        #expect(graded.stderr.contains("apt-get install gcc"), "\(graded.stderr)")
        #expect(graded.stderr.split(separator: "\n").count == 1, "one line: \(graded.stderr)")
        #expect(!FileManager.default.fileExists(atPath: work + "/report.json"), "nothing graded, no report")
        // A class with only Swift submissions does not need the C compiler.
        let dave = try runLessons(["grade", "--lessons", GradedFixture.lessons, GradedFixture.students + "/dave", "--single", "dave",
                                   "--no-cache", "--format", "json"], environment: ["CC": "/nonexistent/cc", "LESSONS_CACHE": work + "/toolchain-cache"])
        #expect(dave.status == 0, "\(dave.stderr)")
        // Nor does Swift's absence stop a C-only class (PATH without swiftc, with cc).
        let cOnly = try runLessons(["grade", "--lessons", GradedFixture.lessons, GradedFixture.students + "/alice", "--single", "alice",
                                    "--no-cache", "--format", "json"], environment: ["PATH": "/usr/bin:/bin", "LESSONS_CACHE": work + "/toolchain-cache"])
        #expect(cOnly.status == 0 || !cOnly.stderr.contains("swiftc"), "\(cOnly.stderr)")
    }

    @Test func internalErrorsAreRetriedReportedApartAndNotScored() throws {
        // A real fault of the tool, not of any student: the C compiler answers --version but
        // writes no binary.
        let work = try temporaryDirectory("internal")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let fake = work + "/fake-cc"
        try "#!/bin/sh\nif [ \"$1\" = --version ]; then exec cc --version; fi\nexit 0\n".write(toFile: fake, atomically: true, encoding: .utf8)
        chmod(fake, 0o755)
        let broken = ["CC": fake, "LESSONS_CACHE": work + "/toolchain-cache"]
        let graded = try runLessons(["grade", "--lessons", GradedFixture.lessons, GradedFixture.students, "--cache-dir", work + "/results",
                                     "--format", "json", "--output", work + "/report.json"], environment: broken)
        #expect(graded.status == 3, "internal errors make the run fail, report written: \(graded.stderr)")
        #expect(graded.stderr.contains("could not be checked (internal error, not scored)"))
        let report = try ReportRenderer.decode(try Data(contentsOf: URL(fileURLWithPath: work + "/report.json")))
        let alice = try #require(report.students.first { $0.id == "alice" })
        #expect(alice.exercises.allSatisfy { $0.status == .internalError })
        #expect(alice.maxScore == 0, "internal errors are left out of the maximum")
        #expect(alice.exercises[0].notes.contains { $0.contains("retried once") })
        #expect(report.internalErrors.count == report.totals.statuses["internal-error"])
        #expect(graded.stderr.contains("\(report.internalErrors.count) results could not be checked"))
        #expect(report.internalErrors.contains { $0.student == "alice" && $0.exercise == "fixture-memory/echo" })
        // Dave's Swift file does not need the C compiler.
        #expect(report.students.first { $0.id == "dave" }?.exercises[0].status == .passed)
        // Never cached: with the compiler back, the next run grades them for real.
        let fixed = try runLessons(["grade", "--lessons", GradedFixture.lessons, GradedFixture.students, "--cache-dir", work + "/results",
                                    "--format", "json", "--output", work + "/report.json"])
        #expect(fixed.status == 0)
        let regraded = try ReportRenderer.decode(try Data(contentsOf: URL(fileURLWithPath: work + "/report.json")))
        #expect(GradedFixture.statuses(regraded) == GradedFixture.expected)
        // `check` says 3 for the tool's own failure.
        let checked = try runLessons(["check", "--lessons", GradedFixture.lessons, "\(GradedFixture.students)/alice/fixture-memory/echo.c"],
                                     environment: broken)
        #expect(checked.status == 3)
        #expect(checked.stdout.contains("internal error"))
    }

    @Test func lintPassesTheFixturePack() throws {
        let summary = LessonLinter.lint(directory: GradedFixture.lessons)
        #expect(summary.problems.map(\.description) == [])
        #expect(summary.startersChecked == 5)
        #expect(summary.solutionsChecked == 5)
        #expect(try runLessons(["lint", GradedFixture.lessons]).status == 0)
    }
}
