// `lessons lint`: a lesson pack is only as good as its checks. Every lesson parses, ids are
// unique, expectations parse, every starter compiles and fails its checks (it leaves work to
// do), every reference solution in `Solutions/` passes its exercise, and the lessons' text
// holds: every example cell's trace block and claims against a real run, every number in
// prose checked or marked (EvidenceLint.swift).

import Foundation
import Expectations
import Notebook
import Sandbox
import Toolchain
import Vocabulary

/// One problem, located: `file:line:column: message`.
package struct LintProblem: Sendable, Hashable, CustomStringConvertible {
    package var location: SourceLocation
    package var message: String
    package var description: String { "\(location): \(message)" }
}

package struct LintSummary: Sendable {
    package var problems: [LintProblem]
    package var lessons: Int
    package var exercises: Int
    package var startersChecked: Int
    package var solutionsChecked: Int
    /// The Solutions/ folder read (nil: none inside or beside the pack).
    package var solutionsDirectory: String? = nil
    /// Example cells run, trace blocks compared, claims checked, facts in prose (EvidenceLint).
    package var evidence = EvidenceSummary()
}

package enum LessonLinter {
    /// One problem, one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// The first `error:` line of compiler output (else its first line).
    static func firstError(_ diagnostics: String) -> String {
        let lines = diagnostics.split(whereSeparator: \.isNewline)
        return String(lines.first { $0.contains("error") } ?? lines.first ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// The `Solutions/` folder that belongs to a pack: inside it, or beside it.
    package static func solutionsDirectory(for lessons: String) -> String? {
        // Absolute first: the parent of a bare `Lessons` is the current folder, not `/`.
        let lessons = URL(fileURLWithPath: lessons).standardizedFileURL.path
        let inside = lessons + "/Solutions"
        let beside = (lessons as NSString).deletingLastPathComponent + "/Solutions"
        for candidate in [inside, beside] where ClassFolder.isDirectory(candidate) { return candidate }
        return nil
    }

    package static func lint(directory: String, options: CheckOptions = CheckOptions(), jobs: Int = Grader.availableCPUs().count) -> LintSummary {
        let (pack, diagnostics) = LessonPack.load(directory: directory)
        var problems = diagnostics.map { LintProblem(location: $0.location, message: $0.message) }

        var lessonIDs: [String: Lesson] = [:]
        for lesson in pack.lessons {
            if let other = lessonIDs[lesson.id] {
                problems.append(LintProblem(location: SourceLocation(file: lesson.file, line: 1),
                                            message: "lesson id '\(lesson.id)' is already used by \(other.file)"))
            } else {
                lessonIDs[lesson.id] = lesson
            }
            var exerciseIDs: [String: Exercise] = [:]
            for exercise in lesson.exercises {
                if let other = exerciseIDs[exercise.id] {
                    problems.append(LintProblem(location: exercise.location,
                                                message: "exercise id '\(exercise.id)' is already used at line \(other.location.line)"))
                } else {
                    exerciseIDs[exercise.id] = exercise
                }
            }
        }

        // Expectations parse, for every case and language they apply to.
        let exercises = pack.lessons.flatMap(\.exercises)
        var broken = Set<String>()
        for exercise in exercises {
            for source in exercise.expectations {
                do {
                    _ = try ExpectationScript.parse(source.text, file: source.location.file, line: source.location.line)
                } catch let diagnostic as ExpectationDiagnostic {
                    problems.append(LintProblem(location: SourceLocation(file: diagnostic.file, line: diagnostic.line, column: diagnostic.column),
                                                message: diagnostic.message))
                    broken.insert(exercise.fullID)
                } catch {
                    problems.append(LintProblem(location: source.location, message: "\(error)"))
                    broken.insert(exercise.fullID)
                }
            }
        }

        // Every case's inject: rules are ones the tracer accepts.
        for exercise in exercises {
            for exerciseCase in exercise.cases {
                do { _ = try CaseRunner.faultInjections(exerciseCase) } catch let error as CaseRunner.InjectRuleError {
                    problems.append(LintProblem(location: error.location, message: error.message))
                    broken.insert(exercise.fullID)
                } catch {
                    problems.append(LintProblem(location: exerciseCase.location, message: "\(error)"))
                    broken.insert(exercise.fullID)
                }
            }
        }

        // Starters and solutions: real compiles and real runs, in parallel.
        struct Job: Sendable { var file: String; var exercise: Exercise; var isStarter: Bool; var location: SourceLocation }
        var pending: [Job] = []
        // A directory of its own: two lints in one process (the test suite runs them in
        // parallel) once shared "lessons-lint-PID", and the first to finish removed it.
        var template = Array((NSTemporaryDirectory() + "lessons-lint-XXXXXX").utf8CString)
        let scratch = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) }
            ?? NSTemporaryDirectory() + "lessons-lint-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        for exercise in exercises where !broken.contains(exercise.fullID) {
            for language in exercise.languages {
                guard let starter = exercise.starters[language] else { continue }
                let path = "\(scratch)/\(exercise.lessonID)/\(exercise.id).\(language.fileExtension)"
                do {
                    try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                    try starter.write(toFile: path, atomically: true, encoding: .utf8)
                    pending.append(Job(file: path, exercise: exercise, isStarter: true, location: exercise.location))
                } catch {
                    problems.append(LintProblem(location: exercise.location, message: "cannot write the \(language.rawValue) starter to \(path): \(error)"))
                }
            }
        }
        var solutions = 0
        let solutionsRoot = solutionsDirectory(for: directory)
        if let root = solutionsRoot {
            var found: [String] = []
            ClassFolder.walk(root, relative: "") { relative, _ in found.append(relative) }
            for relative in found.sorted() {
                let file = root + "/" + relative
                let location = SourceLocation(file: file, line: 1)
                let parts = relative.split(separator: "/")
                guard parts.count == 2, let language = Language(fileName: String(parts[1])) else {
                    problems.append(LintProblem(location: location, message: "not a solution file: name it Solutions/<lesson>/<exercise>.c or .swift"))
                    continue
                }
                let id = "\(parts[0])/\(String(parts[1]).dropLast(language.fileExtension.count + 1))"
                guard let exercise = pack.exercise(id) else {
                    problems.append(LintProblem(location: location, message: "no exercise '\(id)' in the pack for this solution"))
                    continue
                }
                guard exercise.languages.contains(language) else {
                    problems.append(LintProblem(location: location, message: "exercise '\(id)' does not accept \(language.rawValue)"))
                    continue
                }
                if broken.contains(id) { continue }
                pending.append(Job(file: file, exercise: exercise, isStarter: false, location: location))
                solutions += 1
            }
        }

        let cpus = Grader.availableCPUs()
        let results = ResultSlots(count: pending.count)
        let next = Counter()
        let frozenJobs = pending
        let work: @Sendable (Int) -> Void = { worker in
            var workerOptions = options
            workerOptions.pinCPU = cpus[worker % cpus.count]
            let checker = Checker(options: workerOptions)
            while true {
                let index = next.increment() - 1
                guard index < frozenJobs.count else { return }
                let job = frozenJobs[index]
                do {
                    results.set(index, try checker.check(file: job.file, exercise: job.exercise))
                } catch {
                    results.set(index, ExerciseResult(exercise: job.exercise.fullID, status: .internalError, score: 0,
                                                      maxScore: job.exercise.points, notes: ["\(error)"]))
                }
            }
        }
        let group = DispatchGroup()
        for worker in 0..<max(1, min(jobs, frozenJobs.count)) {
            group.enter()
            Thread { work(worker); group.leave() }.start()
        }
        group.wait()

        for (job, result) in zip(frozenJobs, results.values()) {
            guard let result else { continue }
            let language = Language(fileName: job.file)?.rawValue ?? "?"
            if job.isStarter {
                switch result.status {
                case .passed:
                    problems.append(LintProblem(location: job.location, message: "the \(language) starter of \(result.exercise) already passes its checks; a starter must leave work to do"))
                case .compileError:
                    problems.append(LintProblem(location: job.location, message: "the \(language) starter of \(result.exercise) does not compile: \(firstError(result.diagnostics))"))
                case .internalError:
                    problems.append(LintProblem(location: job.location, message: "could not check the \(language) starter of \(result.exercise): \(oneLine(result.notes.joined(separator: "; ")))"))
                default: break
                }
            } else if result.status != .passed {
                let why: String
                switch result.status {
                case .compileError: why = firstError(result.diagnostics)
                case .internalError: why = oneLine(result.notes.joined(separator: "; "))
                default:
                    why = result.cases.filter { $0.status != .passed }
                        .map { "case \($0.name): \(oneLine($0.explanation.isEmpty ? $0.status.rawValue : $0.explanation))" }
                        .joined(separator: "; ")
                }
                problems.append(LintProblem(location: job.location, message: "this solution does not pass \(result.exercise) (\(result.status.rawValue)): \(why)"))
            }
        }
        // The lessons' own text: cells against their trace blocks and claims, facts in prose.
        let evidence = EvidenceLint.check(pack.lessons, jobs: jobs, language: options.language)
        problems += evidence.problems

        problems = problems.enumerated().sorted { a, b in
            let (x, y) = (a.element.location, b.element.location)
            return (x.file, x.line, x.column, a.offset) < (y.file, y.line, y.column, b.offset)
        }.map(\.element)
        return LintSummary(problems: problems, lessons: pack.lessons.count, exercises: exercises.count,
                           startersChecked: frozenJobs.filter(\.isStarter).count, solutionsChecked: solutions,
                           solutionsDirectory: solutionsRoot, evidence: evidence)
    }
}
