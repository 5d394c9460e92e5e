// Per-case points, `credit:` and hidden cases as a lesson file declares them.

import Testing
import Vocabulary
@testable import Notebook

@Suite struct CaseCreditParseTests {
    func parsed(_ block: String, cases: String) -> (Exercise?, [String]) {
        let text = frontMatter + exercise(exerciseBlock: block, rest: cases + "```expect\nexit 0\n```\n")
        let (lesson, diagnostics) = LessonParser.parse(text, file: "t.md")
        return (lesson?.exercises.first, diagnostics.map(\.description))
    }

    @Test func casesDeclarePointsAndHiddenness() {
        let (exercise, problems) = parsed("", cases: "```case a\npoints: 3\n```\n```case b hidden\nstdin: 1\n```\n")
        #expect(problems == [])
        #expect(exercise?.cases.map(\.points) == [3, nil])
        #expect(exercise?.cases.map(\.hidden) == [false, true])
        #expect(exercise?.points == 10 && exercise?.allOrNothing == false)
    }

    @Test func anExerciseWithoutPointsIsWorthItsCasesSum() {
        let (exercise, problems) = parsed("", cases: "```case a\npoints: 3\n```\n```case b\npoints: 4\n```\n")
        #expect(problems == [])
        #expect(exercise?.points == 7)
    }

    @Test func pointsThatDoNotAddUpAreErrors() {
        let over = parsed("```exercise\npoints: 5\n```\n", cases: "```case a\npoints: 3\n```\n```case b\npoints: 4\n```\n")
        #expect(over.1 == ["t.md:6:1: the cases of exercise 'e' are worth 7 points in all, but the exercise is worth 5"])
        let partly = parsed("```exercise\npoints: 5\n```\n", cases: "```case a\npoints: 6\n```\n```case b\n```\n")
        #expect(partly.1 == ["t.md:6:1: the cases of exercise 'e' are worth 6 points already, but the exercise is worth 5"])
        let both = parsed("```exercise\ncredit: all-or-nothing\n```\n", cases: "```case a\npoints: 6\n```\n")
        #expect(both.1 == ["t.md:6:1: exercise 'e' gives its cases points but says 'credit: all-or-nothing'; drop one of them"])
        let bad = parsed("```exercise\ncredit: some\n```\n", cases: "```case a hidden hidden\npoints: -1\n```\n")
        #expect(bad.1 == ["t.md:11:9: 'credit' is 'per-case' or 'all-or-nothing', found 'some'",
                          "t.md:19:18: unknown attribute 'hidden' on a case block (it takes a name and 'hidden')",
                          "t.md:20:9: 'points' must be a whole number ≥ 0, found '-1'"])
    }

    @Test func allOrNothingIsKept() {
        let (exercise, problems) = parsed("```exercise\ncredit: all-or-nothing\n```\n", cases: "")
        #expect(problems == [])
        #expect(exercise?.allOrNothing == true)
    }
}
