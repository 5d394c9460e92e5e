// Process ids and the run's uid as names in reports: `<pid 1>` for the first process, `<pid 2>`
// for the next one seen, `<run uid>` for the uid the sandbox gave the run. Real pids and the
// fresh uid of each run change from run to run; with names, two gradings of a forking program
// write identical reports (docs/grading.md, "only timings vary").

import Syscalls

struct PidNames: Sendable {
    /// Pid value → its number in order of appearance (the first process is 1).
    private(set) var numbers: [Int32: Int] = [:]
    private var count = 0
    let runUID: UInt32?

    /// Calls whose return value is a pid, and calls whose arguments are pids.
    static let returnsPid: Set<String> = ["clone", "clone3", "fork", "vfork", "wait4", "waitpid", "getpid", "getppid",
                                          "gettid", "set_tid_address", "getpgid", "getsid", "getpgrp", "setsid"]
    static let takesPids: Set<String> = ["wait4", "waitpid", "waitid", "kill", "tkill", "tgkill", "getpgid", "setpgid",
                                         "getsid", "prlimit64", "pidfd_open", "process_vm_readv", "process_vm_writev",
                                         "sched_setaffinity", "sched_getaffinity", "sched_setscheduler", "sched_getscheduler",
                                         "sched_getparam", "sched_setparam", "rt_sigqueueinfo", "rt_tgsigqueueinfo",
                                         "get_robust_list", "ptrace"]
    static let returnsUid: Set<String> = ["getuid", "geteuid", "getgid", "getegid"]
    static let takesUids: Set<String> = ["setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
                                         "chown", "fchown", "lchown", "fchownat"]

    init(_ run: ProgramRun, runUID: UInt32?) {
        self.runUID = runUID
        note(run.rootPid)
        var spawned: [Int32] = []
        var cloned: [Int64] = []
        for event in run.events {
            note(event.pid)
            switch event.kind {
            case .spawned(let child, _):
                note(child)
                spawned.append(child)
            case .syscall(let call):
                if ["clone", "clone3", "fork", "vfork"].contains(call.name), let value = call.returnValue, value > 0 {
                    cloned.append(value)
                } else if PidNames.returnsPid.contains(call.name), let value = call.returnValue, value > 0, value <= Int64(Int32.max) {
                    note(Int32(value))  // getppid: the sandbox's own process, a pid like any other
                }
            case .signal(let signal):
                if let sender = signal.senderPid, sender > 0 { note(sender) }
            default:
                break
            }
        }
        // In a pid namespace, clone returns the child's pid as the parent sees it, not the
        // tracer's: the n-th successful clone made the n-th new process.
        for (value, child) in zip(cloned, spawned) where value <= Int64(Int32.max) {
            if numbers[Int32(value)] == nil, let number = numbers[child] { numbers[Int32(value)] = number }
        }
    }

    private mutating func note(_ pid: Int32) {
        if numbers[pid] == nil {
            count += 1
            numbers[pid] = count
        }
    }

    func name(_ pid: Int32) -> String { numbers[pid].map { "<pid \($0)>" } ?? String(pid) }

    /// One strace-style line as TraceExcerpt or the matcher rendered it: the `[pid N]` prefix,
    /// pid and uid arguments and return values of the calls that take or give them, and the
    /// `si_pid=`/`si_uid=` of a signal.
    func apply(toLine line: String) -> String {
        var body = Substring(line)
        var prefix = ""
        if body.hasPrefix("[pid "), let close = body.firstIndex(of: "]") {
            let number = body[body.index(body.startIndex, offsetBy: 5)..<close].trimmingCharacters(in: .whitespaces)
            if let pid = Int32(number) {
                prefix = "[\(name(pid))] "
                body = body[body.index(after: close)...].drop { $0 == " " }
            }
        }
        if body.hasPrefix("--- ") {
            return prefix + replacingFields(String(body))
        }
        guard let open = body.firstIndex(of: "(") else { return prefix + body }
        let callName = String(body[..<open])
        var text = String(body)
        if PidNames.takesPids.contains(callName) || PidNames.returnsPid.contains(callName) {
            text = replacing(tokensIn: text, pids: true)
        }
        if PidNames.returnsUid.contains(callName) || PidNames.takesUids.contains(callName) {
            text = replacing(tokensIn: text, pids: false)
        }
        return prefix + text
    }

    /// Free text from the matcher ("the child process 12345 was killed…"): only `process N`
    /// and `pid N` are names, never a bare number that happens to equal a pid.
    func apply(toText text: String) -> String {
        guard !numbers.isEmpty, text.contains("process ") || text.contains("pid ") || text.contains("[pid") else { return text }
        var out = text
        for (pid, number) in numbers.sorted(by: { $0.key > $1.key }) {
            for (before, after) in [("process \(pid)", "process <pid \(number)>"), ("[pid \(pid)]", "[<pid \(number)>]"),
                                    ("pid \(pid)", "<pid \(number)>")] {
                out = replacingWhole(before, with: after, in: out)
            }
        }
        return out
    }

    /// `si_pid=N` and `si_uid=N` in a signal's `{…}`.
    private func replacingFields(_ text: String) -> String {
        var out = text
        for (pid, number) in numbers { out = replacingWhole("si_pid=\(pid)", with: "si_pid=<pid \(number)>", in: out) }
        if let runUID { out = replacingWhole("si_uid=\(runUID)", with: "si_uid=<run uid>", in: out) }
        return out
    }

    /// Every decimal token equal to a known pid (or to the run's uid) in a call's line.
    private func replacing(tokensIn text: String, pids: Bool) -> String {
        var out = ""
        var digits = ""
        var previous: Character = " "
        func flush() {
            defer { digits = "" }
            guard !digits.isEmpty else { return }
            if pids, let value = Int32(digits), let number = numbers[value] { out += "<pid \(number)>"; return }
            if !pids, let runUID, digits == String(runUID) { out += "<run uid>"; return }
            out += digits
        }
        var inString = false
        var escaped = false
        for character in text {
            if inString {
                out.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            if character.isASCII && character.isNumber && (digits.isEmpty ? !(previous.isLetter || previous.isNumber || previous == "_" || previous == "-") : true) {
                digits.append(character)
            } else if !digits.isEmpty && (character.isLetter || character == "_") {
                out += digits  // part of a word or a hex number: not a pid
                digits = ""
                out.append(character)
            } else {
                flush()
                if character == "\"" { inString = true }
                out.append(character)
            }
            previous = character
        }
        flush()
        return out
    }

    /// `needle` replaced where it is not followed by another digit.
    private func replacingWhole(_ needle: String, with replacement: String, in text: String) -> String {
        guard text.contains(needle) else { return text }
        var out = ""
        var rest = Substring(text)
        while let range = rest.range(of: needle) {
            out += rest[..<range.lowerBound]
            let next = rest[range.upperBound...].first
            let before = range.lowerBound == rest.startIndex ? out.last : rest[rest.index(before: range.lowerBound)]
            if next?.isNumber == true || (needle.first?.isNumber == true && before?.isNumber == true) {
                out += rest[range]
            } else {
                out += replacement
            }
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
