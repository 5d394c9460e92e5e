// Reports without running anything: hashing, shards, merge, and the escaping of each format.

import Foundation
import Notebook
import Sandbox
import Testing
import Toolchain
@testable import Grading
import Vocabulary

@Suite struct HashingTests {
    // SHA-256 itself is tested with the standard vectors in ToolchainTests (one implementation).

    @Test func cacheKeysChangeWithEveryInput() {
        let cache = ResultCache(directory: "/nonexistent", toolVersion: "v1")
        let base = cache.key(submission: Array("int main(){}".utf8), fileName: "a.c", definitionHash: "d")
        #expect(base == cache.key(submission: Array("int main(){}".utf8), fileName: "a.c", definitionHash: "d"))
        #expect(base != cache.key(submission: Array("int main(){ }".utf8), fileName: "a.c", definitionHash: "d"))
        #expect(base != cache.key(submission: Array("int main(){}".utf8), fileName: "a.swift", definitionHash: "d"))
        #expect(base != cache.key(submission: Array("int main(){}".utf8), fileName: "a.c", definitionHash: "e"))
        #expect(base != ResultCache(directory: "/nonexistent", toolVersion: "v2")
            .key(submission: Array("int main(){}".utf8), fileName: "a.c", definitionHash: "d"))
    }

    @Test func definitionHashIsStableAndIgnoresProse() {
        var exercise = Fixture.exercise("grow", lesson: "brk", points: 5)
        exercise.starters = [.c: "int main(void){}", .swift: "print(1)"]
        let first = ResultCache.definitionHash(exercise)
        for _ in 0..<5 { #expect(ResultCache.definitionHash(exercise) == first) }
        exercise.statement = LocalizedText("Reworded statement")
        #expect(ResultCache.definitionHash(exercise) == first)
        exercise.points = 6
        #expect(ResultCache.definitionHash(exercise) != first)
    }
}

@Suite struct ShardTests {
    @Test func parsesOnlyValidShards() {
        #expect(Shard("1/1") == Shard(index: 1, count: 1))
        #expect(Shard("3/4") == Shard(index: 3, count: 4))
        for bad in ["0/4", "5/4", "1/0", "a/b", "1", "1/2/3", "", "-1/2"] { #expect(Shard(bad) == nil, "\(bad)") }
    }

    @Test func shardsPartitionTheClass() {
        let ids = (0..<23).map { String(format: "s%02d", $0) }
        for count in 1...6 {
            let parts = (1...count).map { Shard(index: $0, count: count).select(ids) }
            #expect(parts.flatMap { $0 }.sorted() == ids)
            #expect(Set(parts.flatMap { $0 }).count == ids.count)
            let sizes = parts.map(\.count)
            #expect(sizes.max()! - sizes.min()! <= 1)
        }
    }
}

@Suite struct MergeTests {
    static func report(_ students: [String], shard: GradeReport.ShardInfo? = nil) -> GradeReport {
        let exercises = [GradeReport.ExerciseInfo(id: "l/a", maxScore: 10), GradeReport.ExerciseInfo(id: "l/b", maxScore: 5)]
        let rows = students.map { id in
            GradeReport.Student(id: id, score: 0, maxScore: 0, exercises: [
                ExerciseResult(exercise: "l/a", status: id.hasPrefix("a") ? .passed : .failed, score: id.hasPrefix("a") ? 10 : 0, maxScore: 10),
                ExerciseResult(exercise: "l/b", status: id.hasPrefix("c") ? .internalError : .missing, score: 0, maxScore: 5),
            ], notes: [])
        }
        return GradeReport(tool: "t", exercises: exercises, students: rows, shard: shard)
    }

