// The hostile suite as a class: every program of Tests/Fixtures/hostile is one student's
// answer to a tiny exercise (Tests/Fixtures/hostile-pack: print "ok\n", CPU 1 s, wall 3 s,
// 64 MiB), graded together by `Grader.grade` with two worker processes. Each student's status
// must be what the sandbox's own hostile suite expects of that program (a program that ends on
// its own prints something else than "ok", so `failed`; a submission that pulls a file it may
// not read into its program, `compile-error`), the reports must hold every student, escape what
// the programs printed and quote nothing of the files they tried to read, and nothing may
// survive or escape the run: no process, no cgroup, no scratch directory, no connection to the
// machine. Beside the programs, hostile class folders (symbolic links at every level, a FIFO, a
// device, a huge file, hard links) and a worker that crashes on one submission: that submission
// alone is an internal error.

import Foundation
import Glibc
import Notebook
@testable import Sandbox
import Testing
@testable import Grading
import Vocabulary

enum HostileClass {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let pack = fixtures.appendingPathComponent("hostile-pack").path
    static let programs = fixtures.appendingPathComponent("hostile").path

    /// What each program must get (from Tests/SandboxTests/HostileSuiteTests.swift; a program
    /// that ends on its own is `failed`: it does not print "ok"). `roomy`: graded against the
    /// exercise with more room (the hostile suite gives these programs larger limits too).
    static let expected: [String: (status: Status, roomy: Bool)] = [
        "infinite_loop": (.timeout, false),
        "sleep_forever": (.timeout, false),
        "fork_bomb": (.timeout, false),
        "setsid_double_fork": (.timeout, false),
        "kill_everything": (.failed, false),
        "stop_parent": (.failed, false),
        "ptrace_traceme": (.failed, false),
        "allocate_forever": (.memoryLimit, false),
        "stdout_flood": (.outputLimit, false),
        "stderr_flood": (.outputLimit, false),
        "socket_connect": (.failed, false),
        "write_outside": (.failed, false),
        "read_secrets": (.failed, false),
        "exec_shell": (.failed, false),
        "exec_via_loader": (.crashed, false),
        "closed_descriptors": (.failed, false),
        "ignore_sigterm": (.timeout, false),
        "spinning_threads": (.timeout, false),
        "deep_recursion": (.crashed, false),
        "raise_segv": (.crashed, false),
        "divide_by_zero": (.crashed, false),
        "many_files": (.failed, true),
        "big_file": (.outputLimit, false),
        "symlinks_out": (.failed, false),
        "huge_bss": (.memoryLimit, false),
        "hostile_output": (.failed, false),
        "kill_group": (.crashed, false),
        "ignore_xcpu": (.timeout, false),
        "list_processes": (.failed, false),
        "threads_malloc": (.failed, true),
        "stop_self": (.timeout, false),
        "clone_parent": (.failed, false),
        "exec_from_thread": (.crashed, false),
        "fill_disk": (.failed, false),
        "shared_memory": (.failed, false),
        "private_tmp": (.failed, false),
        "echo_environment": (.failed, false),
        "read_mountinfo": (.failed, false),
        // Issue 12: an untraced child (refused), its work, a socket of the machine, memory for
        // the run as a whole (where a cgroup holds it), the compiler reading what it must not.
        "untraced_clone_hang": (.failed, false),
        "untraced_shell": (.failed, false),
        "unix_socket_connect": (.failed, false),
        "network_namespace": (.failed, false),
        "own_cgroups": (.failed, false),
        "fork_memory": (CgroupSupport.current.limitsMemory ? .memoryLimit : .failed, true),
        "compile_incbin_shadow": (.compileError, false),
        "compile_incbin_solution": (.compileError, false),
        "compile_include_sibling": (.compileError, false),
        "compile_swift_secrets": (.compileError, false),
        // Issue 12, items 4, 6, 9 (the grader's side).
        "write_flood": (.timeout, false),
        "fake_disk_full": (.compileError, false),
        "huge_binary": (.compileError, false),
    ]
    /// Need the private tmpfs scratch (fill_disk would really fill the disk without it).
    static let needsMountNamespace: Set<String> = ["fill_disk", "shared_memory", "private_tmp", "read_mountinfo"]
    /// Need a /proc of the run's own (root only).
    static let needsPrivateProc: Set<String> = ["list_processes"]

