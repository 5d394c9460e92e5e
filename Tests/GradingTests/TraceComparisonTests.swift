// A trace block against a real trace (TraceComparison.swift): what a reader sets aside is set
// aside, and every other difference is found, at the right line.

import Testing
@testable import Grading

@Suite("Trace blocks against real runs")
struct TraceComparisonTests {
    /// A recorded block (strace's padding, one run's addresses, random bytes and pids).
    static let recorded = [
        "getrandom(\"\\x29\\xc8\\x4e\\x44\\x2c\\x71\\x06\\x71\", 8, GRND_NONBLOCK) = 8",
        "brk(NULL)                               = 0x556198f7e000",
        "brk(0x556198f9f000)                     = 0x556198f9f000",
        "write(1, \"got 0x556198f7e2a0\\ngot 0x556198f\"..., 95) = 95",
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f633fd2ba10) = 6387",
        "[pid  6387] exit_group(3)               = ?",
        "[pid  6386] wait4(6387, NULL, 0, NULL) = 6387",
        "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=6387, si_uid=2023318273, si_status=3, si_utime=1, si_stime=0} ---",
        "[pid  6386] tgkill(6386, 6386, SIGABRT) = 0",
    ]

    /// Another run of the same program: every set-aside value differs, nothing else.
    static let rerun = [
        "getrandom(\"\\x8f\\xec\\xac\\x0b\\x4c\\x48\\x09\\x20\", 8, GRND_NONBLOCK) = 8",
        "brk(NULL) = 0x55c1badfe000",
        "brk(0x55c1bae1f000) = 0x55c1bae1f000",
        "write(1, \"got 0x55c1badfe2a0\\ngot 0x55c1bae\"..., 95) = 95",
        "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f1111111111) = 9001",
        "[pid 9001] exit_group(3) = ?",
        "[pid 9000] wait4(9001, NULL, 0, NULL) = 9001",
        "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=9001, si_uid=2000000001, si_status=3, si_utime=0, si_stime=0} ---",
        "[pid 9000] tgkill(9000, 9000, SIGABRT) = 0",
    ]

    @Test("addresses, random bytes, pids, uids, CPU times and padding are set aside")
    func setAside() {
        #expect(TraceComparison.compare(recorded: Self.recorded, actual: Self.rerun) == nil)
        #expect(TraceComparison.normalize([Self.recorded[6]]) == ["[<pid 1>] wait4(<pid 2>, NULL, 0, NULL) = <pid 2>"])
    }

    @Test("which process did what still counts: pids are numbered, not erased")
    func pidsKeepTheirRoles() throws {
        var swapped = Self.rerun
        swapped[5] = "[pid 9000] exit_group(3) = ?"   // the parent exits instead of the child
        let difference = try #require(TraceComparison.compare(recorded: Self.recorded, actual: swapped))
        #expect(difference.line == 5)
    }

    @Test("another call, argument, size, count or order is a difference, at its line", arguments: [
        (3, "write(1, \"got 0x55c1badfe2a0\\ngot 0x55c1bae\"..., 96) = 96"),
        (2, "mmap(NULL, 135168, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000"),
        (0, "getrandom(\"\\x8f\\xec\\xac\\x0b\\x4c\\x48\\x09\\x20\", 8, GRND_INSECURE) = 8"),
    ])
    func differences(_ line: Int, _ replacement: String) throws {
        var changed = Self.rerun
        changed[line] = replacement
        let difference = try #require(TraceComparison.compare(recorded: Self.recorded, actual: changed))
        #expect(difference.line == line)
        #expect(difference.actual == TraceComparison.normalize([replacement]).first)
    }

    @Test("a missing or an extra line, and a swapped order, are differences")
    func countAndOrder() throws {
        let shorter = try #require(TraceComparison.compare(recorded: Self.recorded, actual: Array(Self.rerun.dropLast())))
        #expect(shorter.line == 8 && shorter.actual == nil && shorter.recordedCount == 9 && shorter.actualCount == 8)
        let longer = try #require(TraceComparison.compare(recorded: Self.recorded, actual: Self.rerun + ["exit_group(0) = ?"]))
        #expect(longer.line == 9 && longer.recorded == nil)
        var swapped = Self.rerun
        swapped.swapAt(1, 2)
        #expect(try #require(TraceComparison.compare(recorded: Self.recorded, actual: swapped)).line == 1)
    }

    @Test("the loader's files: sizes before main are set aside, the libraries' own calls are not")
    func loaderFiles() {
        func startup(cacheSize: Int, preload: String) -> [String] {
            [
                "execve(\"/tmp/lessons-run-abc/bin/hello\", [\"/tmp/lessons-run-abc/bin/hell\"...], 0x7f7d38003170 /* 5 vars */) = 0",
                "access(\"/etc/ld.so.preload\", R_OK)      = \(preload)",
                "openat(AT_FDCWD, \"/etc/ld.so.cache\", O_RDONLY|O_CLOEXEC) = 3",
                "newfstatat(3, \"\", {st_mode=S_IFREG|0644, st_size=\(cacheSize), ...}, AT_EMPTY_PATH) = 0",
                "mmap(NULL, \(cacheSize), PROT_READ, MAP_PRIVATE, 3, 0) = 0x7fc5d88ba000",
                "close(3)                                = 0",
                "munmap(0x7fc5d88ba000, \(cacheSize))           = 0",
                "newfstatat(1, \"\", {st_mode=S_IFIFO|0600, st_size=0, ...}, AT_EMPTY_PATH) = 0",
            ]
        }
        let before = startup(cacheSize: 35327, preload: "-1 ENOENT (No such file or directory)")
        #expect(TraceComparison.compare(recorded: before, actual: startup(cacheSize: 36011, preload: "-1 ENOENT (No such file or directory)")) == nil)
        #expect(TraceComparison.compare(recorded: before, actual: startup(cacheSize: 35327, preload: "0"))?.line == 1)
        #expect(TraceComparison.normalize([before[0]]) == ["execve(\"…\", […], 0x… /* … vars */) = 0"])
    }

    @Test("a terminal's device number is set aside; that it is a terminal is not")
    func terminals() {
        let tty = ["newfstatat(1, \"\", {st_mode=S_IFCHR|0600, st_rdev=makedev(0x88, 0), ...}, AT_EMPTY_PATH) = 0"]
        let other = ["newfstatat(1, \"\", {st_mode=S_IFCHR|0600, st_rdev=makedev(0x88, 0x3), ...}, AT_EMPTY_PATH) = 0"]
        let pipe = ["newfstatat(1, \"\", {st_mode=S_IFIFO|0600, st_size=0, ...}, AT_EMPTY_PATH) = 0"]
        #expect(TraceComparison.compare(recorded: tty, actual: other) == nil)
        #expect(TraceComparison.compare(recorded: tty, actual: pipe) != nil)
    }
}
