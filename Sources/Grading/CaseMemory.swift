// The memory picture kept with a case for the instructor (the HTML report's per-student
// pages): what the program did to its address space after `main`, capped, pids named.

import MemoryPicture
import Sandbox
import Syscalls
import Vocabulary

enum CaseMemory {
    /// Most lines kept per case.
    static let lineLimit = 40

    static func picture(of run: ProgramRun, status: Status, names: PidNames) -> [String] {
        // A run cut at a machine-dependent point drew a different picture each time.
        if RunCut.isCutByTiming(status) { return [] }
        let text = MemoryPicture.render(run, style: .init(plain: false, color: false, maxRows: 8, tables: true))
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { names.apply(toText: String($0)) }
        while lines.last?.isEmpty == true { lines.removeLast() }
        if lines.count > lineLimit { lines = Array(lines.prefix(lineLimit - 1)) + ["… (\(lines.count - lineLimit + 1) more lines)"] }
        return lines
    }
}
