// Feedback that quotes the learner's line: a failed expectation's nearest event carries the
// source line that led to it (`TraceEvent.source`, via `MatchFailure.nearestSource`); the
// check engine reads that line from the learner's own file and the feedback shows it:
//
//     expected `mmap(NULL, 8192, …) = $a`: your program asked mmap for 4096 bytes …
//       at anon.c:7 in main:     void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, …);
//
// Only the learner's own file is ever read (whatever file name the debug information
// gives), and never for a hidden expectation.

import Expectations
import Foundation
import Sandbox
import Syscalls

/// The learner's line that led to a failure's nearest event.
package struct SourceQuote: Codable, Sendable, Hashable {
    /// The learner's file (base name, as the learner named it).
    package var file: String
    /// 1-based line.
    package var line: Int
    /// The function the line lies in (`main`, `grab(_:)`), when known.
    package var function: String?
    /// The line itself: trimmed, control characters escaped, capped at `maxCodeCharacters`;
    /// nil when the file could not be read or has no such line.
    package var code: String?

    package init(file: String, line: Int, function: String? = nil, code: String? = nil) {
        self.file = file
        self.line = line
        self.function = function
        self.code = code
    }

    static let maxCodeCharacters = 100

    /// `at anon.c:7 in main: void *p = …` (Korean: `위치: anon.c:7 (main): …`).
    func rendered(words: Words) -> String {
        let place = "\(file):\(line)"
        let head: String
        if words.korean {
            head = "위치: \(place)" + (function.map { " (\($0))" } ?? "")
        } else {
            head = "at \(place)" + (function.map { " in \($0)" } ?? "")
        }
        guard let code, !code.isEmpty else { return head }
        return head + ": " + code
    }

    /// The quote for `source` in the learner's `file`, or nil when the event's line is not in
    /// the learner's program (a system header, a library). `compiledName` is the base name the
    /// compiler saw (the display name given to `Compiler`), which is what the debug
    /// information names.
    static func make(_ source: EventSource?, learnerFile: String, compiledName: String) -> SourceQuote? {
        guard let source else { return nil }
        let base = (learnerFile as NSString).lastPathComponent
        guard source.file == compiledName || source.file == base else { return nil }
        return SourceQuote(file: base, line: source.line, function: source.function,
                           code: codeLine(learnerFile, line: source.line))
    }

    /// Line `line` of `path`, trimmed, control characters escaped, capped; nil if missing.
    static func codeLine(_ path: String, line: Int) -> String? {
        guard line > 0, let data = FileManager.default.contents(atPath: path), data.count <= 4 << 20 else { return nil }
        var current = 1
        var start = data.startIndex
        var index = data.startIndex
        while index < data.endIndex, current < line {
            if data[index] == UInt8(ascii: "\n") {
                current += 1
                start = data.index(after: index)
            }
            index = data.index(after: index)
        }
        guard current == line, start <= data.endIndex else { return nil }
        // A byte order mark (a file saved by a Windows editor) is not part of the first line's code.
        if start == data.startIndex, data.starts(with: [0xEF, 0xBB, 0xBF]) { start = data.index(start, offsetBy: 3) }
        let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
        let text = String(decoding: data[start..<end], as: UTF8.self)
        return shown(text)
    }

    /// Trimmed, tabs as spaces, other control characters as `\u{…}`, at most
    /// `maxCodeCharacters` characters (then `…`).
    static func shown(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\t": out += " "
            case "\r": continue
            case _ where scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format
                         && scalar.value != 0x200D:
                out += "\\u{\(String(scalar.value, radix: 16))}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        out = out.trimmingCharacters(in: .whitespaces)
        if out.count > maxCodeCharacters {
            out = String(out.prefix(maxCodeCharacters - 1)) + "…"
        }
        return out
    }
}

extension SourceQuote {
    /// A failed case judged again on a run traced with source lines, when it has a failure a
    /// learner may see with a nearest event; nil (keep the first judgement) otherwise, or when
    /// the second run fails differently (the verdict never depends on source lines: they cost
    /// the tracer time per event, and only a failed case's feedback uses them).
    static func rejudge(_ first: CaseResult, rerun: () throws -> SandboxedRun,
                        judge: (SandboxedRun) -> CaseResult) -> CaseResult? {
        guard first.status == .failed, first.failures.contains(where: { !$0.hidden && $0.nearest != nil }),
              let run = try? rerun() else { return nil }
        let second = judge(run)
        let same = { (result: CaseResult) in result.failures.map { "\($0.line) \($0.hidden) \($0.expectation)" } }
        guard second.status == first.status, same(second) == same(first) else { return nil }
        return second
    }
}
