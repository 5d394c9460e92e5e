// The sandbox policy applied in the child between fork and exec, and the confined spawn of an
// untraced helper (the compiler). Plain data (fixed-size arrays, no pointers) so Swift can fill
// it and a forked child can read it. The tracer never sees this struct: module Sandbox hands it
// to the traced spawn as the context of two steps, lessons_sandbox_join_cgroups and
// lessons_sandbox_confine. See docs/sandbox.md for what each mechanism enforces.
#ifndef LESSONS_SANDBOX_H
#define LESSONS_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#define LESSONS_SANDBOX_PATH_MAX 1024
#define LESSONS_SANDBOX_READ_PATHS 16
#define LESSONS_SANDBOX_READ_PATH_MAX 256
#define LESSONS_SANDBOX_CGROUPS 4
#define LESSONS_SANDBOX_BINDS 4

/// Isolation mechanisms, as bits of `lessons_sandbox_policy.mechanisms` and of what
/// `lessons_sandbox_probe` finds available.
enum {
    LESSONS_SANDBOX_NO_NEW_PRIVS = 1u << 0,   // prctl(PR_SET_NO_NEW_PRIVS)
    LESSONS_SANDBOX_RLIMITS      = 1u << 1,   // CPU, AS, DATA, NPROC, FSIZE, NOFILE, CORE
    LESSONS_SANDBOX_NET_NS       = 1u << 2,   // unshare(CLONE_NEWNET): no network at all
    LESSONS_SANDBOX_IPC_NS       = 1u << 3,   // unshare(CLONE_NEWIPC): no shared SysV IPC / POSIX mqueues
    LESSONS_SANDBOX_USER_NS      = 1u << 4,   // unshare(CLONE_NEWUSER): needed for the others when not root
    LESSONS_SANDBOX_LANDLOCK     = 1u << 5,   // file system, TCP and signal/abstract-socket scoping
    LESSONS_SANDBOX_DROP_UID     = 1u << 6,   // setresuid/setresgid to an unprivileged id (root only)
    LESSONS_SANDBOX_SECCOMP      = 1u << 7,   // syscall deny list, arch checked
    LESSONS_SANDBOX_UTS_NS       = 1u << 8,   // unshare(CLONE_NEWUTS)
    LESSONS_SANDBOX_MOUNT_NS     = 1u << 9,   // unshare(CLONE_NEWNS) + a size-capped tmpfs as the scratch
                                              // directory, /tmp and a private /dev/shm (root, or a user namespace)
    LESSONS_SANDBOX_PRIVATE_PROC = 1u << 10,  // a fresh /proc (hidepid=invisible): root, or the owner of a pid namespace
    LESSONS_SANDBOX_PID_NS       = 1u << 11,  // unshare(CLONE_NEWPID): the process becomes pid 1 of a namespace that
                                              // dies with it (only for untraced helpers such as the compiler)
};

