// What each case is worth and what a set of case results earns.

import Notebook
import Sandbox
import Testing
@testable import Grading

@Suite struct CaseCreditTests {
    func exercise(points: Int, cases: [ExerciseCase], allOrNothing: Bool = false) -> Exercise {
        var exercise = Fixture.exercise("e", lesson: "l", points: points)
        exercise.cases = cases
        exercise.allOrNothing = allOrNothing
        return exercise
    }
    func item(_ name: String, points: Int? = nil, hidden: Bool = false) -> ExerciseCase {
        ExerciseCase(name: name, location: SourceLocation(file: "l.md", line: 1), hidden: hidden, points: points)
    }

    @Test func pointsSplitEvenlyWithTheRemainderFirst() {
        #expect(CaseCredit.points(of: exercise(points: 10, cases: [item("a"), item("b"), item("c")])) == [4, 3, 3])
        #expect(CaseCredit.points(of: exercise(points: 10, cases: [item("a"), item("b")])) == [5, 5])
        #expect(CaseCredit.points(of: exercise(points: 10, cases: [])) == [10])
        #expect(CaseCredit.points(of: exercise(points: 10, cases: [item("a", points: 6), item("b"), item("c")])) == [6, 2, 2])
        #expect(CaseCredit.points(of: exercise(points: 10, cases: [item("a"), item("b")], allOrNothing: true)) == [0, 0])
    }

    @Test func scoreIsThePassedCasesPointsOrAllOrNothing() {
        let passed = CaseResult(name: "a", status: .passed, maxScore: 4)
        let failed = CaseResult(name: "b", status: .timeout, maxScore: 6)
        let perCase = exercise(points: 10, cases: [item("a"), item("b")])
        #expect(CaseCredit.score([passed, failed], status: .timeout, exercise: perCase) == 4)
        #expect(CaseCredit.score([passed, passed], status: .passed, exercise: perCase) == 10)
        #expect(CaseCredit.score([passed, failed], status: .compileError, exercise: perCase) == 0)
        let whole = exercise(points: 10, cases: [item("a"), item("b")], allOrNothing: true)
        #expect(CaseCredit.score([passed, failed], status: .failed, exercise: whole) == 0)
    }

    @Test func aCaseOnlyHiddenBlocksNameIsHidden() {
        var e = exercise(points: 10, cases: [item("open"), item("secret"), item("marked", hidden: true)])
        let at = SourceLocation(file: "l.md", line: 1)
        e.expectations = [ExpectationSource(text: "exit 0", location: at),
                          ExpectationSource(text: "exit 0", location: at, cases: ["secret"], hidden: true),
                          ExpectationSource(text: "exit 0", location: at, cases: ["open"], hidden: true),
                          ExpectationSource(text: "exit 0", location: at, cases: ["open"])]
        #expect(e.cases.map { CaseCredit.isHidden($0, in: e) } == [false, true, true])
    }
}
