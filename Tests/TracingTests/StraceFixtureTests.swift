// The tracer against the installed strace, line for line, on fixtures written for the cases that
// once differed (issue 17) or trapped (issue 12, item 0), on a thread's execve, and on a short
// run of the differential fuzzer (Tests/Fixtures/trace/syscall_fuzz.c; longer runs:
// scripts/strace-fuzz.sh). Our lines go through the same writer as `lessons trace -f -o`
// (StraceInterleaving, a pid column). What legitimately differs between two runs is normalised:
// pids (numbered in the order they were handed out), CPU times in rusage and siginfo, and how strace's <unfinished ...>
// lines split a call (that depends on timing), except where the split itself is the subject.

import Syscalls
import Testing
@testable import Tracing
#if canImport(Glibc)
import Glibc
#endif

@Suite(.enabled(if: Fixture.isStraceInstalled(), "strace is not installed"))
struct StraceFixtureTests {
    @Test func theListedCasesPrintAsStraceDoes() throws {
        let (theirs, ours) = try Self.bothTraces("strace_cases")
        let left = Self.normalise(Self.betweenMarkers(Self.merged(ours)))
        let right = Self.normalise(Self.betweenMarkers(Self.merged(theirs)))
        #expect(right.count > 50, "strace printed too few lines: \(theirs.count)")
        Self.compare(left, right, what: "strace_cases")
    }

    @Test func aThreadsExecveReplacesItsLeaderAsInStrace() throws {
        let (theirs, ours) = try Self.bothTraces("execthread")
        // Exactly as printed (no merging): the split lines are what strace prints here.
        func subject(_ lines: [(pid: Int32, text: String)]) -> [String] {
            let kept = lines.filter { line in
                ["read(10,", "<... read resumed>", "execve(\"/proc/self/exe\"", "+++ superseded", "<... execve resumed>", "+++ exited"]
                    .contains { line.text.hasPrefix($0) }
            }
            return Self.normalise(kept)
        }
        let left = subject(ours), right = subject(theirs)
        #expect(right.contains { $0.contains("+++ superseded by execve in pid P") }, "strace: \(right)")
        Self.compare(left, right, what: "execthread")
    }

    @Test func aGroupStopPrintsStracesStoppedByLine() throws {
        let (theirs, ours) = try Self.bothTraces("stopcont")
        func signals(_ lines: [(pid: Int32, text: String)]) -> [String] {
            Self.normalise(lines.filter { $0.text.hasPrefix("---") && !$0.text.hasPrefix("--- SIGCHLD") })
        }
        let left = signals(ours), right = signals(theirs)
        #expect(right.contains { $0.hasSuffix("--- stopped by SIGSTOP ---") }, "strace: \(right)")
        Self.compare(left, right, what: "stopcont")
    }

    @Test func aShortDifferentialFuzzRunPrintsAsStraceDoes() throws {
        let (theirs, ours) = try Self.bothTraces("syscall_fuzz", ["7", "400"])
        let left = Self.normalise(Self.betweenMarkers(Self.merged(ours)))
        let right = Self.normalise(Self.betweenMarkers(Self.merged(theirs)))
        #expect(right.count > 800, "strace printed too few lines: \(theirs.count)")
        Self.compare(left, right, what: "syscall_fuzz 7 400")
    }

    // MARK: - Running both

    /// `strace -f -o` and the tracer (through strace's interleaving writer) on one fixture, each
    /// in a fresh working directory of its own.
    static func bothTraces(_ fixture: String, _ arguments: [String] = []) throws
        -> (strace: [(pid: Int32, text: String)], ours: [(pid: Int32, text: String)]) {
        let program = try Fixture.path(fixture)
        let base = "\(Fixture.buildDirectory)/\(fixture)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let straceDirectory = base + "-strace", ourDirectory = base + "-ours"
        mkdir(straceDirectory, 0o755)
        mkdir(ourDirectory, 0o755)
        defer { _ = try? Fixture.runCommand(["rm", "-rf", straceDirectory, ourDirectory]) }
        let output = straceDirectory + ".trace"
        defer { unlink(output) }
        _ = try Fixture.runCommand(["sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", straceDirectory,
                                    "timeout", "60", "strace", "-f", "-o", output, "--", program] + arguments,
                                   stdoutPath: "/dev/null")
        let theirs = parse(try StraceDifferentialTests.readFile(output))

        var request = TraceRequest(executable: program, arguments: arguments)
        request.includeStartup = true
        request.stdin = .null
        request.capture = OutputCapture()
        request.workingDirectory = ourDirectory
        request.timeout = 60
        var interleaving = StraceInterleaving()
        var bytes: [UInt8] = []
        _ = try Tracer.run(request, onEvent: { event in
            interleaving.append(event, pidPrefix: .column, to: &bytes)
        }, onUnfinished: { call in
            interleaving.unfinished(call, pidPrefix: .column, to: &bytes)
        })
        return (theirs, parse(String(decoding: bytes, as: UTF8.self)))
    }

