// The report features an instructor of a real course relies on: formulas neutralised in CSV,
// Excel's byte order mark, Canvas's import file and roster, late work (file times and a
// student's Git repository), notes that tell a student what to rename, warnings about the
// class folder, a student table within its width, `merge --lang ko`, and `merge` refusing
// shards graded from other inputs.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading

@Suite struct CSVAndCanvasTests {
    static func report(_ ids: [String]) -> GradeReport {
        let exercises = [GradeReport.ExerciseInfo(id: "l/a", maxScore: 10), GradeReport.ExerciseInfo(id: "l/b", maxScore: 5)]
        return GradeReport(tool: "t", exercises: exercises, students: ids.map { id in
            GradeReport.Student(id: id, score: 0, maxScore: 0, exercises: [
                ExerciseResult(exercise: "l/a", status: .failed, score: 4, maxScore: 10,
                               cases: [CaseResult(name: "x", status: .passed, maxScore: 4), CaseResult(name: "y", status: .failed, maxScore: 6)]),
                ExerciseResult(exercise: "l/b", status: .passed, score: 5, maxScore: 5),
            ], notes: [])
        })
    }

    @Test func formulasAreNeutralisedAsOWASPSays() {
        for dangerous in ["=2+3", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\",\"y\")"] {
            let field = ReportRenderer.csvField(dangerous)
            #expect(field.hasPrefix("\"'"), "\(dangerous) → \(field)")
        }
        #expect(ReportRenderer.csvField("-1") == "\"'-1\"", "an id that looks like a negative number is text too")
        #expect(ReportRenderer.csvField("kim") == "kim")
        let csv = ReportRenderer.csv(CSVAndCanvasTests.report(["=2+3", "민수"]))
        #expect(csv.contains("\r\n\"'=2+3\",l/a,failed,4,10,1,2,,\r\n"), "\(csv)")
        #expect(!csv.hasPrefix(ReportRenderer.byteOrderMark))
        #expect(ReportRenderer.csv(CSVAndCanvasTests.report(["민수"]), byteOrderMark: true).hasPrefix("\u{FEFF}student,"))
    }

    @Test func canvasHasOneRowPerRosterStudentAndPointsPossible() throws {
        let roster = try Roster(csv: "folder,Student,ID,SIS User ID,SIS Login ID,Section\r\nkim,\"Kim, Minsu\",101,S1,kim1,A\n=evil,Eve,102,S2,eve,A\n",
                                file: "roster.csv")
        let (text, unplaced) = ReportRenderer.canvas(CSVAndCanvasTests.report(["=evil", "kim", "nobody"]), roster: roster)
        let rows = CSVReader.rows(text)
        #expect(rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "l/a", "l/b"])
        #expect(rows[1] == ["Points Possible", "", "", "", "", "10", "5"])
        #expect(rows[2] == ["Eve", "102", "S2", "eve", "A", "4", "5"])
        #expect(rows[3] == ["Kim, Minsu", "101", "S1", "kim1", "A", "4", "5"])
        #expect(rows.count == 4 && unplaced == ["nobody"])
        let total = ReportRenderer.canvas(CSVAndCanvasTests.report(["kim"]), roster: roster, assignment: "Homework 3 (4711)").text
        #expect(CSVReader.rows(total)[0].last == "Homework 3 (4711)")
        #expect(CSVReader.rows(total)[2].last == "9")
        #expect(throws: Roster.ReadError.self) { try Roster(csv: "name,ID\nkim,1\n", file: "r.csv") }
        #expect(throws: Roster.ReadError.self) { try Roster(csv: "folder,Student\nkim,Kim\n", file: "r.csv") }
    }
}

@Suite struct LatePolicyTests {
    @Test func parsesDeadlinesAndPenalties() throws {
        let deadline = try #require(LatePolicy.parseDeadline("2026-03-01T23:59:00+09:00"))
        #expect(LatePolicy.iso(deadline) == "2026-03-01T14:59:00Z")
        #expect(LatePolicy.parseDeadline("2026-03-01T14:59Z") != nil)
        #expect(LatePolicy.parseDeadline("2026-03-01 23:59") != nil)
        #expect(LatePolicy.parseDeadline("next friday") == nil)
        #expect(LatePolicy.parsePenalty("10%/day")! == (10, 86_400))
        #expect(LatePolicy.parsePenalty("2%/hour")! == (2, 3_600))
        #expect(LatePolicy.parsePenalty("10/day") == nil && LatePolicy.parsePenalty("150%/day") == nil)
        #expect(LatePolicy.parseCap("50%") == 50 && LatePolicy.parseCap("x") == nil)
    }

