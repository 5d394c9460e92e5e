// The first move of a process into a cgroup after an idle moment waits for an RCU grace period
// (the kernel's cgroup_threadgroup_rwsem, taken for writing: 7–18 ms on the development VM);
// moves in the next few milliseconds do not. A run's child pays that wait when it joins its
// cgroups, right before its program starts. Moving this process into the cgroup it is already
// in (a move that changes nothing) pays the same wait; done on a thread of its own early enough,
// it overlaps the wait with the tool's other work, and the child's move finds it passed.
import Glibc

public enum CgroupWarmUp {
    /// Starts the wait now, on a thread of its own; returns at once. Does nothing where runs get
    /// no cgroup. Harmless: the process stays in the cgroup it is in (read from /proc/self/cgroup
    /// at that moment), and a failed write only means the child waits as before.
    public static func start() {
        guard CgroupSupport.current.isAvailable else { return }
        var thread = pthread_t()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        _ = pthread_create(&thread, &attributes, { _ in
            CgroupWarmUp.moveIntoOwnCgroup()
            return nil
        }, nil)
        pthread_attr_destroy(&attributes)
    }

    /// Writes this process into its own cgroup of one hierarchy the runs use.
    static func moveIntoOwnCgroup() {
        guard let path = ownProcsFile(support: CgroupSupport.current, mountInfo: readSmallFile("/proc/self/mountinfo") ?? "",
                                      ownCgroups: readSmallFile("/proc/self/cgroup") ?? "") else { return }
        _ = CgroupSupport.write(path, "0")
    }

    /// `cgroup.procs` of the cgroup this process is in, in a hierarchy runs get cgroups in
    /// (v1 pids or memory, else v2); nil when there is none.
    static func ownProcsFile(support: CgroupSupport, mountInfo: String, ownCgroups: String) -> String? {
        let mounts = CgroupMounts.parse(mountInfo)
        var ownV2: String?
        var ownV1: [String: String] = [:]
        for line in ownCgroups.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            if fields[0] == "0" && fields[1].isEmpty { ownV2 = String(fields[2]); continue }
            for controller in fields[1].split(separator: ",") { ownV1[String(controller)] = String(fields[2]) }
        }
        func procs(_ mount: String, _ own: String) -> String { (own == "/" ? mount : mount + own) + "/cgroup.procs" }
        for (controller, used) in [("pids", support.pidsV1 != nil), ("memory", support.memoryV1 != nil)] where used {
            if let mount = mounts.v1[controller], let own = ownV1[controller] { return procs(mount, own) }
        }
        if support.unified != nil, let mount = mounts.unified, let own = ownV2 { return procs(mount, own) }
        return nil
    }
}