    /// `PID  text` lines.
    static func parse(_ text: String) -> [(pid: Int32, text: String)] {
        text.split(separator: "\n").compactMap { raw in
            let digits = raw.prefix { $0.isNumber }
            guard let pid = Int32(digits) else { return nil }
            return (pid, String(raw.dropFirst(digits.count).drop { $0 == " " }))
        }
    }

    /// Each call split by `<unfinished ...>` joined with its `<... NAME resumed>` rest.
    static func merged(_ lines: [(pid: Int32, text: String)]) -> [(pid: Int32, text: String)] {
        var result: [(pid: Int32, text: String)?] = []
        var open: [Int32: (index: Int, head: String)] = [:]
        for (pid, text) in lines {
            if text.hasSuffix(" <unfinished ...>") && !text.hasPrefix("<...") {
                open[pid] = (result.count, String(text.dropLast(" <unfinished ...>".count)))
                result.append(nil)
            } else if text.hasPrefix("<... "), let close = text.firstIndex(of: ">"), let started = open.removeValue(forKey: pid) {
                result[started.index] = (pid, started.head + text[text.index(after: close)...])
            } else {
                result.append((pid, text))
            }
        }
        for (pid, started) in open { result[started.index] = (pid, started.head + " <unfinished ...>") }
        return result.compactMap { $0 }
    }

    /// The lines of each process after its first `getppid()` and before its second.
    static func betweenMarkers(_ lines: [(pid: Int32, text: String)]) -> [(pid: Int32, text: String)] {
        var markers: [Int32: Int] = [:]
        var kept: [(pid: Int32, text: String)] = []
        for line in lines {
            if line.text.hasPrefix("getppid(") { markers[line.pid, default: 0] += 1; continue }
            if markers[line.pid] == 1 { kept.append(line) }
        }
        return kept
    }

    /// Pids named P1, P2… in the order they were handed out (in the text too), CPU times
    /// blanked, padding collapsed.
    static func normalise(_ lines: [(pid: Int32, text: String)]) -> [String] {
        var pids = Set(lines.map(\.pid)).sorted()
        for (_, text) in lines {  // processes named only in the text: what a clone or fork returned, a signal's sender
            for named in [madeProcess(text), signalSender(text)] {
                if let named, !pids.contains(named) { pids.append(named) }
            }
        }
        pids = inCreationOrder(pids)
        return lines.map { line in
            var text = "[P\(pids.firstIndex(of: line.pid).map { $0 + 1 } ?? 0)] " + line.text
            for (index, pid) in pids.enumerated().reversed() {
                text = replacingWord(String(pid), with: "P\(index + 1)", in: text)
            }
            text = blankNumbers(after: "tv_usec=", in: text)
            text = blankNumbers(after: "si_utime=", in: text)
            text = blankNumbers(after: "si_stime=", in: text)
            return StraceDifferentialTests.collapseAlignment(text)
        }
    }

    /// The pid a process-making call's line says it returned (`clone(…) = 4321`, its resumed half
    /// too), else nil. Only those: another number in such a line is no pid (strace_cases asks
    /// clone3 for set_tid=[1234, -1]), and taken for one it was numbered among the pids, before
    /// or after the run's own depending on where the counter stood (the run's pid above 1234 or,
    /// after a wrap, below it).
    static func madeProcess(_ text: String) -> Int32? {
        let calls = ["clone(", "clone3(", "fork(", "vfork(", "<... clone resumed>", "<... clone3 resumed>", "<... fork resumed>", "<... vfork resumed>"]
        guard calls.contains(where: { text.hasPrefix($0) }), let equals = text.ranges(of: "= ").last else { return nil }
        guard let value = Int32(text[equals.upperBound...].prefix { $0.isNumber }), value > 0 else { return nil }
        return value
    }

    /// The `si_pid=` of a signal's or a child's siginfo, else nil.
    static func signalSender(_ text: String) -> Int32? {
        guard let field = text.ranges(of: "si_pid=").first else { return nil }
        return Int32(text[field.upperBound...].prefix { $0.isNumber }).flatMap { $0 > 0 ? $0 : nil }
    }

