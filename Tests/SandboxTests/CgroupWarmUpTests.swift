// The warm-up move: into the cgroup this process is already in, of a hierarchy runs use, and
// nothing about the process changes.
import Foundation
import Testing
@testable import Sandbox

@Test func theWarmUpMovesIntoTheCgroupThisProcessIsIn() {
    let mounts = """
        30 24 0:26 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory
        31 24 0:27 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        32 24 0:28 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """
    let own = "8:pids:/\n4:memory:/process_api/abc\n0::/user.slice/session-1.scope\n"
    var support = CgroupSupport()
    support.pidsV1 = "/sys/fs/cgroup/pids"
    support.memoryV1 = "/sys/fs/cgroup/memory/process_api/abc"
    #expect(CgroupWarmUp.ownProcsFile(support: support, mountInfo: mounts, ownCgroups: own) == "/sys/fs/cgroup/pids/cgroup.procs")
    support.pidsV1 = nil
    #expect(CgroupWarmUp.ownProcsFile(support: support, mountInfo: mounts, ownCgroups: own) == "/sys/fs/cgroup/memory/process_api/abc/cgroup.procs")
    support.memoryV1 = nil
    support.unified = ("/sys/fs/cgroup/unified/user.slice/session-1.scope", [])
    #expect(CgroupWarmUp.ownProcsFile(support: support, mountInfo: mounts, ownCgroups: own) == "/sys/fs/cgroup/unified/user.slice/session-1.scope/cgroup.procs")
    // Runs get no cgroup: nothing to warm.
    #expect(CgroupWarmUp.ownProcsFile(support: CgroupSupport(), mountInfo: mounts, ownCgroups: own) == nil)
}

@Test func theWarmUpLeavesThisProcessWhereItWas() throws {
    let before = try String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8)
    CgroupWarmUp.moveIntoOwnCgroup()
    #expect(try String(contentsOfFile: "/proc/self/cgroup", encoding: .utf8) == before)
}

/// With `favordynmods` on a cgroup mount (in its mount or superblock options), moves never wait
/// and the warm-up starts no thread.
@Test func favordynmodsMeansNothingToWarm() {
    let plain = """
        30 24 0:26 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory
        32 24 0:28 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw
        40 24 0:30 / /mnt/favordynmods rw,relatime - ext4 /dev/vdb rw
        """
    #expect(!CgroupMounts.parse(plain).favoursDynamicChanges)
    let favoured = plain.replacingOccurrences(of: "cgroup2 cgroup2 rw", with: "cgroup2 cgroup2 rw,favordynmods")
    #expect(CgroupMounts.parse(favoured).favoursDynamicChanges)
    let inMountOptions = plain.replacingOccurrences(of: "/sys/fs/cgroup/unified rw,", with: "/sys/fs/cgroup/unified rw,favordynmods,")
    #expect(CgroupMounts.parse(inMountOptions).favoursDynamicChanges)
}
