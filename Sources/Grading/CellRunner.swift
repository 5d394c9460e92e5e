// One way to run a lesson's example cell, for every caller that judges it (`lint`, `record`,
// `verify`, the REPL's `predict`): compiled like a learner's file, run once as a case with
// no input (CaseRunner), its output on a pipe (or a pseudo-terminal for a cell marked
// `tty`), traced from the start so that claims can speak of the heap.

import Foundation
import Notebook
import Sandbox
import Syscalls
import Toolchain

/// A lesson's cell and what running it gave.
package struct CellRun: Sendable {
    package var lessonID: String
    package var cell: ExampleCell
    /// The traced run, or why there is none (a cell that does not compile, a tool fault).
    package var outcome: Result<SandboxedRun, CellRunFailure>

    /// `lesson/cell`.
    package var id: String { "\(lessonID)/\(cell.name)" }
}

package struct CellRunFailure: Error, Sendable, CustomStringConvertible {
    package var description: String
}

package enum CellRunner {
    /// Compiles and runs `cell` (its source goes to `scratch`, a directory the caller owns).
    package static func run(_ cell: ExampleCell, lessonID: String, scratch: String, pinCPU: Int? = nil) -> CellRun {
        CellRun(lessonID: lessonID, cell: cell, outcome: Result { () throws(CellRunFailure) -> SandboxedRun in
            let name = "\(lessonID)/\(cell.name).\(cell.language.fileExtension)"
            let directory = (scratch as NSString).appendingPathComponent(lessonID)
            let path = (directory as NSString).appendingPathComponent("\(cell.name).\(cell.language.fileExtension)")
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try cell.code.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw CellRunFailure(description: "cannot write the cell to \(path): \(error.localizedDescription)")
            }
            let binary: String
            do {
                switch try Compiler.compile(CompileRequest(source: path, language: cell.language, displayName: name)) {
                case .success(let path, _): binary = path
                case .failure(let diagnostics):
                    throw CellRunFailure(description: "the cell does not compile: \(LessonLinter.firstError(diagnostics))")
                }
            } catch let failure as CellRunFailure {
                throw failure
            } catch {
                throw CellRunFailure(description: "cannot compile the cell: \(error)")
            }
            do {
                return try CaseRunner.run(binary: binary, language: cell.language, case: runCase(of: cell), of: nil,
                                          presentation: .init(pinCPU: pinCPU, terminalStdout: cell.tty))
            } catch {
                throw CellRunFailure(description: "cannot run the cell: \(error)")
            }
        })
    }

    /// A cell runs as a case with no input and no arguments, with its `env=` attributes.
    package static func runCase(of cell: ExampleCell) -> ExerciseCase {
        ExerciseCase(name: cell.name, environment: cell.environment, location: cell.location)
    }

    /// Runs every cell, `jobs` at a time, each worker pinned to its own CPU; results in order.
    package static func runAll(_ cells: [(lessonID: String, cell: ExampleCell)], jobs: Int) -> [CellRun] {
        guard !cells.isEmpty else { return [] }
        var template = Array((NSTemporaryDirectory() + "lessons-cells-XXXXXX").utf8CString)
        let scratch = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) }
            ?? NSTemporaryDirectory() + "lessons-cells-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let cpus = Grader.availableCPUs()
        let slots = CellSlots(count: cells.count)
        let next = Counter()
        let group = DispatchGroup()
        for worker in 0..<max(1, min(jobs, cells.count)) {
            group.enter()
            Thread {
                while true {
                    let index = next.increment() - 1
                    guard index < cells.count else { break }
                    slots.set(index, run(cells[index].cell, lessonID: cells[index].lessonID, scratch: scratch,
                                         pinCPU: cpus[worker % cpus.count]))
                }
                group.leave()
            }.start()
        }
        group.wait()
        return slots.values()
    }

    /// The lines a trace block holds for `run`: as `lessons run` prints them (without event
    /// numbers, and without the events strace prints no line for), after `main` unless `startup`.
    package static func traceLines(_ run: ProgramRun, startup: Bool) -> [String] {
        let events = run.events.filter { startup || $0.phase == .program || !run.sawMain }
        let several = Set(events.map(\.pid)).count > 1
        return events.map { StraceFormat.line($0, showPid: several) }.filter { !$0.isEmpty }
    }
}

/// One slot per cell, filled by whichever worker ran it.
private final class CellSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [CellRun?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ run: CellRun) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = run
    }
    func values() -> [CellRun] {
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0! }
    }
}
