// The run's cgroups beyond what the hostile suite shows: the mount table read right, cgroup v1
// alone (no cgroup.kill: killed by listing) killing and removing everything, stale cgroups of a
// dead grader swept. (cgroup v2's memory and pids controllers are bound to v1 on the machines
// this was written on; docs/sandbox.md says what could not be exercised.)
import Foundation
import Testing
@testable import Sandbox

@Test func cgroupMountsAreReadFromTheMountTable() {
    let table = """
        30 24 0:26 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory
        31 24 0:27 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        32 24 0:28 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        33 24 0:29 / /sys/fs/cgroup/cpu\\040set rw - cgroup cgroup rw,cpuset
        34 24 0:30 /sub /mnt/other rw - cgroup2 cgroup2 rw
        35 24 0:31 / /srv/with\\040space rw - cgroup cgroup rw,freezer
        """
    let mounts = CgroupMounts.parse(table)
    #expect(mounts.unified == "/sys/fs/cgroup/unified")
    #expect(mounts.v1 == ["memory": "/sys/fs/cgroup/memory", "pids": "/sys/fs/cgroup/pids", "freezer": "/srv/with space"])
    #expect(CgroupMounts.unescape("a\\134b\\011c") == "a\\b\tc")
}

/// With cgroup v1 alone (a machine without cgroup.kill), every process of the run is killed by
/// listing and the cgroups go, even with processes forking and one that left its session.
/// (Bounded by its own deadlines; the time limit is a backstop: the whole suite's blocking tests
/// share two threads, and a test's clock runs while it waits for one.)
@Test(.timeLimit(.minutes(10)))
func cgroupV1AloneKillsEveryProcessAndIsRemoved() throws {
    let current = CgroupSupport.current
    guard current.memoryV1 != nil || current.pidsV1 != nil else {
        print("no writable cgroup v1 hierarchy here: \(current.notes)")
        return
    }
    let v1Only = CgroupSupport(unified: nil, memoryV1: current.memoryV1, pidsV1: current.pidsV1)
    let cgroup = try #require(try RunCgroup.make(memoryBytes: 64 << 20, processes: 16, support: v1Only))
    #expect(cgroup.unified == nil)
    let first = try #require(cgroup.directories.first)
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/bin/sh")
    // The shell joins (writing its own pid), then starts three sleepers, one in a session of its own.
    let joins = cgroup.directories.map { "echo $$ > \($0)/cgroup.procs" }.joined(separator: "; ")
    shell.arguments = ["-c", "\(joins); setsid sleep 100 & sleep 100 & sleep 100 & wait"]
    shell.standardOutput = FileHandle.nullDevice
    try shell.run()
    var pids: [Int32] = []
    let deadline = Date().addingTimeInterval(20)
    while pids.count < 4 && Date() < deadline { usleep(20_000); pids = CgroupSupport.pids(in: first) }
    #expect(pids.count >= 4, "the processes did not show up in \(first): \(pids)")
    #expect(!cgroup.isEmpty)
    #expect(cgroup.remove())
    try waitBounded(shell, seconds: 10, "the shell in the cgroup")
    for directory in cgroup.directories { #expect(access(directory, F_OK) != 0, "\(directory) is still there") }
    let alive = pids.filter { kill($0, 0) == 0 && !(((try? String(contentsOfFile: "/proc/\($0)/status", encoding: .utf8)) ?? "").contains("State:\tZ")) }
    #expect(alive.isEmpty, "still alive: \(alive)")
}

/// Which hierarchies a run's cgroups go in: v2 when it has a controller the run needs, or when
/// no v1 hierarchy would hold the run; a hybrid machine's v2 without controllers is left out
/// (joining it would take the kernel's threadgroup lock, v1's `tasks` does not).
@Test func aV2HierarchyIsUsedWhenItLimitsSomethingOrNothingElseHoldsTheRun() {
    let bare = (directory: "/sys/fs/cgroup/unified", controllers: Set<String>())
    let full = (directory: "/sys/fs/cgroup", controllers: Set(["memory", "pids"]))
    let hybrid = CgroupSupport(unified: bare, memoryV1: "/sys/fs/cgroup/memory", pidsV1: "/sys/fs/cgroup/pids")
    #expect(!hybrid.usesUnified(memoryBytes: 1 << 20, processes: 16))
    #expect(!hybrid.joinsTakeThreadgroupLock)
    #expect(hybrid.usesUnified(memoryBytes: 0, processes: 0), "nothing else would track the run")
    let pidsOnly = CgroupSupport(unified: bare, memoryV1: nil, pidsV1: "/sys/fs/cgroup/pids")
    #expect(!pidsOnly.usesUnified(memoryBytes: 1 << 20, processes: 16))
    #expect(pidsOnly.usesUnified(memoryBytes: 1 << 20, processes: 0), "v1 would hold nothing of this run")
    let v2 = CgroupSupport(unified: full, memoryV1: nil, pidsV1: nil)
    #expect(v2.usesUnified(memoryBytes: 1 << 20, processes: 16))
    #expect(v2.joinsTakeThreadgroupLock)
    let v2WithPids = CgroupSupport(unified: (bare.directory, ["pids"]), memoryV1: "/sys/fs/cgroup/memory", pidsV1: nil)
    #expect(v2WithPids.usesUnified(memoryBytes: 1 << 20, processes: 16))
    #expect(!CgroupSupport(unified: nil, memoryV1: "/m", pidsV1: "/p").joinsTakeThreadgroupLock)
}

/// A sandboxed program is in the cgroups its run was given, and in no v2 cgroup of ours when
/// the run got none there: what the choice above decides, as the kernel lists it for the program.
/// (Where this process may make no cgroup, the program is in none of ours.)
@Test func aRunIsInTheCgroupsItWasGiven() throws {
    let support = CgroupSupport.current
    let binary = try Fixtures.build("own_cgroups")
    let run = try Sandbox.run(executable: binary, arguments: [], stdin: nil, files: [:], environment: [:],
                              limits: testLimits, pinCPU: nil)
    let listed = String(decoding: run.outcome.run.stdout, as: UTF8.self)
    #expect(run.status == nil && run.outcome.run.exit == .exited(status: 0), "\(run.notes) \(listed)")
    // "N:controllers:/path": the path of each hierarchy, by its controllers ("" for v2).
    var paths: [String: String] = [:]
    for line in listed.split(separator: "\n") {
        let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else { continue }
        for controller in fields[1].split(separator: ",", omittingEmptySubsequences: false) { paths[String(controller)] = String(fields[2]) }
        if fields[1].isEmpty { paths[""] = String(fields[2]) }
    }
    let ours = "/" + CgroupSupport.ownerPrefix
    func inOurs(_ key: String) -> Bool { paths[key]?.contains(ours) == true }
    #expect(inOurs("") == support.usesUnified(memoryBytes: testLimits.memoryBytes, processes: testLimits.processes), "\(listed)")
    if support.memoryV1 != nil, support.unified?.controllers.contains("memory") != true { #expect(inOurs("memory"), "\(listed)") }
    if support.pidsV1 != nil, support.unified?.controllers.contains("pids") != true { #expect(inOurs("pids"), "\(listed)") }
    if !support.isAvailable { #expect(!listed.contains(ours), "\(listed)") }
}

/// A cgroup a dead grader left (its name's pid and start time run no more) is emptied and
/// removed by the next grader; one of a live grader is left alone.
@Test func staleCgroupsOfADeadGraderAreSwept() throws {
    let current = CgroupSupport.current
    guard let base = current.unified?.directory ?? current.pidsV1 ?? current.memoryV1 else {
        print("no cgroup of our own here: \(current.notes)")
        return
    }
    let dead = base + "/lessons-\(getpid())-1-\(UInt32.random(in: 0...UInt32.max))"  // our pid, another start: a reused pid
    let live = base + "/\(CgroupSupport.ownerPrefix)\(UInt32.random(in: 0...UInt32.max))"
    #expect(mkdir(dead, 0o755) == 0)
    #expect(mkdir(live, 0o755) == 0)
    defer { rmdir(live); rmdir(dead) }
    let removed = CgroupSupport.sweepStale(in: [base], unified: current.unified?.directory)
    #expect(removed.contains(dead))
    #expect(!removed.contains(live))
    #expect(access(dead, F_OK) != 0)
    #expect(access(live, F_OK) == 0)
}

/// A scratch directory is stale when its owner's lock is free and its pid no longer runs with the
/// recorded start time (a pid alone is reused, or belongs to another pid namespace); a live
/// grader's (locked), and an older version's whose pid runs, stay.
@Test func staleScratchDirectoriesAreRecognisedByLockAndStartTime() throws {
    let parent = NSTemporaryDirectory() + "lessons-stale-scratch-\(getpid())"
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    defer { ScratchDirectory.removeTree(parent) }
    func make(_ name: String, owner: String) throws -> String {
        let directory = parent + "/" + name
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try owner.write(toFile: directory + "/owner", atomically: true, encoding: .utf8)
        return directory
    }
    let reused = try make("lessons-run-reused", owner: "\(getpid()) 1\n")           // our pid, another process's start
    let live = try make("lessons-run-live00", owner: "\(getpid()) \(ProcessStart.own)\n")
    let old = try make("lessons-run-old000", owner: "\(getpid())\n")                // an older version: pid only
    let locked = try make("lessons-run-locked", owner: "\(getpid()) 1\n")
    let lock = open(locked + "/owner", O_RDONLY | O_CLOEXEC)
    #expect(flock(lock, LOCK_EX) == 0)
    defer { close(lock) }
    let removed = ScratchDirectory.sweepStale(in: parent)
    #expect(removed == [reused])
    for kept in [live, old, locked] { #expect(access(kept, F_OK) == 0, "\(kept) was removed") }
}

/// A grader killed between making its scratch directory and writing its pid into `owner`
/// leaves a directory with no owner file or an empty one: swept once it is older than a
/// maker could take, never while a maker may still be writing.
@Test func scratchDirectoriesWithoutAnOwnersPidAreSweptOnceTheyAreOld() throws {
    let parent = NSTemporaryDirectory() + "lessons-sweep-ownerless-\(getpid())"
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    defer { ScratchDirectory.removeTree(parent) }
    let old = timeval(tv_sec: time(nil) - ScratchDirectory.ownerlessSeconds - 60, tv_usec: 0)
    func make(_ name: String, owner: String?, aged: Bool) throws -> String {
        let directory = parent + "/" + name
        try FileManager.default.createDirectory(atPath: directory + "/work", withIntermediateDirectories: true)
        if let owner { try owner.write(toFile: directory + "/owner", atomically: false, encoding: .utf8) }
        if aged {
            var times = [old, old]
            try #require(utimes(owner == nil ? directory : directory + "/owner", &times) == 0)
        }
        return directory
    }
    let emptyOld = try make("lessons-run-empty0", owner: "", aged: true)
    let emptyNew = try make("lessons-run-empty1", owner: "", aged: false)
    let missingOld = try make("lessons-run-none00", owner: nil, aged: true)
    let missingNew = try make("lessons-run-none01", owner: nil, aged: false)
    let removed = Set(ScratchDirectory.sweepStale(in: parent))
    #expect(removed == [emptyOld, missingOld])
    for kept in [emptyNew, missingNew] { #expect(access(kept, F_OK) == 0, "\(kept) was removed") }
    for gone in [emptyOld, missingOld] { #expect(access(gone, F_OK) != 0, "\(gone) is still there") }
}

/// The paths a run takes without a mount namespace (a normal user where user namespaces are not
/// allowed): the scratch directory on the machine is its only writable place, nothing escapes.
@Test(arguments: ["write_outside", "read_secrets", "symlinks_out", "exec_shell", "echo_environment"])
func withoutAMountNamespace(_ fixture: String) throws {
    let binary = try Fixtures.build(fixture)
    let marker = HostileCase.marker + "-nomount-\(fixture)"
    let arguments = fixture == "read_secrets" ? [URL(fileURLWithPath: #filePath).path] : fixture == "echo_environment" ? [] : [marker]
    let run = try Sandbox.run(executable: binary, arguments: arguments, stdin: nil, files: [:], environment: [:],
                              limits: testLimits, pinCPU: nil, trace: SandboxTraceOptions(), onEvent: nil,
                              without: [.mountNamespace, .privateProc])
    let stdout = String(decoding: run.outcome.run.stdout, as: UTF8.self)
    #expect(run.status == nil, "\(run.notes) \(stdout)")
    #expect(!stdout.contains("WRITTEN") && !stdout.contains("READABLE") && !stdout.contains("SHELL-RAN"), "\(stdout)")
    #expect(!FileManager.default.fileExists(atPath: marker))
    if fixture == "echo_environment" {
        #expect(run.workDirectory == run.scratchDirectory + "/work")
        #expect(stdout.contains("cwd=\(run.workDirectory)\n"), "\(stdout)")
    } else {
        #expect(run.outcome.run.exit == .exited(status: 0), "\(stdout)")
    }
}
