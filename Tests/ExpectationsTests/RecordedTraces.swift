// Real traces (strace -f, ASLR off) of the reference C and Swift programs in
// scripts/expect-fixtures, glibc 2.36, as scripts/expect-fixtures/record.sh writes them into
// RecordedTraces/: for each program NAME, NAME.strace (one `strace -X verbose` run: raw values
// and strace's names together, split apart by StraceLog), NAME.stdout and NAME.stderr. They are
// data, loaded here as test resources.

import Foundation
import Testing

struct RecordedTrace {
    var name: String
    /// The `strace -f -X verbose` log.
    var log: String
    var stdout: String
    var stderr: String
}

enum RecordedTraces {
    static let all: [String: RecordedTrace] = load()

    static func load() -> [String: RecordedTrace] {
        guard let folder = Bundle.module.url(forResource: "RecordedTraces", withExtension: nil),
              let files = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [:] }
        func text(_ name: String, _ part: String) -> String {
            (try? String(contentsOf: folder.appendingPathComponent("\(name).\(part)"), encoding: .utf8)) ?? ""
        }
        var traces: [String: RecordedTrace] = [:]
        for file in files where file.hasSuffix(".strace") {
            let name = String(file.dropLast(".strace".count))
            traces[name] = RecordedTrace(name: name, log: text(name, "strace"),
                                         stdout: text(name, "stdout"), stderr: text(name, "stderr"))
        }
        return traces
    }
}

@Suite struct RecordedTraceFiles {
    @Test func everyRecordedTraceLoads() throws {
        let empty = try #require(RecordedTraces.all["empty"])
        let first = try #require(StraceLog.entries(empty.log).first)
        #expect(first.text.hasPrefix("execve(\"./empty\", [\"./empty\"]"))
        #expect(empty.log.hasSuffix("+++ exited with 0 +++\n"))
        #expect(RecordedTraces.all.count == 22)
    }

    /// One verbose line gives both of strace's other forms.
    @Test func verboseLineSplitsIntoRawAndNamed() {
        let clone = "clone(child_stack=NULL, flags=0x1200000 /* CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID */|17 /* SIGCHLD */, child_tidptr=0x7ffff7dd2a10) = 20470"
        #expect(StraceLog.form(clone, .raw) == "clone(child_stack=NULL, flags=0x1200000|17, child_tidptr=0x7ffff7dd2a10) = 20470")
        #expect(StraceLog.form(clone, .abbreviated)
                == "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7ffff7dd2a10) = 20470")
        let mmap = "mmap(NULL, 8192, 0x3 /* PROT_READ|PROT_WRITE */, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0) = 0x7ffff7fc0000"
        #expect(StraceLog.form(mmap, .raw) == "mmap(NULL, 8192, 0x3, 0x22, -1, 0) = 0x7ffff7fc0000")
        #expect(StraceLog.form(mmap, .abbreviated) == "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7fc0000")
        // Struct fields, counts strace prints in every form, and quoted text stay right.
        let stat = "newfstatat(3, \"a /* b */\", {st_mode=0100644 /* S_IFREG|0644 */, st_size=33519, ...}, 0x1000 /* AT_EMPTY_PATH */) = 0"
        #expect(StraceLog.form(stat, .raw) == "newfstatat(3, \"a /* b */\", {st_mode=0100644, st_size=33519, ...}, 0x1000) = 0")
        #expect(StraceLog.form(stat, .abbreviated) == "newfstatat(3, \"a /* b */\", {st_mode=S_IFREG|0644, st_size=33519, ...}, AT_EMPTY_PATH) = 0")
        let execve = "execve(\"./empty\", [\"./empty\"], 0x7fffffffe6d8 /* 40 vars */) = 0"
        #expect(StraceLog.form(execve, .raw) == execve)
        #expect(StraceLog.form(execve, .abbreviated) == execve)
        let signal = "--- SIGSEGV {si_signo=11 /* SIGSEGV */, si_code=0x2 /* SEGV_ACCERR */, si_addr=0x7ffff7fbf00a} ---"
        #expect(StraceLog.form(signal, .abbreviated) == "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_ACCERR, si_addr=0x7ffff7fbf00a} ---")
        let child = "--- SIGCHLD {si_signo=17 /* SIGCHLD */, si_code=0x1 /* CLD_EXITED */, si_pid=124, si_uid=0, si_status=0, si_utime=10 /* 0.10 s */, si_stime=0} ---"
        #expect(StraceLog.form(child, .raw) == "--- SIGCHLD {si_signo=17, si_code=0x1, si_pid=124, si_uid=0, si_status=0, si_utime=10 /* 0.10 s */, si_stime=0} ---")
        #expect(StraceLog.form(child, .abbreviated)
                == "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=124, si_uid=0, si_status=0, si_utime=10 /* 0.10 s */, si_stime=0} ---")
    }

    /// The recorded calls are built by the tracer's own decoder from strace's raw values where
    /// it prints them as strace did: every memory call of every recording does (their typed
    /// arguments then come from the decoder, not from text), and most calls overall.
    @Test func theDecoderPrintsTheRecordedCallsAsStraceDid() throws {
        var agreeing = 0, calls = 0, memoryCalls = 0
        for trace in RecordedTraces.all.values.sorted(by: { $0.name < $1.name }) {
            for entry in StraceLog.entries(trace.log) where !entry.text.hasPrefix("---") && !entry.text.hasPrefix("+++") {
                let call = try #require(StraceLog.parse(entry.raw, pretty: entry.pretty), "\(trace.name): \(entry.text)")
                calls += 1
                let decoded = StraceLog.decoded(call)
                if decoded != nil { agreeing += 1 }
                if ["mmap", "munmap", "brk", "mprotect"].contains(call.name) {
                    memoryCalls += 1
                    #expect(decoded != nil, "\(trace.name): \(entry.pretty)")
                }
            }
        }
        print("recorded calls the decoder prints as strace did: \(agreeing) of \(calls)")
        #expect(memoryCalls > 0)
    }
}
