// `lessons grade DIR` whatever the folder is called; its help shows its options.

import Foundation
import Notebook
import Sandbox
import Testing
@testable import Grading
import TestSupport

@Suite struct GradeCommandTests {
    // A class folder literally named `class` is graded, not taken for a subcommand.
    @Test func aClassFolderNamedClassIsGraded() {
        let folder = scratchFolder("class")
        QAFixture.copy(QAFixture.classSolutions + "/fixture-memory/two-pages.c", to: folder + "/class/kim/fixture-memory/two-pages.c")
        let result = LessonsBinary.run(["grade", "class", "--lessons", QAFixture.classLessons, "--exercises", "fixture-memory/two-pages",
                                        "--format", "csv", "--no-cache", "--quiet", "--jobs", "1"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("kim,fixture-memory/two-pages,passed,10,10"), "\(result.stdout)")
        // The old spelling `grade class DIR` still works.
        let old = LessonsBinary.run(["grade", "class", "class", "--lessons", QAFixture.classLessons, "--exercises", "fixture-memory/two-pages",
                                     "--format", "csv", "--no-cache", "--quiet", "--jobs", "1"], in: folder)
        #expect(old.stdout == result.stdout, "\(old.stderr)")
    }

    @Test func gradeHelpShowsTheClassOptions() {
        let result = LessonsBinary.run(["grade", "--help"], in: scratchFolder())
        #expect(result.stdout.contains("--jobs"), "\(result.stdout)")
        #expect(result.stdout.contains("--shard"))
        #expect(result.stdout.contains("lessons grade merge REPORT"))
    }
}

// What a `grade` stopped by Ctrl-C or SIGTERM says, wherever it stopped (the runs themselves: EndToEndTests).
@Suite struct InterruptedGradeTests {
    @Test func theLineSaysHowFarItGotWhereTheReportIsAndWhatToDo() {
        let partial = GradeReport.Partial(studentsGraded: 12, students: 40)
        func said(_ stage: GradeStop.Stage, _ destination: GradeStop.Destination, cached: Bool = true, language: String = "en",
                  signal: GradeStop.Signal = .interrupt) -> String {
            ReportRenderer.stopped(GradeStop(stage: stage, destination: destination, cached: cached, signal: signal), language: language)
        }
        let again = "run the same command again to finish (what is graded comes from the result cache)"
        #expect(said(.grading(done: 37, total: 120), .partialFile("r.json", partial: partial))
                == "interrupted: graded 37 of 120 submissions; the partial report (12 of 40 students) is in r.json; " + again)
        #expect(said(.grading(done: 3, total: 120), .partialFile("r.json", partial: nil))
                == "interrupted: graded 3 of 120 submissions, before the first partial report, so r.json was not written; " + again)
        #expect(said(.grading(done: 37, total: 120), .wholeOnly(nil))
                == "interrupted: graded 37 of 120 submissions; standard output gets only the whole report, so nothing was written (--output FILE keeps a partial one); " + again)
        #expect(said(.grading(done: 37, total: 120), .wholeOnly("/dev/stdout"), cached: false)
                == "interrupted: graded 37 of 120 submissions; /dev/stdout gets only the whole report, so nothing was written (--output FILE keeps a partial one); run the same command again to grade it all (--no-cache kept nothing)")
        #expect(said(.starting, .wholeOnly(nil)) == "interrupted before grading began; nothing was written")
        #expect(said(.written(total: 120), .wholeOnly("r.json")) == "interrupted after grading all 120 submissions; the whole report is in r.json")
        #expect(said(.written(total: 120), .wholeOnly(nil)) == "interrupted after grading all 120 submissions; the whole report went to standard output")
        // In Korean with --lang ko, numbers and paths kept.
        let korean = said(.grading(done: 37, total: 120), .partialFile("r.json", partial: partial), language: "ko")
        #expect(korean.contains("120") && korean.contains("37") && korean.contains("r.json") && !korean.contains("interrupted"), "\(korean)")
        #expect(korean.hasPrefix("중단됨: "), "\(korean)")

        // SIGTERM (a Slurm time limit, `timeout`, `kill`) says the same, terminated.
        #expect(said(.grading(done: 37, total: 120), .partialFile("r.json", partial: partial), signal: .terminate)
                == "terminated: graded 37 of 120 submissions; the partial report (12 of 40 students) is in r.json; " + again)
        #expect(said(.grading(done: 3, total: 120), .partialFile("r.json", partial: nil), signal: .terminate)
                == "terminated: graded 3 of 120 submissions, before the first partial report, so r.json was not written; " + again)
        #expect(said(.grading(done: 37, total: 120), .wholeOnly(nil), cached: false, signal: .terminate)
                == "terminated: graded 37 of 120 submissions; standard output gets only the whole report, so nothing was written (--output FILE keeps a partial one); run the same command again to grade it all (--no-cache kept nothing)")
        #expect(said(.starting, .wholeOnly(nil), signal: .terminate) == "terminated before grading began; nothing was written")
        #expect(said(.written(total: 120), .wholeOnly("r.json"), signal: .terminate) == "terminated after grading all 120 submissions; the whole report is in r.json")
        #expect(said(.written(total: 120), .wholeOnly(nil), signal: .terminate) == "terminated after grading all 120 submissions; the whole report went to standard output")
        // In Korean: 종료됨 (terminated) where Ctrl-C says 중단됨, the rest the same.
        let terminated = said(.grading(done: 37, total: 120), .partialFile("r.json", partial: partial), language: "ko", signal: .terminate)
        #expect(terminated == korean.replacingOccurrences(of: "중단됨", with: "종료됨") && terminated.hasPrefix("종료됨: "), "\(terminated)")
        #expect(said(.starting, .wholeOnly(nil), language: "ko", signal: .terminate) == "채점을 시작하기 전에 종료되었습니다. 아무것도 쓰지 않았습니다")
        #expect(said(.written(total: 120), .wholeOnly("r.json"), language: "ko", signal: .terminate)
                == "제출물 120개를 모두 채점하고 보고서를 r.json에 다 쓴 뒤 종료되었습니다")
    }
}
