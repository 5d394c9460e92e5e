// `lessons verify [LESSON]`, for learners: runs each lesson's example cells on this machine
// and says, fact by fact, which of what the lesson states holds here. On the machine a lesson
// was recorded on every fact should hold; on another (musl, another glibc) the lesson says
// where it was recorded and which of its facts are that C library's, so a difference reads as
// what it is, not as a fault of the learner's.

import Foundation
import Notebook
import Toolchain
import Vocabulary

package struct LessonCheck: Sendable {
    package var lesson: Lesson
    package var verdicts: [CellVerdict]
    /// The platform each of the lesson's cell languages runs on here.
    package var here: [Language: RecordingPlatform]

    /// Facts (claim blocks) and trace blocks that hold, and all of them.
    package var held: Int { counts.held }
    package var total: Int { counts.total }

    var counts: (held: Int, total: Int) {
        var held = 0, total = 0
        for verdict in verdicts {
            if verdict.run.cell.trace != nil {
                total += 1
                if case .matches? = verdict.trace { held += 1 }
            }
            for (_, result) in verdict.claims {
                total += 1
                if case .holds = result { held += 1 }
            }
        }
        return (held, total)
    }
}

package enum LessonVerifier {
    package static func verify(_ lessons: [Lesson], jobs: Int, language: String = "en") -> [LessonCheck] {
        let cells = lessons.flatMap { lesson in
            lesson.blocks.compactMap { block -> (lessonID: String, cell: ExampleCell)? in
                if case .cell(let cell) = block, cell.trace != nil || !cell.claims.isEmpty { return (lesson.id, cell) }
                return nil
            }
        }
        let runs = CellRunner.runAll(cells, jobs: jobs)
        return lessons.map { lesson in
            let verdicts = runs.filter { $0.lessonID == lesson.id }.map { CellJudge.judge($0, language: language) }
            var here: [Language: RecordingPlatform] = [:]
            for verdict in verdicts { here[verdict.run.cell.language] = PlatformProbe.current(for: verdict.run.cell.language) }
            return LessonCheck(lesson: lesson, verdicts: verdicts, here: here)
        }
    }

    /// The report a learner reads: per lesson, where it was recorded, then one line per fact.
    package static func render(_ checks: [LessonCheck], language: String, unicode: Bool = true) -> String {
        let ko = language.lowercased().hasPrefix("ko")
        func say(_ english: String, _ korean: String) -> String { ko ? korean : english }
        let yes = unicode ? "✓" : "ok", no = unicode ? "✗" : "X"
        var text = ""
        var held = 0, total = 0
        for check in checks where check.total > 0 {
            held += check.held
            total += check.total
            text += "\(check.lesson.id) — \(check.lesson.title.text(language))\n"
            if let notice = PlatformNotice.text(for: check.lesson, here: check.here, language: language) {
                text += "  " + notice + "\n"
            }
            for verdict in check.verdicts {
                let cell = verdict.run.cell
                if case .failure(let failure) = verdict.run.outcome {
                    text += "  \(no) \(cell.name): " + say("could not run here: \(failure)", "여기서 실행할 수 없었습니다: \(failure)") + "\n"
                    continue
                }
                switch verdict.trace {
                case .matches?:
                    text += "  \(yes) \(cell.name): " + say("the trace is the lesson's (addresses, random bytes and process ids aside)",
                                                          "트레이스가 레슨의 것과 같습니다(주소, 무작위 바이트, 프로세스 ID는 빼고)") + "\n"
                case .differs(let difference)?:
                    text += "  \(no) \(cell.name): " + say("the trace differs from the lesson's", "트레이스가 레슨의 것과 다릅니다") + "\n"
                    if let recorded = difference.recorded { text += "      " + say("lesson: ", "레슨: ") + recorded + "\n" }
                    if let actual = difference.actual { text += "      " + say("here:   ", "여기:   ") + actual + "\n" }
                default: break
                }
                for (block, result) in verdict.claims {
                    let fact = block.fact?.text(language) ?? oneLine(block.text)
                    switch result {
                    case .holds:
                        text += "  \(yes) \(cell.name): \(fact)\n"
                    case .fails(let failures):
                        text += "  \(no) \(cell.name): \(fact)\n"
                        for failure in failures {
                            text += "      " + say("here: ", "여기서는: ") + CellJudge.lessonWording(failure.explanation, language: language) + "\n"
                        }
                    case .broken(let problem):
                        text += "  \(no) \(cell.name): " + say("the lesson's claim is broken: \(problem)", "레슨의 주장이 잘못 쓰였습니다: \(problem)") + "\n"
                    }
                }
            }
            text += "\n"
        }
        text += say("\(held) of \(total) facts of the lessons hold on this machine.", "레슨의 사실 \(total)개 중 \(held)개가 이 기계에서 성립합니다.") + "\n"
        return text
    }

    static func oneLine(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }.joined(separator: "; ")
    }
}