    @Test func mergedShardsEqualTheWholeReport() throws {
        let ids = ["amy", "bo", "cy", "al", "ben", "cat", "dee"]
        let whole = MergeTests.report(ids)
        let sorted = ids.sorted()
        let shards = (1...3).map { k in
            MergeTests.report(Shard(index: k, count: 3).select(sorted), shard: GradeReport.ShardInfo(index: k, count: 3))
        }
        let merged = try GradeReport.merge(shards.reversed().enumerated().map { ("shard\($0.offset)", $0.element) })
        #expect(merged == whole)
        #expect(ReportRenderer.json(merged) == ReportRenderer.json(whole))
        // Internal errors are reported apart and not scored.
        #expect(whole.internalErrors.map(\.student) == ["cat", "cy"])
        #expect(whole.students.first { $0.id == "cy" }?.maxScore == 10)
        #expect(whole.totals.statuses["internal-error"] == 2)
    }

    @Test func mergeRefusesIncompleteOrMixedShards() {
        let one = MergeTests.report(["a"], shard: GradeReport.ShardInfo(index: 1, count: 2))
        let two = MergeTests.report(["b"], shard: GradeReport.ShardInfo(index: 2, count: 2))
        let three = MergeTests.report(["c"], shard: GradeReport.ShardInfo(index: 1, count: 3))
        #expect(throws: GradeReport.MergeError.self) { try GradeReport.merge([("one", one)]) }
        #expect(throws: GradeReport.MergeError.self) { try GradeReport.merge([("one", one), ("again", one), ("two", two)]) }
        #expect(throws: GradeReport.MergeError.self) { try GradeReport.merge([("one", one), ("three", three)]) }
        var other = two
        other.tool = "another tool"
        #expect(throws: GradeReport.MergeError.self) { try GradeReport.merge([("one", one), ("other", other)]) }
        #expect((try? GradeReport.merge([("one", one), ("two", two)]))?.students.map(\.id) == ["a", "b"])
    }

    @Test func jsonRoundTrips() throws {
        let report = MergeTests.report(["x", "y"])
        let decoded = try ReportRenderer.decode(Data(ReportRenderer.json(report).utf8))
        #expect(decoded == report)
        #expect(ReportRenderer.json(report).contains("\"schema\" : 1"))
    }
}

@Suite struct FormatEscapingTests {
    @Test func csvQuotesOnlyWhatNeedsIt() {
        #expect(ReportRenderer.csvField("plain") == "plain")
        #expect(ReportRenderer.csvField("a,b") == "\"a,b\"")
        #expect(ReportRenderer.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(ReportRenderer.csvField("two\nlines") == "\"two\nlines\"")
    }

    @Test func xmlEscapesAndDropsControlCharacters() {
        #expect(ReportRenderer.xml("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        #expect(ReportRenderer.xml("bell\u{07}nul\u{00}esc\u{1B}[0m tab\tnl\n") == "bellnulesc[0m tab\tnl\n")
        #expect(ReportRenderer.xml("한국어 ✓") == "한국어 ✓")
    }