    /// `pids` in the order the kernel handed them out: numeric order, except that the counter
    /// wraps at pid_max (a child made after the wrap has a smaller number than its parent; a
    /// suite that forks thousands of processes meets it). One run's pids sit close together on
    /// that ring, so its first pid is the one after the widest gap.
    static func inCreationOrder(_ pids: [Int32]) -> [Int32] {
        let sorted = pids.sorted()
        guard let first = sorted.first, let last = sorted.last, sorted.count > 1 else { return sorted }
        let text = (try? StraceDifferentialTests.readFile("/proc/sys/kernel/pid_max")) ?? ""
        let pidMax = text.split(separator: "\n").first.flatMap { Int64($0) } ?? 4_194_304
        var start = 0
        var widest = Int64(first) + pidMax - Int64(last)
        for index in 1..<sorted.count where Int64(sorted[index]) - Int64(sorted[index - 1]) > widest {
            widest = Int64(sorted[index]) - Int64(sorted[index - 1])
            start = index
        }
        return Array(sorted[start...] + sorted[..<start])
    }

    static func replacingWord(_ word: String, with replacement: String, in text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: word) {
            let before = rest[..<range.lowerBound].last ?? " "
            let after = rest[range.upperBound...].first ?? " "
            out += rest[..<range.lowerBound]
            // Part of a longer word is no pid: a hex value's digits (`0x…b941cc6`), a decimal's.
            let inWord = { (c: Character) in c.isLetter || c.isNumber || c == "_" }
            out += inWord(before) || inWord(after) ? word : replacement
            rest = rest[range.upperBound...]
        }
        return out + rest
    }

    static func blankNumbers(after marker: String, in text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: marker) {
            out += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let digits = rest.prefix { $0.isNumber }
            out += digits.isEmpty ? "" : "N"
            rest = rest.dropFirst(digits.count)
        }
        return out + rest
    }

    static func compare(_ ours: [String], _ strace: [String], what: String) {
        #expect(ours.count == strace.count, "\(what): ours \(ours.count) lines, strace \(strace.count)")
        var shown = 0
        for (index, (mine, theirs)) in zip(ours, strace).enumerated() where mine != theirs && shown < 10 {
            shown += 1
            Issue.record("\(what) line \(index):\n  ours:   \(mine)\n  strace: \(theirs)")
        }
        if ours.count != strace.count {
            Issue.record("\(what): ours ends \(ours.suffix(3)), strace ends \(strace.suffix(3))")
        }
    }
}

/// Only what a process-making call returned is a pid named in the text.
@Test func onlyAProcessMakingCallsReturnIsTakenForAPid() {
    #expect(StraceFixtureTests.madeProcess("clone(child_stack=NULL, flags=SIGCHLD) = 4321") == 4321)
    #expect(StraceFixtureTests.madeProcess("<... clone resumed>, child_tidptr=0x7f) = 312") == 312)
    #expect(StraceFixtureTests.madeProcess("clone3({flags=0, set_tid=[1234, -1], set_tid_size=2}, 88) = -1 EINVAL (Invalid argument)") == nil)
    #expect(StraceFixtureTests.madeProcess("wait4(4321, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], __WALL, NULL) = 4321") == nil)
    #expect(StraceFixtureTests.madeProcess("getpid() = 4321") == nil)
    #expect(StraceFixtureTests.signalSender("--- SIGCONT {si_signo=SIGCONT, si_code=SI_USER, si_pid=16469, si_uid=0} ---") == 16469)
    #expect(StraceFixtureTests.signalSender("--- SIGSTOP {si_signo=SIGSTOP, si_code=SI_KERNEL} ---") == nil)
    // A pid's digits inside a hex value or a longer number are left alone.
    #expect(StraceFixtureTests.replacingWord("941", with: "P1", in: "[pid 941] clone3({parent_tid=0x6242405a0b941cc6, x=9410}) = 941")
            == "[pid P1] clone3({parent_tid=0x6242405a0b941cc6, x=9410}) = P1")
}

/// Pids are numbered in the order the kernel handed them out, across its counter's wrap.
@Test func pidsAreNumberedInTheOrderTheyWereMadeAcrossTheWrap() {
    #expect(StraceFixtureTests.inCreationOrder([501, 500, 502]) == [500, 501, 502])
    let pidMax = Int32((try? StraceDifferentialTests.readFile("/proc/sys/kernel/pid_max"))?.split(separator: "\n").first ?? "") ?? 4_194_304
    #expect(StraceFixtureTests.inCreationOrder([310, pidMax - 2, 305, pidMax - 1]) == [pidMax - 2, pidMax - 1, 305, 310])
}
