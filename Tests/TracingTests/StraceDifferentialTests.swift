// The tracer against the installed strace on the fixtures: the same program traced by both,
// lines compared after normalising what legitimately differs (addresses, pids, alignment).
// Compared: the calls issue 2 requires strace-identical (brk mmap munmap mprotect mremap
// madvise msync mlock munlock write read openat close exit_group), signal lines and exit lines;
// other calls are skipped. Lines are compared per process, processes matched by first appearance.

import Syscalls
import Testing
@testable import Tracing
#if canImport(Glibc)
import Glibc
#endif

@Suite(.enabled(if: Fixture.isStraceInstalled(), "strace is not installed"))
struct StraceDifferentialTests {
    static let compared: Set<String> = [
        "brk", "mmap", "munmap", "mprotect", "mremap", "madvise", "msync", "mlock", "munlock",
        "write", "read", "openat", "close", "exit_group",
    ]

    @Test(arguments: [
        ("brk", [String]()), ("mmap", []), ("write", []), ("fork", []), ("segv", ["maperr"]),
        ("segv", ["accerr"]), ("abort", []), ("exitcode", ["42"]), ("threads", []), ("killed", []),
    ])
    func sameLinesAsStrace(fixture: String, arguments: [String]) throws {
        let program = try Fixture.path(fixture)
        let straceOutput = "\(Fixture.buildDirectory)/\(fixture)-\(arguments.joined(separator: "-")).\(getpid()).strace"
        defer { unlink(straceOutput) }
        _ = try Fixture.runCommand(["strace", "-f", "-o", straceOutput, "--", program] + arguments, stdoutPath: "/dev/null")
        let theirs = Self.straceLines(try Self.readFile(straceOutput))

        var request = TraceRequest(executable: program, arguments: arguments)
        request.includeStartup = true
        request.stdin = .null
        request.capture = OutputCapture()
        let run = try Tracer.run(request).run
        var ours: [(pid: Int32, line: String)] = []
        for event in run.events {
            if case .syscall(let call) = event.kind, !Self.compared.contains(call.name) { continue }
            if case .signal(let signal) = event.kind, signal.signal == SIGCHLD { continue }
            let line = StraceFormat.line(event, pidPrefix: .none)
            if !line.isEmpty { ours.append((event.pid, line)) }
        }

        let left = Self.normalise(ours)
        let right = Self.normalise(theirs)
        #expect(left.count == right.count, "processes: ours \(left.count), strace \(right.count)")
        for (index, (mine, strace)) in zip(left, right).enumerated() {
            if mine != strace {
                let at = zip(mine, strace).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(mine.count, strace.count)
                Issue.record("""
                    \(fixture) \(arguments) process #\(index): first difference at line \(at)
                      ours:   \(at < mine.count ? mine[at] : "<end>")
                      strace: \(at < strace.count ? strace[at] : "<end>")
                    """)
            }
        }
    }

    static func readFile(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FixtureError("cannot read \(path)") }
        defer { close(fd) }
        return String(decoding: FileReader(fd: fd).readAll(limit: 1 << 24) ?? [], as: UTF8.self)
    }

    /// `strace -f -o` lines (`PID  text`), with `<unfinished ...>`/`<... resumed>` pairs merged
    /// and restricted to the compared calls, signal lines and exit lines.
    static func straceLines(_ text: String) -> [(pid: Int32, line: String)] {
        var result: [(pid: Int32, line: String)] = []
        var unfinished: [Int32: String] = [:]
        for raw in text.split(separator: "\n") {
            let digits = raw.prefix { $0.isNumber }
            guard let pid = Int32(digits) else { continue }
            var line = String(raw.dropFirst(digits.count).drop { $0 == " " })
            if line.hasSuffix(" <unfinished ...>") {
                unfinished[pid] = String(line.dropLast(" <unfinished ...>".count))
                continue
            }
            if line.hasPrefix("<... "), let close = line.firstIndex(of: ">") {
                line = (unfinished.removeValue(forKey: pid) ?? "") + line[line.index(after: close)...]
            }
            if line.hasPrefix("--- SIGCHLD") { continue }  // when SIGCHLD lands is a race
            if line.hasPrefix("---") || line.hasPrefix("+++") {
                result.append((pid, line))
                continue
            }
            let name = line.prefix { $0 != "(" }
            if compared.contains(String(name)) { result.append((pid, line)) }
        }
        return result
    }

    /// Per process (in order of first appearance): lines with pids numbered, long hex numbers
    /// (addresses) blanked, alignment spaces before `= ` collapsed, CPU times blanked.
    static func normalise(_ lines: [(pid: Int32, line: String)]) -> [[String]] {
        var order: [Int32] = []
        for (pid, _) in lines where !order.contains(pid) { order.append(pid) }
        var byProcess = Array(repeating: [String](), count: order.count)
        for (pid, line) in lines {
            var text = line
            for (index, known) in order.enumerated() {
                text = text.replacingEvery("si_pid=\(known),", with: "si_pid=P\(index),")
            }
            text = blankAddresses(text)
            text = collapseAlignment(text)
            text = text.replacingNumbers(after: "si_utime=").replacingNumbers(after: "si_stime=")
            byProcess[order.firstIndex(of: pid)!].append(text)
        }
        return byProcess
    }

    static func blankAddresses(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: "0x") {
            out += rest[..<range.lowerBound]
            let digits = rest[range.upperBound...].prefix { $0.isHexDigit }
            out += digits.count >= 5 ? "0xADDR" : "0x" + digits
            rest = rest[range.upperBound...].dropFirst(digits.count)
        }
        return out + rest
    }

    static func collapseAlignment(_ text: String) -> String {
        guard let range = text.ranges(of: " = ").last else { return text }
        let head = text[..<range.lowerBound]
        let trimmed = head.reversed().drop { $0 == " " }.reversed()
        return String(trimmed) + " = " + text[range.upperBound...]
    }
}

private extension String {
    func replacingEvery(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            out += rest[..<range.lowerBound]
            out += replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    func replacingNumbers(after marker: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: marker) {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let digits = rest.prefix { $0.isNumber }
            out += digits.isEmpty ? "" : "N"
            rest = rest.dropFirst(digits.count)
        }
        return out + rest
    }
}