struct lessons_sandbox_policy {
    /// 0: lessons_sandbox_enter does nothing.
    int enabled;
    /// Which mechanisms to apply (LESSONS_SANDBOX_* bits). Each one requested must succeed:
    /// a failure is an error, never a silent downgrade. Ask `lessons_sandbox_probe` first.
    uint32_t mechanisms;
    /// The only directory the program may write (absolute path, NUL-terminated).
    char scratch[LESSONS_SANDBOX_PATH_MAX];
    /// The program's file: with its ELF interpreter, the only file it may execute.
    char executable[LESSONS_SANDBOX_PATH_MAX];
    /// Directories (or files) the program may read, e.g. /usr, /etc, /proc; empty entries end
    /// the list. Everything else (home directories, other submissions) is unreadable under
    /// Landlock. An all-empty list means "read everywhere".
    char read_only[LESSONS_SANDBOX_READ_PATHS][LESSONS_SANDBOX_READ_PATH_MAX];
    /// Let the program execute any file (read-only everywhere): an exercise asked for it.
    int allow_exec;
    /// Let the program use the network (no net namespace, no socket denial).
    int allow_network;
    /// The ids to run as when the caller is root (LESSONS_SANDBOX_DROP_UID).
    uint32_t uid;
    uint32_t gid;
    /// Limits; 0 means "not limited by this policy" (except core_zero, always applied).
    uint64_t cpu_seconds;      // RLIMIT_CPU soft; hard = soft + 1 (SIGXCPU, then SIGKILL)
    uint64_t memory_bytes;     // RLIMIT_AS and RLIMIT_DATA
    uint64_t processes;        // RLIMIT_NPROC (processes and threads of the uid / user namespace)
    uint64_t file_size_bytes;  // RLIMIT_FSIZE
    uint64_t open_files;       // RLIMIT_NOFILE
    uint64_t stack_bytes;      // RLIMIT_STACK (0: keep)
    uint64_t scratch_bytes;    // LESSONS_SANDBOX_MOUNT_NS: size of the private /tmp holding the run, and of /dev/shm
    uint64_t scratch_inodes;   // and its number of inodes (files + directories)
    uint64_t cpu_hard_seconds; // RLIMIT_CPU hard limit when not soft + 1 (0: soft + 1)
    /// With LESSONS_SANDBOX_MOUNT_NS and scratch_bytes: where the run lives inside its private /tmp
    /// (e.g. "/tmp/lessons-run"). The program is copied to <inner_root>/bin/<its name> and the
    /// scratch directory's files to <inner_root>/work, which becomes the working directory: the
    /// machine's paths of the scratch directory appear nowhere inside the run (not in
    /// /proc/self/mountinfo either). Empty: no private /tmp.
    char inner_root[LESSONS_SANDBOX_READ_PATH_MAX];
    /// With LESSONS_SANDBOX_MOUNT_NS and no inner_root (the compiler): a private /tmp (a tmpfs of
    /// scratch_bytes, else 16 MiB) into which these paths of the machine are bound, at the paths
    /// given inside (directories read-write, files read-only); an empty entry ends the list. The
    /// first one, a directory, becomes the working directory. Paths inside stay the same from
    /// one compile to the next, and the owners of the directories on the way need not be
    /// traversable by the confined uid.
    char bind_from[LESSONS_SANDBOX_BINDS][LESSONS_SANDBOX_PATH_MAX];
    char bind_to[LESSONS_SANDBOX_BINDS][LESSONS_SANDBOX_READ_PATH_MAX];
    /// Descriptors of the files (v2 cgroup.procs, v1 tasks: opened write-only, close-on-exec, by
    /// the caller) through which the child joins its cgroups first thing after fork, while it is
    /// still single-threaded, before it can be traced or run anything: every
    /// process of the run is then in the run's cgroups (limits per run, kill by cgroup).
    int cgroup_count;
    int cgroup_procs[LESSONS_SANDBOX_CGROUPS];
    /// 1: with LESSONS_SANDBOX_NET_NS, join the empty network namespace `network_fd` made once
    /// for the whole process (lessons_sandbox_make_network) instead of making one: a network
    /// namespace costs ~2 ms to make and as much again to tear down, on every compile and run.
    /// With LESSONS_SANDBOX_USER_NS the child enters `network_owner_fd` (the user namespace that
    /// owns it) first, then makes its own user namespace inside that one as before.
    int join_network;
    int network_fd;
    int network_owner_fd;
    /// With `join_network` and LESSONS_SANDBOX_UTS_NS: the host-name namespace made with it, joined
    /// instead of making one (-1: make one). A program cannot change its names (no capability,
    /// and seccomp refuses sethostname), so one is as good as many, and ~0.2 ms cheaper per child.
    int network_uts_fd;
};

enum {
    LESSONS_SANDBOX_PATH_SCRATCH = 0,
    LESSONS_SANDBOX_PATH_EXECUTABLE = 1,
    LESSONS_SANDBOX_PATH_READ_ONLY = 2,   // appended to read_only
    LESSONS_SANDBOX_PATH_INNER_ROOT = 3,
};

/// Copies `path` into the policy (Swift sees the arrays as tuples). Returns 0, or -1 when the
/// path is too long or the read-only list is full.
int lessons_sandbox_policy_set_path(struct lessons_sandbox_policy *_Nonnull policy, int which,
                                    const char *_Nonnull path);

/// Appends a bind (machine path `from`, seen at `to` inside the private /tmp). 0, or -1 when a
/// path is too long or the list is full.
int lessons_sandbox_policy_add_bind(struct lessons_sandbox_policy *_Nonnull policy, const char *_Nonnull from,
                                    const char *_Nonnull to);

/// Applies `policy` to the calling (freshly forked, single-threaded) process.
/// Returns 0, or -1 with a one-line message in `error`. With LESSONS_SANDBOX_PID_NS the caller
/// stays outside and only relays: the namespace's pid 1 returns, and the caller's process exits
/// (or dies) as that pid 1 does, never returning.
int lessons_sandbox_enter(const struct lessons_sandbox_policy *_Nonnull policy,
                          char *_Nonnull error, size_t error_size);

