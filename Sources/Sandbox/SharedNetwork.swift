// One empty network namespace (and the host-name namespace made with it) for every compile and
// run of this process. A fresh network namespace per child cost ~1.9 ms of its set-up and about
// as much CPU again when the kernel tears it down (measured: fork + unshare(CLONE_NEWNET) + exit,
// 500 times), on the critical path of every compile and every run. Sharing one takes nothing
// away: in it no interface is up (not even loopback), a confined program has no capability to
// bring one up (its uid is not 0 in its user namespace, or is a separate unprivileged uid under
// root), and seccomp refuses AF_UNIX sockets (so no abstract socket names either): programs in it
// reach nothing, each other included. `Sandbox.prepare()` makes it early, on a thread of its own.
import CLessonsSandbox
import Glibc
import Synchronization

enum SharedNetwork {
    struct Namespace: Sendable {
        let network: Int32
        /// The user namespace owning `network` (-1 as root: the machine's).
        let owner: Int32
        /// The host-name (UTS) namespace made with it (-1: none; each child makes its own).
        let uts: Int32
    }

    private enum State { case unknown, made(Namespace), unavailable }
    private static let state = Mutex(State.unknown)

    /// The namespace, made on first use (a caller waits for a making under way). nil where the
    /// machine gives no network namespace or making it failed: each child then makes its own,
    /// as the policy says, and a failure there is reported as before.
    static func namespace(for isolation: Isolation) -> Namespace? {
        guard isolation.available.contains(.networkNamespace) else { return nil }
        return state.withLock { state in
            switch state {
            case .made(let namespace): return namespace
            case .unavailable: return nil
            case .unknown:
                var network: Int32 = -1, owner: Int32 = -1, uts: Int32 = -1
                var error = [CChar](repeating: 0, count: 256)
                let inUserNamespace: Int32 = isolation.runningAsRoot ? 0 : 1
                let withUTS: Int32 = isolation.available.contains(.utsNamespace) ? 1 : 0
                guard lessons_sandbox_make_network(inUserNamespace, withUTS, &network, &owner, &uts, &error, error.count) == 0 else {
                    state = .unavailable
                    return nil
                }
                let namespace = Namespace(network: network, owner: owner, uts: uts)
                state = .made(namespace)
                return namespace
            }
        }
    }
}

extension lessons_sandbox_policy {
    /// Has the child join the process's shared network namespace (SharedNetwork), when it gets one.
    mutating func joinSharedNetwork(_ isolation: Isolation) {
        guard allow_network == 0, mechanisms & UInt32(LESSONS_SANDBOX_NET_NS) != 0,
              let namespace = SharedNetwork.namespace(for: isolation),
              // Its owner is entered only by a child that makes a user namespace of its own.
              (namespace.owner >= 0) == (mechanisms & UInt32(LESSONS_SANDBOX_USER_NS) != 0) else { return }
        join_network = 1
        network_fd = namespace.network
        network_owner_fd = namespace.owner
        network_uts_fd = namespace.uts
    }
}