    @Test func eachStartedDayCostsItsPercentUpToTheCap() throws {
        let deadline = try #require(LatePolicy.parseDeadline("2026-03-01T00:00:00Z"))
        let policy = LatePolicy(deadline: deadline, percentPerPeriod: 10, capPercent: 25)
        #expect(policy.lateness(submitted: deadline.addingTimeInterval(-5), source: "mtime", score: 10).deducted == 0)
        let oneSecond = policy.lateness(submitted: deadline.addingTimeInterval(1), source: "mtime", score: 10)
        #expect(oneSecond.days == 1 && oneSecond.percent == 10 && oneSecond.deducted == 1)
        let week = policy.lateness(submitted: deadline.addingTimeInterval(7 * 86_400), source: "git", score: 10)
        #expect(week.days == 7 && week.percent == 25 && week.deducted == 3, "25 % of 10 is 2.5, rounded half up")
    }

    @Test func aStudentRepositoryIsTimedByItsLastCommitReadSafely() throws {
        let work = try temporaryDirectory("git")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let repo = work + "/kim"
        try FileManager.default.createDirectory(atPath: repo + "/l", withIntermediateDirectories: true)
        try "int main(void) { return 0; }\n".write(toFile: repo + "/l/a.c", atomically: true, encoding: .utf8)
        let git = { (arguments: [String], date: String) -> Int32 in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
            process.arguments = ["-C", repo, "-c", "user.name=k", "-c", "user.email=k@example.org"] + arguments
            process.environment = ["GIT_COMMITTER_DATE": date, "GIT_AUTHOR_DATE": date, "HOME": work, "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try? process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        try #require(git(["init", "-q"], "") == 0)
        #expect(git(["add", "."], "") == 0)
        #expect(git(["commit", "-q", "-m", "first"], "2026-03-02T10:00:00+00:00") == 0)
        // The repository is hostile: a hook and a config that would run a command if git used them.
        let marker = work + "/pwned"
        try "#!/bin/sh\ntouch \(marker)\n".write(toFile: repo + "/.git/hooks/post-checkout", atomically: true, encoding: .utf8)
        chmod(repo + "/.git/hooks/post-checkout", 0o755)
        let config = try String(contentsOfFile: repo + "/.git/config", encoding: .utf8)
        try (config + "[core]\n\tfsmonitor = touch \(marker)\n\tpager = touch \(marker)\n[alias]\n\tcat-file = !touch \(marker)\n")
            .write(toFile: repo + "/.git/config", atomically: true, encoding: .utf8)
        let time = try #require(GitCommitTime.lastCommit(in: repo))
        #expect(LatePolicy.iso(time) == "2026-03-02T10:00:00Z")
        #expect(!FileManager.default.fileExists(atPath: marker), "nothing of the student's repository ran")
        // A HEAD that points outside the repository is not followed.
        try "ref: refs/../../../etc/passwd\n".write(toFile: repo + "/.git/HEAD", atomically: true, encoding: .utf8)
        #expect(GitCommitTime.lastCommit(in: repo) == nil)

        // Graded with a deadline: a day and a bit late, 10 % a day.
        try "ref: refs/heads/master\n".write(toFile: repo + "/.git/HEAD", atomically: true, encoding: .utf8)
        if GitCommitTime.headCommit(repo + "/.git") == nil {
            try "ref: refs/heads/main\n".write(toFile: repo + "/.git/HEAD", atomically: true, encoding: .utf8)
        }
        var results = [GradeReport.Student(id: "kim", score: 10, maxScore: 10,
                                           exercises: [ExerciseResult(exercise: "l/a", status: .passed, score: 10, maxScore: 10)], notes: [])]
        let folder = StudentFolder(id: "kim", root: repo, submissions: ["l/a": "l/a.c"])
        let policy = LatePolicy(deadline: try #require(LatePolicy.parseDeadline("2026-03-01T00:00:00Z")), percentPerPeriod: 10)
        policy.apply(to: &results, folders: [folder], roots: [repo])
        let late = try #require(results[0].exercises[0].late)
        #expect(late.source == "git" && late.days == 2 && late.deducted == 2)
        #expect(results[0].exercises[0].score == 8)
    }
}

@Suite struct ClassFolderNotesTests {
    @Test func misplacedFilesSayWhatToRenameAndTheClassFolderIsChecked() throws {
        let root = try temporaryDirectory("odd-class")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let exercises = [Fixture.exercise("echo", lesson: "fixture-memory"), Fixture.exercise("grow", lesson: "fixture-break")]
        // A flat Gradescope upload, and a folder one level too deep.
        try FileManager.default.createDirectory(atPath: root + "/kim/hw1/fixture-break", withIntermediateDirectories: true)
        try "int main(void){}".write(toFile: root + "/kim/echo.c", atomically: true, encoding: .utf8)
        try "int main(void){}".write(toFile: root + "/kim/hw1/fixture-break/grow.c", atomically: true, encoding: .utf8)
        let kim = ClassFolder.read(student: "kim", root: root + "/kim", exercises: exercises)
        #expect(kim.files.isEmpty)
        #expect(kim.notes.contains("echo.c ignored: it is not where this exercise's file goes; rename it to fixture-memory/echo.c"))
        #expect(kim.missingNotes["fixture-break/grow"]?.other == "fixture-break/grow.c")
        let student = GradeReport.Student(id: "kim", score: 0, maxScore: 0,
                                          exercises: [ExerciseResult(exercise: "fixture-memory/echo", status: .missing, score: 0, maxScore: 10)],
                                          notes: kim.notes, files: kim.ignored)
        let feedback = ReportRenderer.feedback(student)
        #expect(feedback.contains("rename it to fixture-memory/echo.c"), "\(feedback)")
        #expect(ReportRenderer.gradescope(student).contains("rename it to fixture-break/grow.c"))
        #expect(ReportRenderer.feedback(student, language: "ko").contains("fixture-memory/echo.c(으)로 이름을 바꾸세요"))

        // A stray file at the top; then the class folder that is one student's homework.
        try "x".write(toFile: root + "/grades.xlsx", atomically: true, encoding: .utf8)
        let warnings = ClassWarnings.check(directory: root, exercises: exercises)
        #expect(warnings.count == 1 && warnings[0].contains("grades.xlsx"), "\(warnings)")
        #expect(ClassWarnings.check(directory: root + "/kim/hw1", exercises: exercises).contains { $0.contains("looks like one student's homework") })
        // And the other way: a class passed to --single, one student's homework to it.
        #expect(ClassWarnings.checkSingle(directory: root + "/kim", exercises: exercises)
                == ["\(root)/kim: looks like a class, not one student's homework: its folders hw1 hold lessons; grade it without --single, or pass one of them"])
        #expect(ClassWarnings.checkSingle(directory: root + "/kim/hw1", exercises: exercises).isEmpty)
        let empty = try temporaryDirectory("empty-class")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(ClassWarnings.check(directory: empty, exercises: exercises).first?.contains("no student folders") == true)
    }

    @Test func theStudentTableStaysWithinItsWidth() {
        let ids = (1...24).map { "lesson-\($0 / 4)/a-rather-long-exercise-name-\($0)" }
        let exercises = ids.map { GradeReport.ExerciseInfo(id: $0, maxScore: 10) }
        let students = ["a-student-whose-folder-name-is-far-longer-than-any-table-column-should-be-😀", "bo"].map { id in
            GradeReport.Student(id: id, score: 0, maxScore: 0,
                                exercises: ids.map { ExerciseResult(exercise: $0, status: .failed, score: 0, maxScore: 10) }, notes: [])
        }
        let text = ReportRenderer.text(GradeReport(tool: "t", exercises: exercises, students: students))
        let tables = text.components(separatedBy: "\n\n").prefix(2)
        for line in tables.joined(separator: "\n").split(separator: "\n") {
            #expect(ReportRenderer.cellWidth(String(line)) <= ReportRenderer.textTableWidth, "\(line)")
        }
        #expect(text.contains("a-rather-long-exercise-name-24 failed"), "nothing is lost, only wrapped")
    }
}

@Suite struct MergeLanguageAndInputsTests {
    @Test func mergeRefusesOtherInputsAndSpeaksKorean() throws {
        var one = MergeTests.report(["a"], shard: GradeReport.ShardInfo(index: 1, count: 2))
        var two = MergeTests.report(["b"], shard: GradeReport.ShardInfo(index: 2, count: 2))
        one.inputs = "aaaa"
        two.inputs = "bbbb"
        #expect(throws: GradeReport.MergeError.self) { try GradeReport.merge([("one", one), ("two", two)]) }
        do {
            _ = try GradeReport.merge([("one.json", one), ("two.json", two)], language: "ko")
            Issue.record("merged shards of other inputs")
        } catch let error as GradeReport.MergeError {
            #expect(error.description.hasPrefix("two.json: 다음과 다른 입력으로 채점했습니다: one.json"), "\(error.description)")
        }
        two.inputs = "aaaa"
        #expect((try? GradeReport.merge([("one", one), ("two", two)]))?.inputs == "aaaa")
        let korean = ReportRenderer.text(try GradeReport.merge([("one", one), ("two", two)]), language: "ko")
        #expect(korean.hasPrefix("학생"), "\(korean)")
        #expect(korean.contains("학생 2명, 문제 2개"))
        #expect(!korean.contains("students") && !korean.contains("details:"))
    }
}

// A student folder named with a newline or an escape sequence keeps the text report's rows
// whole and prints as what it is; CSV and JSON keep the name exact.
@Test func aStudentIdWithControlCharactersStaysOnItsRow() {
    let result = ExerciseResult(exercise: "l/e", status: .passed, score: 5, maxScore: 5)
    let report = GradeReport(tool: "lessons-test", exercises: [GradeReport.ExerciseInfo(id: "l/e", maxScore: 5)],
                             students: [GradeReport.Student(id: "a\nb\u{1b}[2J", score: 5, maxScore: 5, exercises: [result], notes: ["a note"])],
                             shard: nil)
    let text = ReportRenderer.text(report)
    #expect(text.contains("a\\nb\\u{1b}[2J  ✓ 5/5"), "\(text)")
    #expect(text.contains("a\\nb\\u{1b}[2J: a note"), "\(text)")
    #expect(!text.contains("\u{1b}"))
    #expect(ReportRenderer.csv(report).contains("\"a\nb\u{1b}[2J\",l/e,passed"))
}