    @Test func hiddenFailuresNeverReachStudentFormats() throws {
        let secret = "never mmap(_, 4096, …)"
        let failure = CaseFailure(expectation: secret, line: 42, explanation: "your program mapped 4096 bytes: \(secret)",
                                  nearest: "mmap(NULL, 4096, PROT_READ) = 0x7000", hidden: true)
        let item = CaseResult(name: "default", status: .failed, explanation: failure.explanation,
                              feedback: CaseFailure.hiddenMessage, failures: [failure])
        let result = ExerciseResult(exercise: "l/a", status: .failed, score: 0, maxScore: 10, cases: [item],
                                    feedback: "case default: failed\n  a hidden check failed")
        let report = GradeReport(tool: "t", exercises: [GradeReport.ExerciseInfo(id: "l/a", maxScore: 10)],
                                 students: [GradeReport.Student(id: "s", score: 0, maxScore: 0, exercises: [result], notes: [])])
        for student in [ReportRenderer.junit(report), ReportRenderer.gradescope(report.students[0]),
                        ReportRenderer.feedback(report.students[0]), CheckText.render(result, file: "l/a.c")] {
            #expect(!student.contains("4096"), "\(student)")
            #expect(student.contains("a hidden check failed"))
        }
        // Instructor formats show everything.
        #expect(ReportRenderer.json(report).contains("4096"))
        #expect(ReportRenderer.text(report).contains("4096"))
    }
}

@Suite struct ClassFolderTests {
    @Test func readsTheFixtureClass() throws {
        let root = Fixture.classDirectory + "/students"
        #expect(try ClassFolder.studentIDs(in: root) == ["alice", "bob", "carol", "dave", "eve", "fay"])
        let exercises = [Fixture.exercise("echo", lesson: "fixture-memory", languages: [.c, .swift]),
                         Fixture.exercise("two-pages", lesson: "fixture-memory"),
                         Fixture.exercise("grow", lesson: "fixture-break")]
        let carol = ClassFolder.read(student: "carol", root: root + "/carol", exercises: exercises)
        #expect(carol.files.keys.sorted() == ["fixture-memory/echo", "fixture-memory/two-pages"])
        #expect(carol.notes.contains("fixture-break/notes.txt ignored: not an exercise of this pack"))
        #expect(carol.notes.contains("fixture-memory/big-chunk.c ignored: not an exercise of this pack"))
        let dave = ClassFolder.read(student: "dave", root: root + "/dave", exercises: exercises)
        #expect(dave.files == ["fixture-memory/echo": root + "/dave/fixture-memory/echo.swift"])
        let eve = ClassFolder.read(student: "eve", root: root + "/eve", exercises: exercises)
        #expect(eve.files["fixture-memory/two-pages"] == nil)
        #expect(eve.missingNotes["fixture-memory/two-pages"]?.english == "fixture-memory/two-pages.swift ignored: this exercise takes c only")
    }

    @Test func symbolicLinksAreNeverGraded() throws {
        let root = NSTemporaryDirectory() + "lessons-symlink-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/mallory/l", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/mallory/l/a.c", withDestinationPath: "/etc/passwd")
        let folder = ClassFolder.read(student: "mallory", root: root + "/mallory", exercises: [Fixture.exercise("a", lesson: "l")])
        #expect(folder.files.isEmpty)
        #expect(folder.notes == [])
        #expect(folder.missingNotes["l/a"]?.english == "l/a.c ignored: a symbolic link (links are never followed)")
    }

    /// A class folder with a real submission (alice) and links to it at every level.
    func linkedClass(_ name: String) throws -> (root: String, exercises: [Exercise]) {
        let root = NSTemporaryDirectory() + "lessons-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root + "/alice/l", withIntermediateDirectories: true)
        try "int main(void) { return 0; }\n".write(toFile: root + "/alice/l/a.c", atomically: true, encoding: .utf8)
        return (root, [Fixture.exercise("a", lesson: "l")])
    }

    @Test func aLinkedLessonFolderIsNotGradedAndTheNoteSaysSo() throws {
        let (root, exercises) = try linkedClass("linked-lesson")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/mallory", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/mallory/l", withDestinationPath: root + "/alice/l")
        let folder = ClassFolder.read(student: "mallory", root: root + "/mallory", exercises: exercises)
        #expect(folder.files.isEmpty)
        #expect(folder.missingNotes["l/a"]?.english == "l/a.c not graded: l is a symbolic link (links are never followed)")
        #expect(folder.notes == ["l ignored: a symbolic link (links are never followed)"])
    }