    /// Where the programs try to write with their default arguments (the case passes none).
    static let mustNotExist = ["/tmp/lessons-hostile-daemon-marker", "/var/tmp/lessons-hostile-escape",
                               "/var/tmp/lessons-hostile-symlink", "/var/tmp/lessons-hostile-via-link",
                               "/var/tmp/lessons-hostile-dir", "/dev/shm/lessons-escape", "/etc/lessons-escape",
                               "/var/tmp/lessons-escape", "/dev/shm/lessons-hostile-shm", "/tmp/lessons-hostile-private"]

    /// The pack with its case variable made this process's own (LESSONS_HOSTILE_CLASS=<pid>):
    /// another grader's programs (a second worktree, CI) carry another value.
    static func ownPack(in directory: String) throws -> String {
        let copy = directory + "/pack"
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: pack) {
            let text = try String(contentsOfFile: pack + "/" + name, encoding: .utf8)
                .replacingOccurrences(of: "LESSONS_HOSTILE_CLASS=1", with: "LESSONS_HOSTILE_CLASS=\(getpid())")
            try text.write(toFile: copy + "/" + name, atomically: true, encoding: .utf8)
        }
        return copy
    }

    /// Live processes carrying this process's case variable: a program of this class that
    /// outlived its run.
    static func survivors() -> [String] {
        let marker = "LESSONS_HOSTILE_CLASS=\(getpid())"
        return ScratchDirectory.entries(of: "/proc").compactMap { Int32($0) }.compactMap { pid -> String? in
            guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                  environ.split(separator: 0).contains(where: { $0.elementsEqual(marker.utf8) }),
                  let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  !status.contains("\nState:\tZ") else { return nil }
            let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? "?"
            let state = status.split(separator: "\n").first { $0.hasPrefix("State:") } ?? ""
            return "\(pid) \(exe) \(state)"
        }
    }

    /// Cgroups of `owners` (this process and its grading workers) still on the machine: a run's
    /// that was not removed.
    static func leftoverCgroups(owners: Set<Int32>) -> [String] {
        let support = CgroupSupport.current
        return [support.unified?.directory, support.memoryV1, support.pidsV1].compactMap { $0 }.flatMap { base in
            ScratchDirectory.entries(of: base).filter { name in
                let parts = name.split(separator: "-")
                return parts.count == 4 && parts[0] == "lessons" && Int32(parts[1]).map(owners.contains) == true
            }.map { base + "/" + $0 }
        }
    }

    /// A listening UNIX socket of the machine (world-writable, outside /tmp) that the class's
    /// unix_socket_connect tries to reach; `reached` says whether anything came.
    final class Listener {
        let path = "/var/tmp/lessons-hostile-class-socket-\(getpid())"
        private let fd: Int32
        private let datagram: Int32

        init() throws {
            unlink(path)
            unlink(path + ".d")
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            datagram = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            guard Listener.bind(fd, path), listen(fd, 8) == 0, Listener.bind(datagram, path + ".d") else {
                throw SandboxError("cannot make the test's socket \(path): \(String(cString: strerror(errno)))")
            }
            chmod(path, 0o777)
            chmod(path + ".d", 0o777)
        }

        private static func bind(_ fd: Int32, _ path: String) -> Bool {
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
            }
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
            }
        }

        var reached: Bool {
            let client = accept(fd, nil, nil)
            if client >= 0 { close(client); return true }
            var byte: UInt8 = 0
            return recv(datagram, &byte, 1, Int32(MSG_DONTWAIT)) >= 0
        }

        deinit {
            close(fd)
            close(datagram)
            unlink(path)
            unlink(path + ".d")
        }
    }

    /// The fixture's placeholders: the lesson's answer, another student's submission, the socket.
    static func substitute(_ text: String, solution: String, sibling: String, socket: String) -> String {
        text.replacingOccurrences(of: "LESSONS_SECRET_PATH", with: solution)
            .replacingOccurrences(of: "LESSONS_SIBLING_PATH", with: sibling)
            .replacingOccurrences(of: "LESSONS_SOCKET_PATH", with: socket)
    }

    /// Lines of the files the compile fixtures try to read, long enough to mean something if found.
    static func secretLines(_ files: [String]) -> [String] {
        files.flatMap { file -> [String] in
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
            return text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { ($0.count >= 12 && !$0.hasPrefix("#include") && !$0.hasPrefix("//")) || $0.contains("SECRET") }
        }
    }
}