/// What a learner is told when a lesson was recorded on another machine than theirs.
package enum PlatformNotice {
    /// One or two sentences, or nil when the lesson was recorded on a machine like this one
    /// (or says nothing about where).
    package static func text(for lesson: Lesson, here: [Language: RecordingPlatform], language: String) -> String? {
        guard let recorded = lesson.recorded else { return nil }
        let ko = language.lowercased().hasPrefix("ko")
        // The C library of C programs is what `$CC` links; describe the first that differs.
        let candidates = [Language.c, .swift].compactMap { here[$0] }
        guard let differing = candidates.first(where: { !recorded.differences(from: $0).isEmpty }) else { return nil }
        let differences = recorded.differences(from: differing)
        var text: String
        if ko {
            text = "이 레슨은 \(recorded)에서 기록되었고, 이 기계는 \(differing)입니다."
        } else {
            text = "This lesson was recorded on \(recorded); this machine differs in " + differences.joined(separator: " and ") + "."
        }
        if let libc = lesson.libc, differing.libcName != libc {
            text += ko
                ? " 이 레슨이 가르치는 것은 \(libc)의 동작입니다. 여기 C 프로그램은 \(differing.libc) 위에서 돌아가므로, 트레이스와 수치가 레슨과 다른 것이 정상입니다."
                : " What it teaches is \(libc)'s behaviour; C programs here run on \(differing.libc), so their traces and numbers are expected to differ from the lesson's."
        } else {
            text += ko ? " 일부 수치가 다를 수 있습니다." : " Some numbers may differ."
        }
        text += ko ? " 'lessons verify \(lesson.id)'가 여기서 성립하는 사실을 알려 줍니다." : " 'lessons verify \(lesson.id)' shows which of its facts hold here."
        return text
    }

    /// For a failed check of an exercise whose lesson teaches one C library's behaviour, when a
    /// program in `language` runs on another here: its checks describe that library, so a
    /// failure need not be a mistake. nil otherwise (Swift programs always run on glibc).
    package static func failedCheckNote(lesson: Lesson, language: Language, textLanguage: String) -> String? {
        guard let libc = lesson.libc else { return nil }
        let here = PlatformProbe.current(for: language)
        guard here.libcName != libc else { return nil }
        return textLanguage.lowercased().hasPrefix("ko")
            ? "참고: 이 연습은 \(libc)의 malloc이 하는 일을 확인합니다. 여기서 여러분의 C 프로그램은 \(here.libc) 위에서 돌아가므로 프로그램이 맞더라도 채점이 실패할 수 있습니다('lessons verify \(lesson.id)'가 다른 점을 보여 줍니다)."
            : "Note: this exercise checks what \(libc)'s malloc does; your C programs run on \(here.libc) here, so its checks may fail however right your program is ('lessons verify \(lesson.id)' shows what differs)."
    }
}
