// The hostile suite as a class: every program of Tests/Fixtures/hostile is one student's
// answer to a tiny exercise (Tests/Fixtures/hostile-pack: print "ok\n", CPU 1 s, wall 3 s,
// 64 MiB), graded together by `Grader.grade` with two worker processes. Each student's status
// must be what the sandbox's own hostile suite expects of that program (a program that ends on
// its own prints something else than "ok", so `failed`), the reports must hold every student
// and escape what the programs printed, and nothing may survive or escape the run.
// Beside the programs, hostile class folders (symbolic links at every level, a FIFO, a device,
// a huge file, hard links) and a worker that crashes on one submission: that submission alone
// is an internal error.

import Foundation
import Notebook
@testable import Sandbox
import Testing
@testable import Grading

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
        "clone_parent": (.timeout, false),
        "exec_from_thread": (.crashed, false),
        "fill_disk": (.failed, false),
        "shared_memory": (.failed, false),
        "private_tmp": (.failed, false),
        "echo_environment": (.failed, false),
        "write_flood": (.timeout, false),
        "fake_disk_full": (.compileError, false),
        "huge_binary": (.compileError, false),
    ]
    /// Need the private tmpfs scratch (fill_disk would really fill the disk without it).
    static let needsMountNamespace: Set<String> = ["fill_disk", "shared_memory", "list_processes", "private_tmp"]

    /// Where the programs try to write with their default arguments (the case passes none).
    static let mustNotExist = ["/tmp/lessons-hostile-daemon-marker", "/var/tmp/lessons-hostile-escape",
                               "/var/tmp/lessons-hostile-symlink", "/var/tmp/lessons-hostile-via-link",
                               "/var/tmp/lessons-hostile-dir", "/dev/shm/lessons-escape", "/etc/lessons-escape",
                               "/var/tmp/lessons-escape", "/dev/shm/lessons-hostile-shm", "/tmp/lessons-hostile-private"]

    /// Live processes carrying the pack's case variable (LESSONS_HOSTILE_CLASS=1): a program
    /// of this class that outlived its run. `owners`: this process and its grading workers
    /// (each run's scratch folder names the process that ran it).
    static func survivors(owners: Set<Int32>) -> [String] {
        ScratchDirectory.entries(of: "/proc").compactMap { Int32($0) }.compactMap { pid -> String? in
            guard let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ"),
                  environ.split(separator: 0).contains(where: { $0.elementsEqual("LESSONS_HOSTILE_CLASS=1".utf8) }),
                  let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                  !status.contains("\nState:\tZ") else { return nil }
            let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? "?"
            // A run of another grader on this machine (another `swift test` of this suite, e.g. a
            // second worktree or CI job) carries the same variable: its scratch directory's
            // `owner` file names that grader's pid. Only this process's runs are ours to judge.
            if let owner = scratchOwner(of: exe), !owners.contains(owner) { return nil }
            let state = status.split(separator: "\n").first { $0.hasPrefix("State:") } ?? ""
            return "\(pid) \(exe) \(state)"
        }
    }

    /// The grader pid in `/tmp/lessons-run-*/owner` for a program inside that scratch directory.
    static func scratchOwner(of exe: String) -> Int32? {
        let parts = exe.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count > 3, parts[0].isEmpty, parts[1] == "tmp", parts[2].hasPrefix("lessons-run-"),
              let text = try? String(contentsOfFile: "/tmp/\(parts[2])/owner", encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

@Test(.timeLimit(.minutes(3)))
func hostileProgramsGradedAsAClass() throws {
    let loaded = LoadedPack.load(directory: HostileClass.pack)
    try #require(loaded.problems.isEmpty, "\(loaded.problems)")
    let exercises = loaded.exercises
    try #require(exercises.map(\.fullID) == ["hostile/ok", "hostile/roomy"])

    let mountNamespace = Isolation.current.available.contains(.mountNamespace)
    let names = try FileManager.default.contentsOfDirectory(atPath: HostileClass.programs)
        .filter { $0.hasSuffix(".c") }.map { String($0.dropLast(2)) }
        .filter { mountNamespace || !HostileClass.needsMountNamespace.contains($0) }.sorted()
    // Every hostile program is in the table: a new fixture must say what grading it gives.
    for name in names { #expect(HostileClass.expected[name] != nil, "no expected status for \(name)") }

    // The class: one folder per program, plus a control student who passes.
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("lessons-hostile-class-\(getpid())").path
    try? FileManager.default.removeItem(atPath: root)
    defer { try? FileManager.default.removeItem(atPath: root) }
    for name in names {
        let exercise = HostileClass.expected[name]?.roomy == true ? "roomy" : "ok"
        let folder = "\(root)/\(name)/hostile"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(HostileClass.programs)/\(name).c", toPath: "\(folder)/\(exercise).c")
    }
    try FileManager.default.createDirectory(atPath: "\(root)/zz-control/hostile", withIntermediateDirectories: true)
    let control = "#include <stdio.h>\nint main(void) { puts(\"ok\"); return 0; }\n"
    try control.write(toFile: "\(root)/zz-control/hostile/ok.c", atomically: true, encoding: .utf8)
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
    // The flood's trace was cut, and the report says so.
    let flood = graded.students.first { $0.id == "write_flood" }?.exercises.first { $0.exercise == "hostile/ok" }
    #expect(flood?.cases.first?.notes.contains { $0.hasPrefix("trace cut at its 64 MiB budget") } == true,
            "\(String(describing: flood?.cases.first?.notes))")
    // The crashing worker cost zz-crash's submission only: one internal error, reported apart,
    // tried twice; every other student was graded.
    #expect(graded.internalErrors.map { "\($0.student) \($0.exercise)" } == ["zz-crash hostile/ok"], "\(graded.internalErrors)")
    let crash = graded.internalErrors.first?.notes ?? []
    #expect(crash.count == 2 && crash.allSatisfy { $0.contains("killed by SIGILL") }, "\(crash)")
    #expect(graded.totals.score == 2)

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
    let early = HostileClass.survivors(owners: owners)
    if !early.isEmpty { print("hostile class: listed right after grading (dying?): \(early)") }
    for path in HostileClass.mustNotExist { #expect(!FileManager.default.fileExists(atPath: path), "\(path) was written") }
    // setsid_double_fork's grandchild would write its marker 3 s after starting.
    Thread.sleep(forTimeInterval: 3)
    #expect(HostileClass.survivors(owners: owners).isEmpty, "survivors: \(HostileClass.survivors(owners: owners))")
    // No worker outlives the grading.
    let liveWorkers = workers.values.filter { kill($0, 0) == 0 }
    #expect(liveWorkers.isEmpty, "workers still alive: \(liveWorkers)")
    #expect(!FileManager.default.fileExists(atPath: "/tmp/lessons-hostile-daemon-marker"))
    // Other tests of this process may be running programs right now, each in a scratch
    // directory of its own that goes when its run ends: a leftover is one that never goes.
    func scratchDirectories() -> Set<String> {
        Set(ScratchDirectory.entries(of: "/tmp").filter { $0.hasPrefix("lessons-run-") }.filter { entry in
            Int32((try? String(contentsOfFile: "/tmp/\(entry)/owner", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
                .map(owners.contains) ?? false
        })
    }
    var leftovers = scratchDirectories()
    let settled = ContinuousClock.now.advanced(by: .seconds(20))
    while !leftovers.isEmpty && ContinuousClock.now < settled {
        Thread.sleep(forTimeInterval: 0.5)
        leftovers.formIntersection(scratchDirectories())
    }
    #expect(leftovers.isEmpty, "scratch directories left: \(leftovers.sorted())")
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