@Test(.timeLimit(.minutes(10)))
func hostileProgramsGradedAsAClass() throws {
    // The class lives outside /tmp: what stands between one student and another's file is then
    // the sandbox's rules (Landlock, uid), not the private /tmp alone.
    let root = "/var/tmp/lessons-hostile-class-\(getpid())"
    try? FileManager.default.removeItem(atPath: root)
    try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    defer { try? FileManager.default.removeItem(atPath: root) }
    let work = NSTemporaryDirectory() + "lessons-hostile-class-work-\(getpid())"
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: work) }

    let loaded = LoadedPack.load(directory: try HostileClass.ownPack(in: work))
    try #require(loaded.problems.isEmpty, "\(loaded.problems)")
    let exercises = loaded.exercises
    try #require(exercises.map(\.fullID) == ["hostile/ok", "hostile/roomy"])

    let available = Isolation.current.available
    let names = try FileManager.default.contentsOfDirectory(atPath: HostileClass.programs)
        .filter { $0.hasSuffix(".c") || ($0.hasSuffix(".swift") && $0.hasPrefix("compile_")) }
        .map { ($0 as NSString).deletingPathExtension }
        .filter { available.contains(.mountNamespace) || !HostileClass.needsMountNamespace.contains($0) }
        .filter { available.contains(.privateProc) || !HostileClass.needsPrivateProc.contains($0) }.sorted()
    // Every hostile program is in the table: a new fixture must say what grading it gives.
    for name in names { #expect(HostileClass.expected[name] != nil, "no expected status for \(name)") }

    // The class: one folder per program, plus a control student who passes.
    try FileManager.default.createDirectory(atPath: "\(root)/zz-control/hostile", withIntermediateDirectories: true)
    let control = "#include <stdio.h>\n// zz-control's own answer: SIBLING-SECRET-\(UUID().uuidString)\nint main(void) { puts(\"ok\"); return 0; }\n"
    try control.write(toFile: "\(root)/zz-control/hostile/ok.c", atomically: true, encoding: .utf8)
    let solutions = HostileClass.fixtures.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Solutions").path
    let answer = try #require(FileManager.default.enumerator(atPath: solutions)?.allObjects.compactMap { $0 as? String }
        .filter { $0.hasSuffix(".c") }.sorted().first)
    let secrets = [solutions + "/" + answer, "\(root)/zz-control/hostile/ok.c", "/etc/shadow"]
    let listener = try HostileClass.Listener()
    for name in names {
        let exercise = HostileClass.expected[name]?.roomy == true ? "roomy" : "ok"
        let folder = "\(root)/\(name)/hostile"
        let file = FileManager.default.fileExists(atPath: "\(HostileClass.programs)/\(name).c") ? "\(name).c" : "\(name).swift"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = try String(contentsOfFile: "\(HostileClass.programs)/\(file)", encoding: .utf8)
        try HostileClass.substitute(text, solution: secrets[0], sibling: secrets[1], socket: listener.path)
            .write(toFile: "\(folder)/\(exercise).\((file as NSString).pathExtension)", atomically: true, encoding: .utf8)
    }
    // Students' folders as a real class has them: readable by anyone on the machine (only the
    // sandbox keeps one student from another). Before the hostile folders: their modes are theirs.
    if let walker = FileManager.default.enumerator(atPath: root) {
        for case let path as String in walker {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            chmod(root + "/" + path, isDirectory.boolValue ? 0o755 : 0o644)
        }
    }
    for path in HostileClass.mustNotExist { unlink(path) }
    let folders = try HostileFolders.make(in: root, control: control)
    defer { folders.cleanup() }

    let clock = ContinuousClock()
    var report: GradeReport?
    let workers = PidList()
    var options = GradeOptions(jobs: 2, cache: nil)
    // The test-only hook: the worker given zz-crash's submission dies of a Swift trap, twice.
    options.workerEnvironment = [GradingWorker.crashHookVariable: "zz-crash/hostile/ok"]
    options.workerStarted = { workers.append($0) }
    // The class is reached through a symbolic link the instructor made: that one is followed.
    let linkedRoot = root + "-link"
    unlink(linkedRoot)
    try FileManager.default.createSymbolicLink(atPath: linkedRoot, withDestinationPath: root)
    defer { unlink(linkedRoot) }
    let elapsed = try clock.measure {
        report = try Grader.grade(directory: linkedRoot, exercises: exercises, tool: "lessons-test", options: options)
    }
    let graded = try #require(report)
    print("hostile class: \(graded.students.count) students graded in \(elapsed) with 2 jobs; \(graded.totals.statuses)")

    // Every student is there, with the status the sandbox suite expects.
    #expect(graded.students.map(\.id) == (names + ["zz-control"] + folders.expected.keys).sorted())
    #expect(!listener.reached, "a run reached the machine's UNIX socket")
    for student in graded.students {
        let byExercise = Dictionary(uniqueKeysWithValues: student.exercises.map { ($0.exercise, $0) })
        if student.id == "zz-control" {
            #expect(byExercise["hostile/ok"]?.status == .passed, "control: \(String(describing: byExercise["hostile/ok"]))")
            continue
        }
        if let folder = folders.expected[student.id] {
            let result = byExercise["hostile/ok"]
            #expect(result?.status == folder.status, "\(student.id): \(String(describing: result)) notes \(student.notes)")
            if let note = folder.note {
                let said = (result?.notes ?? []) + (result.map { [$0.diagnostics] } ?? [])
                #expect(said.contains { $0.contains(note) }, "\(student.id): \(said)")
            }
            continue
        }
        guard let want = HostileClass.expected[student.id] else { continue }
        let graded = byExercise[want.roomy ? "hostile/roomy" : "hostile/ok"]
        let other = byExercise[want.roomy ? "hostile/ok" : "hostile/roomy"]
        let detail = graded.map { result in
            "\(result.status.rawValue): \(result.cases.map { "\($0.status.rawValue) \($0.notes) stdout \($0.stdout.prefix(120).debugDescription)" }) \(result.notes) \(result.diagnostics.prefix(300))"
        } ?? "no result"
        #expect(graded?.status == want.status, "\(student.id): \(detail)")
        #expect(graded?.score == 0)
        #expect(other?.status == .missing)
    }
    // The fake disk-full is the student's compile error: it counts in their maximum.
    #expect(graded.students.first { $0.id == "fake_disk_full" }?.maxScore == 2)
    // The flood's trace was cut (HostileSuiteTests), but it was stopped by its time limit: how far
    // it got, and so whether it reached the budget, depends on the machine's speed, and the
    // report says neither (a loop of calls near the budget made two gradings differ).
    let flood = graded.students.first { $0.id == "write_flood" }?.exercises.first { $0.exercise == "hostile/ok" }
    #expect(flood?.cases.first?.notes.contains { $0.hasPrefix("trace cut at its") } == false,
            "\(String(describing: flood?.cases.first?.notes))")
    // The crashing worker cost zz-crash's submission only: one internal error, reported apart,
    // tried twice; every other student was graded.
    #expect(graded.internalErrors.map { "\($0.student) \($0.exercise)" } == ["zz-crash hostile/ok"], "\(graded.internalErrors)")
    let crash = graded.internalErrors.first?.notes ?? []
    #expect(crash.count == 2 && crash.allSatisfy { $0.contains("killed by SIGILL") }, "\(crash)")
    #expect(graded.totals.score == 1 + folders.expected.values.filter { $0.status == .passed }.count)  // the control and the passing folders
    // What this machine's sandbox lacks (as a normal user: no separate uid, …) is said once, in
    // the report, and in no case.
    let environment = Sandbox.environmentNotes
    #expect((graded.sandbox ?? []) == environment)
    for student in graded.students {
        for result in student.exercises {
            for item in result.cases where item.notes.contains(where: environment.contains) {
                Issue.record("\(student.id) \(result.exercise) case \(item.name) repeats the sandbox notes: \(item.notes)")
            }
        }
    }

    // JSON: valid, every student present, and it decodes back to the same report.
    let json = ReportRenderer.json(graded)
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
    let students = (object?["students"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
    #expect(students == graded.students.map(\.id))
    #expect(try ReportRenderer.decode(Data(json.utf8)) == graded)

    // Text and JUnit: what the programs printed (escape sequences, BEL, BS, CR, NUL, invalid
    // UTF-8, fake verdicts) is escaped, never passed through to the instructor's terminal or
    // the XML.
    let text = ReportRenderer.text(graded)
    let junit = ReportRenderer.junit(graded)
    func rawControls(_ report: String, allowed: Set<UInt32>) -> [String] {
        report.unicodeScalars.filter { ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) && !allowed.contains($0.value) }
            .map { String(format: "U+%04X", $0.value) }
    }
    #expect(rawControls(text, allowed: [0x0A]).isEmpty, "text report carries raw control characters: \(Set(rawControls(text, allowed: [0x0A])))")
    for note in environment { #expect(text.components(separatedBy: note).count == 2, "said once in the text report: \(note)") }
    // Nothing of the files the compile fixtures tried to read, in any report or feedback.
    let rendered = [json, text, junit, ReportRenderer.csv(graded)] + graded.students.flatMap {
        [ReportRenderer.gradescope($0), ReportRenderer.feedback($0)]
    }
    for secret in HostileClass.secretLines(secrets) where rendered.contains(where: { $0.contains(secret) }) {
        Issue.record("a report quotes a line of a file no student may read: \(secret)")
    }
    #expect(rawControls(junit, allowed: [0x0A, 0x09]).isEmpty, "junit report carries raw control characters")
    #expect(junit.components(separatedBy: "<testsuite ").count - 1 == graded.students.count)
    // The hostile output does reach the reports (so the checks above mean something), escaped.
    let hostileDetail = text.components(separatedBy: "\n").drop { !$0.hasPrefix("hostile_output hostile/ok") }.prefix(6)
    print("hostile class, text report:\n" + hostileDetail.joined(separator: "\n"))
    #expect(hostileDetail.contains { $0.contains("PASSED") }, "the hostile output is not in the text report")
    // The fake verdict hostile_output prints does not make it pass anywhere.
    #expect(!text.contains("hostile_output  ✓"))

    // Nothing survived, nothing escaped, nothing left behind.
    // A SIGKILLed process can still be listed for a moment while the kernel tears it down
    // (seen once: a run's process listed 0.3 s after grading returned, gone a second later);
    // what is still there 3 s later survived.
    let owners = Set(workers.values + [getpid()])
    #expect(workers.values.count >= 3, "two workers, and at least one more after each crash: \(workers.values)")
    let early = HostileClass.survivors()
    if !early.isEmpty { print("hostile class: listed right after grading (dying?): \(early)") }
    for path in HostileClass.mustNotExist { #expect(!FileManager.default.fileExists(atPath: path), "\(path) was written") }
    // setsid_double_fork's grandchild would write its marker 3 s after starting.
    Thread.sleep(forTimeInterval: 3)
    #expect(HostileClass.survivors().isEmpty, "survivors: \(HostileClass.survivors())")
    // No worker outlives the grading.
    let liveWorkers = workers.values.filter { kill($0, 0) == 0 }
    #expect(liveWorkers.isEmpty, "workers still alive: \(liveWorkers)")
    #expect(!FileManager.default.fileExists(atPath: "/tmp/lessons-hostile-daemon-marker"))
    // Other tests of this process may be running programs right now, each in a scratch
    // directory (and cgroups) of its own that goes when its run ends: a leftover is one that never
    // goes. (The owner file says "<pid> <start time>".)
    func scratchDirectories() -> Set<String> {
        Set(ScratchParent.all.flatMap { parent in
            ScratchDirectory.entries(of: parent).filter { $0.hasPrefix("lessons-run-") }.filter { entry in
                ((try? String(contentsOfFile: "\(parent)/\(entry)/owner", encoding: .utf8))?.split(separator: " ").first)
                    .flatMap { Int32($0) }.map(owners.contains) ?? false
            }.map { parent + "/" + $0 }
        } + HostileClass.leftoverCgroups(owners: owners))
    }
    var leftovers = scratchDirectories()
    let settled = ContinuousClock.now.advanced(by: .seconds(20))
    while !leftovers.isEmpty && ContinuousClock.now < settled {
        Thread.sleep(forTimeInterval: 0.5)
        leftovers.formIntersection(scratchDirectories())
    }
    #expect(leftovers.isEmpty, "scratch directories or cgroups left: \(leftovers.sorted())")
}

/// Pids told by the grader, from any thread.
final class PidList: @unchecked Sendable {
    private let lock = NSLock()
    private var pids: [Int32] = []
    func append(_ pid: Int32) { lock.lock(); pids.append(pid); lock.unlock() }
    var values: [Int32] { lock.lock(); defer { lock.unlock() }; return pids }
}

/// Student folders that attack the class folder rather than the sandbox (issue #12 item 5):
/// each must get `status` for hostile/ok, and its result must say `note`.
enum HostileFolders {
    struct Expected {
        var status: Status
        var note: String?
    }

    static func make(in root: String, control: String) throws -> (expected: [String: Expected], cleanup: () -> Void) {
        var expected: [String: Expected] = [:]
        let manager = FileManager.default
        func folder(_ student: String) throws -> String {
            let path = "\(root)/\(student)/hostile"
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }
        // The worker checking this one crashes (the crash hook): an internal error, nobody else's.
        try control.write(toFile: try folder("zz-crash") + "/ok.c", atomically: true, encoding: .utf8)
        expected["zz-crash"] = Expected(status: .internalError, note: "killed by SIGILL")
        // A symbolic link as the student's folder, as the lesson folder, as the file.
        try manager.createSymbolicLink(atPath: "\(root)/zz-link-student", withDestinationPath: "zz-control")
        expected["zz-link-student"] = Expected(status: .missing, note: "zz-link-student is a symbolic link")
        try manager.createDirectory(atPath: "\(root)/zz-link-lesson", withIntermediateDirectories: true)
        try manager.createSymbolicLink(atPath: "\(root)/zz-link-lesson/hostile", withDestinationPath: "\(root)/zz-control/hostile")
        expected["zz-link-lesson"] = Expected(status: .missing, note: "hostile/ok.c not graded: hostile is a symbolic link")
        try manager.createSymbolicLink(atPath: try folder("zz-link-file") + "/ok.c", withDestinationPath: "../../zz-control/hostile/ok.c")
        expected["zz-link-file"] = Expected(status: .missing, note: "hostile/ok.c ignored: a symbolic link (links are never followed)")
        // A FIFO where the file should be: opening it to read would wait for a writer for ever.
        #expect(mkfifo(try folder("zz-fifo") + "/ok.c", 0o644) == 0)
        expected["zz-fifo"] = Expected(status: .missing, note: "a FIFO, not a regular file")
        // A device (only root can make one; an archive unpacked as root can carry one).
        // makedev(1, 3): the numbers of /dev/null.
        if mknod(try folder("zz-device") + "/ok.c", S_IFCHR | 0o644, dev_t((1 << 8) | 3)) == 0 {
            expected["zz-device"] = Expected(status: .missing, note: "a character device, not a regular file")
        } else {
            try manager.removeItem(atPath: "\(root)/zz-device")
        }
        // A huge file: a compile error, read no further than the limit.
        try (control + String(repeating: "/* padding padding padding padding padding padding */\n", count: 6000))
            .write(toFile: try folder("zz-huge") + "/ok.c", atomically: true, encoding: .utf8)
        expected["zz-huge"] = Expected(status: .compileError, note: "a program may be at most 256 KiB")
        // Hard links. To a file anyone may read: graded for what it holds (the student could
        // have copied it). To a file its owner alone may read, in a folder of another user: not read.
        let shared = "\(root)-shared-ok.c"
        try control.write(toFile: shared, atomically: true, encoding: .utf8)
        chmod(shared, 0o644)
        #expect(link(shared, try folder("zz-hardlink") + "/ok.c") == 0)
        expected["zz-hardlink"] = Expected(status: .passed, note: nil)
        let secret = "\(root)-secret-ok.c"
        try control.write(toFile: secret, atomically: true, encoding: .utf8)
        chmod(secret, 0o600)
        let secretFolder = try folder("zz-hardlink-secret")
        #expect(link(secret, secretFolder + "/ok.c") == 0)
        if geteuid() == 0 {
            // The student's folder belongs to the student (uid 4242), the file to root.
            chown("\(root)/zz-hardlink-secret", 4242, 4242)
            chown(secretFolder, 4242, 4242)
            expected["zz-hardlink-secret"] = Expected(status: .missing, note: "a hard link to a file of user 0")
        } else {
            expected["zz-hardlink-secret"] = Expected(status: .passed, note: nil)
        }
        return (expected, { unlink(shared); unlink(secret) })
    }
}