    @Test func aLinkedStudentFolderIsListedAndNothingInItGraded() throws {
        let (root, exercises) = try linkedClass("linked-student")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createSymbolicLink(atPath: root + "/mallory", withDestinationPath: "alice")
        try FileManager.default.createSymbolicLink(atPath: root + "/readme", withDestinationPath: "alice/l/a.c")
        #expect(try ClassFolder.studentIDs(in: root) == ["alice", "mallory"])  // a link to a file is no student
        let folder = ClassFolder.read(student: "mallory", root: root + "/mallory", exercises: exercises)
        #expect(folder.files.isEmpty)
        #expect(folder.notes == ["mallory is a symbolic link (links are never followed): nothing in it was graded"])
        #expect(folder.missingNotes["l/a"]?.english == folder.notes[0])
        // The folder the instructor names is followed, links and all (--single).
        let single = ClassFolder.read(student: "s", root: root + "/mallory", exercises: exercises, followRoot: true)
        #expect(single.files == ["l/a": root + "/mallory/l/a.c"])
    }

    @Test func fifosDevicesAndHugeFilesAreNeverReadWhole() throws {
        let (root, exercises) = try linkedClass("special-files")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/fifo/l", withIntermediateDirectories: true)
        #expect(mkfifo(root + "/fifo/l/a.c", 0o644) == 0)
        let fifo = ClassFolder.read(student: "fifo", root: root + "/fifo", exercises: exercises)
        #expect(fifo.files.isEmpty)
        #expect(fifo.missingNotes["l/a"]?.english == "l/a.c ignored: a FIFO, not a regular file")

        try FileManager.default.createDirectory(atPath: root + "/huge/l", withIntermediateDirectories: true)
        let huge = open(root + "/huge/l/a.c", O_WRONLY | O_CREAT, 0o644)
        #expect(ftruncate(huge, 1 << 30) == 0)  // 1 GiB, sparse: must not be read
        close(huge)
        let folder = ClassFolder.read(student: "huge", root: root + "/huge", exercises: exercises)
        #expect(ClassFolder.read(folder, exercise: "l/a", limit: 1024) == .tooLarge(1 << 30))
        let alice = ClassFolder.read(student: "alice", root: root + "/alice", exercises: exercises)
        #expect(ClassFolder.read(alice, exercise: "l/a", limit: 1024) == .bytes(Array("int main(void) { return 0; }\n".utf8)))
    }

    @Test func aFileChangedIntoALinkAfterTheCheckIsNotRead() throws {
        let (root, exercises) = try linkedClass("changed")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let folder = ClassFolder.read(student: "alice", root: root + "/alice", exercises: exercises)
        #expect(folder.files.keys.sorted() == ["l/a"])
        // Between the look and the read, the file becomes a link to someone else's file.
        try FileManager.default.removeItem(atPath: root + "/alice/l/a.c")
        try "secret\n".write(toFile: root + "/secret.c", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/alice/l/a.c", withDestinationPath: root + "/secret.c")
        guard case .refused(let note) = ClassFolder.read(folder, exercise: "l/a", limit: 1024) else {
            Issue.record("a link was read"); return
        }
        #expect(note.english == "l/a.c ignored: a symbolic link (links are never followed)")
        // The same with the lesson folder swapped for a link.
        try FileManager.default.removeItem(atPath: root + "/alice/l")
        try FileManager.default.createSymbolicLink(atPath: root + "/alice/l", withDestinationPath: root)
        guard case .refused = ClassFolder.read(folder, exercise: "l/a", limit: 1024) else { Issue.record("a link was read"); return }
    }

    @Test func hardLinksToFilesTheStudentMayNotReadAreRefused() throws {
        let (root, exercises) = try linkedClass("hard-links")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "int main(void) { return 1; }\n".write(toFile: root + "/solution.c", atomically: true, encoding: .utf8)
        chmod(root + "/solution.c", 0o600)
        try FileManager.default.createDirectory(atPath: root + "/mallory/l", withIntermediateDirectories: true)
        #expect(link(root + "/solution.c", root + "/mallory/l/a.c") == 0)
        // A folder of this process's own user (an instructor's copy): its hard links are what the
        // instructor put there.
        #expect(ClassFolder.read(student: "mallory", root: root + "/mallory", exercises: exercises).files.keys.sorted() == ["l/a"])
        guard geteuid() == 0 else { return }  // giving the folder to a student needs root
        #expect(chown(root + "/mallory", 4242, 4242) == 0)
        let foreign = ClassFolder.read(student: "mallory", root: root + "/mallory", exercises: exercises)
        #expect(foreign.files.isEmpty)
        #expect(foreign.missingNotes["l/a"]?.english == "l/a.c ignored: a hard link to a file of user 0 that not everyone may read; hand in a copy of your own")
        // Readable by anyone: the student could have copied it, so it is graded for what it holds.
        chmod(root + "/solution.c", 0o644)
        #expect(ClassFolder.read(student: "mallory", root: root + "/mallory", exercises: exercises).files.keys.sorted() == ["l/a"])
    }

    @Test func theLookForIgnoredFilesIsBounded() throws {
        let (root, exercises) = try linkedClass("many-files")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/alice/node_modules", withIntermediateDirectories: true)
        for index in 0..<(ClassFolder.walkEntryLimit + 50) {
            close(open(root + "/alice/node_modules/f\(index)", O_WRONLY | O_CREAT, 0o644))
        }
        let folder = ClassFolder.read(student: "alice", root: root + "/alice", exercises: exercises)
        #expect(folder.files.keys.sorted() == ["l/a"])
        #expect(folder.notes.count == ClassFolder.noteLimit + 2)
        #expect(folder.notes[ClassFolder.noteLimit].hasPrefix("… and "))
        #expect(folder.notes.last == "… stopped looking for other files after \(ClassFolder.walkEntryLimit) entries")
    }
}

enum Fixture {
    /// Tests/Fixtures/class, found from this file's path.
    static var classDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/class").path
    }

