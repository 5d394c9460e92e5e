// Similar submissions: a renamed copy and a reordered copy are found, with their line ranges;
// two honest solutions of the same exercise are not; byte-identical files always are; and
// nothing of it reaches a student.

import Foundation
import Notebook
import Testing
import Toolchain
@testable import Grading

@Suite struct SimilarityTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/similar").path
    static let exercise: Exercise = {
        let pack = LoadedPack.load(directory: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons").path)
        return pack.exercise("malloc-basics/echo-numbers")!
    }()

    func student(_ id: String, file: String? = nil) throws -> GradeReport.Student {
        let path = file ?? "\(SimilarityTests.folder)/\(id)/malloc-basics/echo-numbers.c"
        let bytes = try #require(FileManager.default.contents(atPath: path))
        var result = ExerciseResult(exercise: "malloc-basics/echo-numbers", status: .passed, score: 10, maxScore: 10)
        result.fingerprint = Similarity.fingerprint(source: Array(bytes), language: .c, starter: SimilarityTests.exercise.starters[.c])
        return GradeReport.Student(id: id, score: 10, maxScore: 10, exercises: [result], notes: [])
    }

    @Test func copiesAreFoundAndHonestSolutionsAreNot() throws {
        let students = try ["original", "renamed", "reordered", "honest-a", "honest-b"].map { try student($0) }
        let pairs = Similarity.pairs(students, exercises: ["malloc-basics/echo-numbers"])
        let found = Set(pairs.map { "\($0.a)+\($0.b)" })
        #expect(found.contains("original+renamed"), "\(pairs.map { ($0.a, $0.b, $0.score) })")
        #expect(found.contains("original+reordered"))
        #expect(found.contains("renamed+reordered"))
        for pair in pairs {
            #expect(!pair.a.hasPrefix("honest") && !pair.b.hasPrefix("honest"), "flagged \(pair.a) and \(pair.b) (\(pair.score))")
        }
        // The renamed copy matches almost everything, line for line.
        let renamed = try #require(pairs.first { $0.b == "renamed" })
        #expect(renamed.score >= 0.8 && !renamed.identical)
        #expect(renamed.matches.contains { $0.a[0] <= 6 && $0.a[1] >= 10 && $0.b[0] <= 7 && $0.b[1] >= 10 }, "\(renamed.matches)")
        // The reordered copy: read_all moved from lines 4-12 to the end (30-38).
        let reordered = try #require(pairs.first { $0.a == "original" && $0.b == "reordered" })
        #expect(reordered.matches.contains { $0.a[0] <= 6 && $0.a[1] >= 8 && $0.b[0] >= 30 }, "\(reordered.matches)")
    }

    @Test func identicalFilesAreAlwaysReportedAndTheStarterIsNotACopy() throws {
        let work = try temporaryDirectory("similar")
        defer { try? FileManager.default.removeItem(atPath: work) }
        let starter = try #require(SimilarityTests.exercise.starters[.c])
        try starter.write(toFile: work + "/starter.c", atomically: true, encoding: .utf8)
        try (starter + "\n").write(toFile: work + "/starter-plus.c", atomically: true, encoding: .utf8)
        // Two students who both handed in the untouched starter: identical, so reported;
        // the starter with a blank line more shares nothing once the starter is left out.
        let students = try [student("s1", file: work + "/starter.c"), student("s2", file: work + "/starter.c"),
                            student("s3", file: work + "/starter-plus.c")]
        let pairs = Similarity.pairs(students, exercises: ["malloc-basics/echo-numbers"])
        #expect(pairs.map { "\($0.a)+\($0.b)" } == ["s1+s2"])
        #expect(pairs.first?.identical == true && pairs.first?.score == 1)
        #expect(students[2].exercises[0].fingerprint?.marks.isEmpty == true, "starter windows are left out")
    }

    /// In the JSON report (and so for `grade merge`) each mark is `[hash, first line, last
    /// line]`; a report whose marks have another shape is refused as it is read, not compared.
    @Test func fingerprintsReadBackAsWritten() throws {
        let print = try #require(try student("original").exercises[0].fingerprint)
        #expect(!print.marks.isEmpty && print.marks.allSatisfy { $0.count == 3 })
        #expect(print.hashes == print.marks.map { $0[0] })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(print)
        #expect(try JSONDecoder().decode(SubmissionFingerprint.self, from: data) == print)
        let marks = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])["marks"] as? [[Int]]
        #expect(marks == print.marks)
        let misshapen = Data(#"{"marks":[[1,2]],"sha256":"00"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(SubmissionFingerprint.self, from: misshapen) }
    }

    @Test func pairsAreForInstructorsOnly() throws {
        let students = try ["original", "renamed"].map { try student($0) }
        let report = GradeReport(tool: "t", exercises: [GradeReport.ExerciseInfo(id: "malloc-basics/echo-numbers", maxScore: 10)],
                                 students: students)
        #expect(report.similar.count == 1)
        #expect(ReportRenderer.json(report).contains("\"similar\""))
        let junit = ReportRenderer.junit(report)
        #expect(!junit.contains("fingerprint") && !junit.contains("similar"))
        for text in [ReportRenderer.gradescope(report.students[1]), ReportRenderer.feedback(report.students[1]),
                     String(decoding: try JSONEncoder().encode(report.students[1].exercises[0].learnerView), as: UTF8.self)] {
            #expect(!text.contains("original") && !text.contains("fingerprint") && !text.contains("similar"), "\(text)")
        }
        // Merged shards compare across shards: the pairs come from the fingerprints.
        let decoded = try ReportRenderer.decode(Data(ReportRenderer.json(report).utf8))
        #expect(decoded.similar == report.similar)
    }
}

