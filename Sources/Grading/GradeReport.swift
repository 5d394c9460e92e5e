// The instructor's report of a class: every student × every graded exercise. Every output
// format is rendered from this one value; its JSON form (schema 1, docs/grading.md) is the
// stable interface that `grade merge` reads back.

import Sandbox
import Vocabulary

package struct GradeReport: Codable, Sendable, Equatable {
    package static let schemaVersion = 1

    package struct ExerciseInfo: Codable, Sendable, Equatable {
        package var id: String
        package var maxScore: Int
        enum CodingKeys: String, CodingKey { case id, maxScore = "max_score" }
    }

    package struct Student: Codable, Sendable, Equatable {
        package var id: String
        /// Points earned; internal errors are left out of `maxScore` (never scored against the student).
        package var score: Int
        package var maxScore: Int
        package var exercises: [ExerciseResult]
        /// Files ignored and other remarks about the submission folder (English, for the instructor).
        package var notes: [String]
        /// The same as values, phrased for each reader (`files` in JSON).
        package var files: [SubmissionNote]
        enum CodingKeys: String, CodingKey { case id, score, maxScore = "max_score", exercises, notes, files }

        package init(id: String, score: Int, maxScore: Int, exercises: [ExerciseResult], notes: [String], files: [SubmissionNote] = []) {
            self.id = id
            self.score = score
            self.maxScore = maxScore
            self.exercises = exercises
            self.notes = notes
            self.files = files
        }

        package init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            id = try c.decode(String.self, forKey: .id)
            score = try c.decode(Int.self, forKey: .score)
            maxScore = try c.decode(Int.self, forKey: .maxScore)
            exercises = try c.decode([ExerciseResult].self, forKey: .exercises)
            notes = try c.decode([String].self, forKey: .notes)
            files = try c.decodeIfPresent([SubmissionNote].self, forKey: .files) ?? []
        }
    }

    /// An exercise the tool failed to check, reported apart from the grades.
    package struct InternalError: Codable, Sendable, Equatable {
        package var student: String
        package var exercise: String
        package var notes: [String]
    }

    package struct Totals: Codable, Sendable, Equatable {
        package var students: Int
        package var score: Int
        package var maxScore: Int
        /// How many student × exercise results have each status.
        package var statuses: [String: Int]
        enum CodingKeys: String, CodingKey { case students, score, maxScore = "max_score", statuses }
    }

    /// Set in a report written while grading still ran (`--output FILE` is replaced as students
    /// finish): how many of the class's students it holds. Absent in a finished report.
    package struct Partial: Codable, Sendable, Equatable {
        package var studentsGraded: Int
        package var students: Int
        enum CodingKeys: String, CodingKey { case studentsGraded = "students_graded", students }
    }

    /// K of N when this report covers one shard of the class (absent in a whole report).
    package struct ShardInfo: Codable, Sendable, Equatable {
        package var index: Int
        package var count: Int
    }

    package var schema: Int
    package var tool: String
    package var exercises: [ExerciseInfo]
    package var students: [Student]
    package var internalErrors: [InternalError]
    package var totals: Totals
    package var shard: ShardInfo?
    /// Pairs of submissions that look copied (Similarity.swift), derived from the students'
    /// fingerprints; instructor formats only.
    package var similar: [SimilarPair] = []
    /// What the report was graded from (ReportInputs.swift): `grade merge` joins only shards
    /// with the same inputs.
    package var inputs: String?
    /// Remarks about the class folder as a whole (empty class, stray files).
    package var warnings: [String] = []
    package var partial: Partial?
    /// What this machine's sandbox lacks against the full one (not root, no cgroup, …): said once
    /// for the whole class, never per case. Absent when nothing is missing.
    package var sandbox: [String]?

    enum CodingKeys: String, CodingKey {
        case schema, tool, exercises, students, internalErrors = "internal_errors", totals, shard, similar, inputs, warnings, partial, sandbox
    }

    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schema = try c.decode(Int.self, forKey: .schema)
        tool = try c.decode(String.self, forKey: .tool)
        exercises = try c.decode([ExerciseInfo].self, forKey: .exercises)
        students = try c.decode([Student].self, forKey: .students)
        internalErrors = try c.decode([InternalError].self, forKey: .internalErrors)
        totals = try c.decode(Totals.self, forKey: .totals)
        shard = try c.decodeIfPresent(ShardInfo.self, forKey: .shard)
        similar = try c.decodeIfPresent([SimilarPair].self, forKey: .similar) ?? []
        inputs = try c.decodeIfPresent(String.self, forKey: .inputs)
        warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
        partial = try c.decodeIfPresent(Partial.self, forKey: .partial)
        sandbox = try c.decodeIfPresent([String].self, forKey: .sandbox)
    }

    /// A report over `students` (sorted here, so every report lists them in one order).
    package init(tool: String, exercises: [ExerciseInfo], students: [Student], shard: ShardInfo? = nil) {
        self.schema = GradeReport.schemaVersion
        self.tool = tool
        self.exercises = exercises
        self.students = students.sorted { $0.id < $1.id }
        self.shard = shard
        self.internalErrors = []
        self.totals = Totals(students: 0, score: 0, maxScore: 0, statuses: [:])
        recompute()
    }

    /// Scores, totals and the internal-error list, all derived from the results.
    mutating func recompute() {
        var statuses: [String: Int] = [:]
        for status in Status.allCases { statuses[status.rawValue] = 0 }
        internalErrors = []
        var score = 0, maxScore = 0
        for index in students.indices {
            var student = students[index]
            student.score = student.exercises.reduce(0) { $0 + $1.score }
            student.maxScore = student.exercises.filter { $0.status != .internalError }.reduce(0) { $0 + $1.maxScore }
            for result in student.exercises {
                statuses[result.status.rawValue, default: 0] += 1
                if result.status == .internalError {
                    internalErrors.append(InternalError(student: student.id, exercise: result.exercise, notes: result.notes))
                }
            }
            score += student.score
            maxScore += student.maxScore
            students[index] = student
        }
        totals = Totals(students: students.count, score: score, maxScore: maxScore, statuses: statuses)
        similar = Similarity.pairs(students, exercises: exercises.map(\.id))
    }

    package struct MergeError: Error, CustomStringConvertible {
        package var description: String

        /// The same sentence for `grade merge --lang ko`: the file names and values kept, the
        /// words translated.
        static func korean(_ english: String) -> String {
            let phrases: [(String, String)] = [
                ("no reports to merge", "합칠 보고서가 없습니다"),
                (": report schema ", ": 보고서 스키마 "),
                (", this tool reads ", ", 이 도구는 다음을 읽습니다: "),
                ("; grade it again with this version", "; 이 버전으로 다시 채점하세요"),
                (": graded other exercises than ", ": 다음과 다른 문제로 채점했습니다: "),
                ("; grade every shard with the same lesson pack and --exercises", "; 모든 샤드를 같은 레슨 팩과 --exercises로 채점하세요"),
                (": graded by ", ": 채점 도구 "),
                (" by ", " 채점 도구 "),
                ("; grade every shard with the same tool", "; 모든 샤드를 같은 도구로 채점하세요"),
                (": graded from other inputs than ", ": 다음과 다른 입력으로 채점했습니다: "),
                (" (lesson pack, class folder or options differ: inputs ", " (레슨 팩, 반 폴더 또는 옵션이 다릅니다: 입력 "),
                (" against ", " 대 "),
                ("); grade every shard of one run from the same class folder with the same command, and merge only that run's reports",
                 "); 한 번의 실행에 속한 모든 샤드를 같은 반 폴더와 같은 명령으로 채점하고, 그 실행의 보고서만 합치세요"),
                (" does not belong with shards of ", "은(는) 다음 샤드들과 함께 쓸 수 없습니다: 샤드 수 "),
                (" and ", ", "), (" are both shard ", " 둘 다 샤드 "),
                (" missing; pass every shard's report", " 없음; 모든 샤드의 보고서를 주세요"),
                (": student ", ": 학생 "), (" appears in two shards", "이(가) 두 샤드에 있습니다"),
                ("shards ", "샤드 "), ("shard ", "샤드 "),
            ]
            var text = english
            for (en, ko) in phrases { text = text.replacingOccurrences(of: en, with: ko) }
            return text
        }
    }

    /// Combines shard reports into the report an unsharded run would have written. Every shard
    /// 1…N must be there exactly once, all graded with the same tool against the same exercises.
    package static func merge(_ reports: [(name: String, report: GradeReport)], language: String = "en") throws -> GradeReport {
        do {
            return try mergeReports(reports)
        } catch let error as MergeError where language == "ko" {
            throw MergeError(description: MergeError.korean(error.description))
        }
    }

    static func mergeReports(_ reports: [(name: String, report: GradeReport)]) throws -> GradeReport {
        guard let first = reports.first else { throw MergeError(description: "no reports to merge") }
        var seen: [Int: String] = [:]
        var count: Int?
        for (name, report) in reports {
            if let partial = report.partial {
                throw MergeError(description: "\(name): a partial report (\(partial.studentsGraded) of \(partial.students) students; its grading was stopped); grade that shard again to finish it")
            }
            guard report.schema == schemaVersion else {
                throw MergeError(description: "\(name): report schema \(report.schema), this tool reads \(schemaVersion); grade it again with this version")
            }
            guard report.exercises == first.report.exercises else {
                throw MergeError(description: "\(name): graded other exercises than \(first.name); grade every shard with the same lesson pack and --exercises")
            }
            guard report.tool == first.report.tool else {
                throw MergeError(description: "\(name): graded by \(report.tool), \(first.name) by \(first.report.tool); grade every shard with the same tool")
            }
            guard report.inputs == first.report.inputs else {
                throw MergeError(description: "\(name): graded from other inputs than \(first.name) (lesson pack, class folder or options differ: inputs \(report.inputs ?? "none") against \(first.report.inputs ?? "none")); grade every shard of one run from the same class folder with the same command, and merge only that run's reports")
            }
            let shard = report.shard ?? ShardInfo(index: 1, count: 1)
            if let count, count != shard.count {
                throw MergeError(description: "\(name): shard \(shard.index)/\(shard.count) does not belong with shards of \(count)")
            }
            count = shard.count
            if let other = seen[shard.index] {
                throw MergeError(description: "\(name) and \(other) are both shard \(shard.index)/\(shard.count)")
            }
            seen[shard.index] = name
        }
        let total = count ?? 1
        let absent = (1...total).filter { seen[$0] == nil }
        guard absent.isEmpty else {
            throw MergeError(description: "shard\(absent.count == 1 ? "" : "s") \(absent.map { "\($0)/\(total)" }.joined(separator: ", ")) missing; pass every shard's report")
        }
        var students: [Student] = []
        var ids = Set<String>()
        for (name, report) in reports {
            for student in report.students {
                guard ids.insert(student.id).inserted else {
                    throw MergeError(description: "\(name): student \(student.id) appears in two shards")
                }
                students.append(student)
            }
        }
        var merged = GradeReport(tool: first.report.tool, exercises: first.report.exercises, students: students, shard: nil)
        merged.inputs = first.report.inputs
        merged.warnings = first.report.warnings
        // Every machine's sandbox notes, once each.
        var notes: [String] = []
        for (_, report) in reports { for note in report.sandbox ?? [] where !notes.contains(note) { notes.append(note) } }
        merged.sandbox = notes.isEmpty ? nil : notes
        return merged
    }
}

/// Which share of the class one machine grades: shard K of N takes the students whose place in
/// the sorted list of ids is K-1 modulo N (round-robin, so shards stay even).
package struct Shard: Sendable, Equatable, CustomStringConvertible {
    package var index: Int
    package var count: Int

    package init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (1 ≤ K ≤ N).
    package init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 1, k <= n else { return nil }
        self.init(index: k, count: n)
    }

    package func select(_ sortedIDs: [String]) -> [String] {
        sortedIDs.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }

    package var description: String { "\(index)/\(count)" }
}