    static func exercise(_ id: String, lesson: String, languages: [Language] = [.c], points: Int = 10) -> Exercise {
        Exercise(id: id, lessonID: lesson, title: LocalizedText(id), statement: LocalizedText(""), languages: languages,
                 starters: [:], cases: [], expectations: [], hints: [], points: points,
                 location: SourceLocation(file: "\(lesson).md", line: 1))
    }
}

@Suite struct WideClassTextTests {
    @Test func aCourseOfTwentyExercisesGetsAStudentTableAndAnExerciseTable() {
        let ids = (1...20).map { "lesson-\($0 / 4)/exercise-number-\($0)" }
        let exercises = ids.map { GradeReport.ExerciseInfo(id: $0, maxScore: 10) }
        func student(_ id: String, failing: Set<Int>) -> GradeReport.Student {
            GradeReport.Student(id: id, score: 0, maxScore: 0, exercises: ids.enumerated().map { index, exercise in
                failing.contains(index)
                    ? ExerciseResult(exercise: exercise, status: index == 3 ? .timeout : .failed, score: 0, maxScore: 10)
                    : ExerciseResult(exercise: exercise, status: .passed, score: 10, maxScore: 10)
            }, notes: [])
        }
        let report = GradeReport(tool: "t", exercises: exercises, students: [student("bob", failing: [3, 7]), student("amy", failing: [])])
        let text = ReportRenderer.text(report)
        let tables = text.components(separatedBy: "\n\n")
        #expect(tables[0] == """
            student  score    passed  not passed
            -------  -------  ------  ---------------------------------------------------------------------
            amy      200/200  20/20   -
            bob      180/200  18/20   lesson-1/exercise-number-4 timeout, lesson-2/exercise-number-8 failed
            -------  -------  ------  ---------------------------------------------------------------------
            all      380/400
            """)
        #expect(tables[1].hasPrefix("exercise                     passed\n"), "\(tables[1])")
        #expect(tables[1].contains("lesson-1/exercise-number-4   1/2\n"))
        #expect(tables[1].hasSuffix("all                          38/40"))
        #expect(text.contains("2 students, 20 exercises: 38 passed, 1 failed, 1 timeout"))
        for line in tables[1].split(separator: "\n") { #expect(ReportRenderer.cellWidth(String(line)) <= ReportRenderer.textTableWidth) }
    }
}
