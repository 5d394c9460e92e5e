// Per-case credit and hidden cases: what each case of an exercise is worth, which cases a
// learner may not see, and the score a set of case results earns (docs/lesson-format.md).

import Notebook
import Sandbox
import Vocabulary

enum CaseCredit {
    /// The points of each case of `exercise`, in `CaseRunner.cases` order. A case's own `points:`
    /// wins; the rest of the exercise's points are split evenly over the cases that declare
    /// none, the first cases taking the remainder (10 over 3 cases: 4, 3, 3). With
    /// `credit: all-or-nothing` the cases carry no points of their own.
    static func points(of exercise: Exercise) -> [Int] {
        let cases = CaseRunner.cases(of: exercise)
        if exercise.allOrNothing { return cases.map { _ in 0 } }
        let declared = cases.compactMap(\.points).reduce(0, +)
        let open = cases.filter { $0.points == nil }.count
        let rest = max(0, exercise.points - declared)
        var shares = open == 0 ? [] : Array(repeating: rest / open, count: open)
        for index in 0..<(open == 0 ? 0 : rest % open) { shares[index] += 1 }
        var next = 0
        return cases.map { item in
            if let points = item.points { return points }
            defer { next += 1 }
            return shares[next]
        }
    }

    /// A hidden case: marked `hidden` on its block, or checked only by hidden expect blocks
    /// (every block that names it with `case=` is hidden), as a lesson that keeps a case's
    /// input secret writes it.
    static func isHidden(_ exerciseCase: ExerciseCase, in exercise: Exercise) -> Bool {
        if exerciseCase.hidden { return true }
        let naming = exercise.expectations.filter { $0.cases.contains(exerciseCase.name) }
        return !naming.isEmpty && naming.allSatisfy(\.hidden)
    }

    /// The exercise's score from its case results: the sum of the passed cases' points, or all
    /// or nothing.
    static func score(_ cases: [CaseResult], status: Status, exercise: Exercise) -> Int {
        if status == .passed { return exercise.points }
        if exercise.allOrNothing || [.compileError, .missing, .internalError].contains(status) { return 0 }
        return cases.filter { $0.status == .passed }.reduce(0) { $0 + $1.maxScore }
    }
}
