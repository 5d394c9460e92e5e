// What grading keeps in memory per submission is its result's summary: the bulky parts
// (traces, output, memory pictures, explanations, diagnostics) wait on disk until a report is
// rendered, and every format renders the same bytes from them as from the whole report.

import Foundation
import Testing
@testable import Grading
import TestSupport

@Suite(.serialized) struct SpooledReportTests {
    /// The fixture class graded as `lessons grade` grades it.
    static let spooled: Result<SpooledReport, any Error> = Result {
        try Grader.gradeSpooled(directory: GradedFixture.students, exercises: GradedFixture.pack.exercises, tool: "lessons-test",
                                options: GradeOptions(cache: nil))
    }

    @Test func gradingKeepsNoTraceOutputOrMemoryPictureOfAResult() throws {
        let spooled = try Self.spooled.get()
        let summaries = spooled.summary.students.flatMap(\.exercises)
        #expect(summaries.count == GradedFixture.expected.count * GradedFixture.pack.exercises.count)
        for result in summaries {
            #expect(result.splitDetails().details.isEmpty, "\(result.exercise) kept its bulky parts in memory")
            #expect(result.cases.allSatisfy { $0.trace.isEmpty && $0.memory.isEmpty && $0.stdout.isEmpty && $0.explanation.isEmpty })
        }
        // They are on disk, not lost: the whole students have them.
        let whole = spooled.whole
        #expect(whole.students.contains { $0.exercises.contains { $0.cases.contains { !$0.memory.isEmpty } } })
        #expect(whole.students.contains { $0.exercises.contains { !$0.diagnostics.isEmpty } })
        #expect(GradedFixture.statuses(whole) == GradedFixture.expected)
        // What scores and totals need stays: the summary's are the whole report's.
        #expect(spooled.summary.totals == whole.totals && spooled.summary.internalErrors == whole.internalErrors)
        #expect(spooled.summary.similar == whole.similar)
    }

    @Test func everyFormatRendersTheSameBytesFromTheSpool() throws {
        let spooled = try Self.spooled.get()
        let whole = spooled.whole
        var pieces: [String] = []
        ReportRenderer.json(spooled) { pieces.append($0) }
        #expect(pieces.count > whole.students.count, "the JSON report was not written a student at a time")
        #expect(pieces.joined() == ReportRenderer.json(whole))
        #expect(ReportRenderer.text(spooled) == ReportRenderer.text(whole))
        #expect(ReportRenderer.junit(spooled) == ReportRenderer.junit(whole))
        #expect(ReportRenderer.html(spooled) == ReportRenderer.html(whole))
        for (index, student) in whole.students.enumerated() {
            #expect(spooled.student(index) == student)
            #expect(ReportRenderer.gradescope(spooled.student(index)) == ReportRenderer.gradescope(student))
        }
    }

    /// The JSON report is the whole report encoded at once (schema 1, what `grade merge` reads):
    /// the report written in pieces must be those bytes.
    @Test func jsonInPiecesIsTheWholeReportEncodedAtOnce() throws {
        var reports = [try GradedFixture.report.get()]
        var empty = reports[0]
        empty.students = []
        empty.recompute()
        var partial = reports[0]
        partial.partial = GradeReport.Partial(studentsGraded: 3, students: 6)
        partial.shard = GradeReport.ShardInfo(index: 1, count: 2)
        partial.warnings = ["a stray file"]
        partial.students[0].id = "line\nbreak \"quoted\" / slash"
        reports += [empty, partial]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        for report in reports {
            let atOnce = String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
            let inPieces = ReportRenderer.json(report)
            #expect(inPieces == atOnce, "\(firstDifference(inPieces, atOnce))")
        }
    }

    /// The HTML page in pieces is the page made at once: every section inside its <main>.
    @Test func htmlInPiecesIsThePageMadeAtOnce() throws {
        let report = try GradedFixture.report.get()
        var page = HTMLPage()
        page.summary(report)
        page.grid(report)
        page.similar(report)
        for (index, student) in report.students.enumerated() { page.student(student, index: index, language: "ko") }
        let atOnce = page.document(title: "lessons grade — \(report.students.count) students, \(report.exercises.count) exercises", tool: report.tool)
        var pieces: [String] = []
        ReportRenderer.html(SpooledReport(report), language: "ko") { pieces.append($0) }
        #expect(pieces.count == report.students.count + 2)
        #expect(pieces.joined() == atOnce, "\(firstDifference(pieces.joined(), atOnce))")
    }

    @Test func aResultSplitAndJoinedIsTheSameResult() throws {
        for student in try GradedFixture.report.get().students {
            for result in student.exercises {
                let (summary, details) = result.splitDetails()
                #expect(summary.joined(details) == result)
                #expect(summary.status == result.status && summary.score == result.score && summary.cases.count == result.cases.count)
            }
        }
    }

    @Test func detailsThatCannotBeReadBackAreSaidNotDropped() throws {
        let spool = ResultSpool()
        let whole = try GradedFixture.report.get()
        let student = try #require(whole.students.first)
        let (summary, details) = try #require(student.exercises.first).splitDetails()
        let stored = spool.append(details)
        var bare = student
        bare.exercises = [summary]
        var shown = whole
        shown.students = [bare]
        // A slot past the end of the spool file: what a failed read gives back.
        let lost = ResultSpool.Slot(offset: stored.offset + Int64(stored.length) + 4096, length: stored.length)
        let report = SpooledReport(summary: shown, spool: spool, slots: [student.id: [lost]])
        let result = try #require(report.student(0).exercises.first)
        #expect(result.notes.last == SpooledReport.unreadableDetailsNote, "\(result.notes)")
        #expect(result.status == summary.status && result.score == summary.score)
    }

    @Test func theSpoolGivesBackWhatWasPutIn() throws {
        let spool = ResultSpool()
        #expect(spool.onDisk)
        let results = try GradedFixture.report.get().students.flatMap(\.exercises)
        let slots = results.map { spool.append($0.splitDetails().details) }
        for (result, slot) in zip(results, slots).reversed() {
            #expect(spool.details(slot) == result.splitDetails().details)
        }
    }
}