/// First thing in a freshly forked child: die with the parent thread (PR_SET_PDEATHSIG,
/// SIGKILL; `parent` is the pid the parent had before the fork: gone already means die now),
/// and join the policy's cgroups. 0, or -1 with a message.
int lessons_sandbox_child_start(const struct lessons_sandbox_policy *_Nullable policy, int parent,
                                char *_Nonnull error, size_t error_size);

/// The traced spawn's steps (lessons_child_step), with a `struct lessons_sandbox_policy` as the
/// context: join the policy's cgroups (first thing after fork), and enter the sandbox (once
/// traced, before exec). 0, or -1 with a message.
int lessons_sandbox_join_cgroups(const void *_Nullable policy, char *_Nonnull error, size_t error_size);
int lessons_sandbox_confine(const void *_Nullable policy, char *_Nonnull error, size_t error_size);


/// Finds which mechanisms work on this machine for the calling user, by trying each one in a
/// throw-away child process. Writes the available LESSONS_SANDBOX_* bits to `available`, the
/// Landlock ABI version (0 if none) to `landlock_abi`, and one line per missing mechanism
/// (newline-separated) to `notes`. Returns 0, or -1 if the probe itself could not run.
int lessons_sandbox_probe(uint32_t *_Nonnull available, int *_Nonnull landlock_abi,
                          char *_Nonnull notes, size_t notes_size);

/// `lessons_sandbox_probe` taking the mechanisms in `known` as working without trying them
/// (found earlier on this boot); every other one is tried. A mechanism `known` claims wrongly
/// makes the real child's set-up fail (an error, never a downgrade), so the claim is checked.
int lessons_sandbox_probe_known(uint32_t known, uint32_t *_Nonnull available, int *_Nonnull landlock_abi,
                                char *_Nonnull notes, size_t notes_size);

/// When root: SIGCONT and SIGKILL every process owned by `uid` (from a child that switches to
/// that uid and calls kill(-1)). Returns 1 if the signal reached some process (a zombie
/// counts), 0 if that uid had no process, -1 on error.
int lessons_sandbox_kill_uid(uint32_t uid);

/// Makes the empty network namespace that confined children join (`join_network`), in a
/// throw-away child; with `in_user_namespace` (not root) inside a user namespace of its own that
/// maps the caller's ids; with `with_uts`, a host-name namespace beside it. Writes close-on-exec
/// descriptors of the network namespace, of its user namespace and of the host-name namespace
/// (-1 when none) to `network_fd`, `owner_fd` and `uts_fd`. 0, or -1 with a message.
int lessons_sandbox_make_network(int in_user_namespace, int with_uts, int *_Nonnull network_fd, int *_Nonnull owner_fd,
                                 int *_Nonnull uts_fd, char *_Nonnull error, size_t error_size);

/// The Landlock ABI version of the running kernel (0: not available).
int lessons_sandbox_landlock_abi(void);

// MARK: - spawning a confined, untraced child

/// What to run confined and untraced (the compiler): the child joins the policy's cgroups,
/// installs the descriptors, changes directory, enters the sandbox (usually with its own pid
/// namespace, so everything it starts dies with it) and execs.
struct lessons_confined_request {
    const char *_Nonnull path;
    char *_Nullable const *_Nonnull argv;
    char *_Nullable const *_Nonnull envp;
    const char *_Nullable working_directory;
    /// Installed as 0, 1, 2 in the child (-1: /dev/null).
    int stdin_fd, stdout_fd, stderr_fd;
    const struct lessons_sandbox_policy *_Nonnull sandbox;
    /// Both set: a C compile without gcc's driver (CompilePlan.swift). The child runs `argv`
    /// (cc1, writing assembly to its stdout) piped into `assemble_argv`, then `link_argv`, and
    /// exits 0; 1 when cc1 exited 1 (compile errors, its messages said); else
    /// LESSONS_PLAN_ASK_THE_DRIVER.
    char *_Nullable const *_Nullable assemble_argv;
    char *_Nullable const *_Nullable link_argv;
};

#define LESSONS_PLAN_ASK_THE_DRIVER 99

/// Forks the confined child; returns its pid and a pidfd for it in `pidfd` (-1 when the kernel
/// has none: poll with waitpid). The child's set-up failures arrive on `error_fd` (close-on-exec
/// pipe; EOF once exec succeeded) as a `lessons_spawn_failure` (lessons_ptrace.h). -1 with errno
/// when fork fails.
int lessons_confined_spawn(const struct lessons_confined_request *_Nonnull request, int *_Nonnull pidfd,
                           int *_Nonnull error_fd);

/// The file system type of `path` (statfs's f_type, e.g. 0x01021994 for tmpfs); -1 with errno.
long lessons_filesystem_type(const char *_Nonnull path);

#endif
