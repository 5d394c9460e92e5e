// The tracer's C side, for what Swift cannot do: ptrace is variadic, the wait-status macros are
// macros, registers are read at offsets of a C struct, and fork+exec of a traced child must run
// no Swift code between fork and exec. Every symbol carries the `lessons_` prefix (see ptrace.c
// for the why of each one). It knows nothing of the sandbox: what confines a child is handed in
// as C functions (lessons_child_step) that the child runs before its exec.
#ifndef LESSONS_PTRACE_H
#define LESSONS_PTRACE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#pragma clang assume_nonnull begin

// MARK: - ptrace

/// ptrace requests and options the tracer uses (values of <linux/ptrace.h>, checked in shims.c).
enum {
    LESSONS_PTRACE_PEEKDATA = 2,
    LESSONS_PTRACE_POKEDATA = 5,
    LESSONS_PTRACE_CONT = 7,
    LESSONS_PTRACE_KILL = 8,
    LESSONS_PTRACE_SINGLESTEP = 9,
    LESSONS_PTRACE_SYSCALL = 24,
    LESSONS_PTRACE_SETOPTIONS = 0x4200,
    LESSONS_PTRACE_GETEVENTMSG = 0x4201,
    LESSONS_PTRACE_GETSIGINFO = 0x4202,
    LESSONS_PTRACE_SEIZE = 0x4206,
    LESSONS_PTRACE_INTERRUPT = 0x4207,
    LESSONS_PTRACE_LISTEN = 0x4208,
    LESSONS_PTRACE_GET_SYSCALL_INFO = 0x420e,
};

enum {
    LESSONS_PTRACE_O_TRACESYSGOOD = 1,
    LESSONS_PTRACE_O_TRACEFORK = 1 << 1,
    LESSONS_PTRACE_O_TRACEVFORK = 1 << 2,
    LESSONS_PTRACE_O_TRACECLONE = 1 << 3,
    LESSONS_PTRACE_O_TRACEEXEC = 1 << 4,
    LESSONS_PTRACE_O_TRACEVFORKDONE = 1 << 5,
    LESSONS_PTRACE_O_TRACEEXIT = 1 << 6,
    LESSONS_PTRACE_O_TRACESECCOMP = 1 << 7,
    LESSONS_PTRACE_O_EXITKILL = 1 << 20,
};

/// The `status >> 16` of a ptrace event stop.
enum {
    LESSONS_PTRACE_EVENT_FORK = 1,
    LESSONS_PTRACE_EVENT_VFORK = 2,
    LESSONS_PTRACE_EVENT_CLONE = 3,
    LESSONS_PTRACE_EVENT_EXEC = 4,
    LESSONS_PTRACE_EVENT_VFORK_DONE = 5,
    LESSONS_PTRACE_EVENT_EXIT = 6,
    LESSONS_PTRACE_EVENT_SECCOMP = 7,
    LESSONS_PTRACE_EVENT_STOP = 128,
};

/// `ptrace(2)` with fixed arguments (glibc's is variadic, which Swift cannot call).
/// Raw kernel semantics: PEEK requests store the word at `data`. Returns -1 and sets errno on failure.
long lessons_ptrace(int request, pid_t pid, uint64_t addr, uint64_t data);

/// Reads one word of tracee memory (PTRACE_PEEKDATA). 0, or -1 with errno.
int lessons_ptrace_peek(pid_t pid, uint64_t addr, uint64_t *word);

/// The event message of the last ptrace event stop (new child pid, former tid at exec). 0 or -1.
int lessons_ptrace_event_message(pid_t pid, unsigned long *message);

/// What PTRACE_GET_SYSCALL_INFO reported, flattened (the kernel's struct has a union).
struct lessons_syscall_stop {
    /// 0 none, 1 entry, 2 exit, 3 seccomp (PTRACE_SYSCALL_INFO_*).
    int op;
    uint32_t arch;
    uint64_t instruction_pointer;
    uint64_t stack_pointer;
    /// Entry and seccomp stops: the syscall number and its six arguments.
    int64_t nr;
    uint64_t args[6];
    /// Exit stops: the return value (negative errno on failure) and whether it is an error.
    int64_t rval;
    int is_error;
    /// Seccomp stops: SECCOMP_RET_DATA of the filter's verdict.
    uint32_t ret_data;
};

enum {
    LESSONS_SYSCALL_INFO_NONE = 0,
    LESSONS_SYSCALL_INFO_ENTRY = 1,
    LESSONS_SYSCALL_INFO_EXIT = 2,
    LESSONS_SYSCALL_INFO_SECCOMP = 3,
};

/// PTRACE_GET_SYSCALL_INFO (Linux 5.3+) at a syscall or seccomp stop. 0, or -1 with errno.
int lessons_get_syscall_info(pid_t pid, struct lessons_syscall_stop *stop);

/// PTRACE_GETSIGINFO into a raw 128-byte x86_64 siginfo_t. 0, or -1 with errno.
int lessons_get_siginfo(pid_t pid, uint8_t siginfo[_Nonnull 128]);

/// The instruction pointer of a stopped tracee (PTRACE_GETREGS). 0, or -1 with errno.
int lessons_get_instruction_pointer(pid_t pid, uint64_t *ip);
/// Sets the instruction pointer of a stopped tracee (PTRACE_GETREGS + PTRACE_SETREGS).
int lessons_set_instruction_pointer(pid_t pid, uint64_t ip);

/// The x86_64 registers the tracer reads and writes one at a time.
enum lessons_register {
    LESSONS_REGISTER_RAX,
    LESSONS_REGISTER_RBP,
    LESSONS_REGISTER_RSP,
    LESSONS_REGISTER_RIP,
    LESSONS_REGISTER_RDI,
    LESSONS_REGISTER_RSI,
    LESSONS_REGISTER_RDX,
    LESSONS_REGISTER_RCX,
    LESSONS_REGISTER_R8,
    LESSONS_REGISTER_R9,
    LESSONS_REGISTER_R10,
    /// The syscall number at a syscall stop (changing it changes the call).
    LESSONS_REGISTER_ORIG_RAX,
};

/// One register of a stopped tracee (PTRACE_PEEKUSER at its offset in struct user_regs_struct).
/// 0, or -1 with errno (EINVAL for an unknown register).
int lessons_get_register(pid_t pid, int which, uint64_t *value);
/// Sets one register of a stopped tracee (PTRACE_POKEUSER). 0, or -1 with errno.
int lessons_set_register(pid_t pid, int which, uint64_t value);

/// Reads tracee memory with one process_vm_readv. Bytes read, or -1 with errno.
long lessons_read_memory(pid_t pid, uint64_t address, void *buffer, size_t count);

// MARK: - wait

/// `wait4` that retries on EINTR only when `retry_eintr` is non-zero. The pid, or -1 with errno.
/// The rusage is asked of the kernel only when one of the three out-pointers is given.
pid_t lessons_wait4(pid_t pid, int *status, int options, int retry_eintr,
                    int64_t *_Nullable user_usec, int64_t *_Nullable system_usec, int64_t *_Nullable max_rss_kib);

/// Options for lessons_wait4 (`__WALL` and friends are not visible to Swift).
enum {
    LESSONS_WAIT_NOHANG = 1,
    LESSONS_WAIT_ALL = 0x40000000,      // __WALL
    LESSONS_WAIT_NOTHREAD = 0x20000000, // __WNOTHREAD
};

// The <sys/wait.h> macros as functions.
int lessons_wifexited(int status);
int lessons_wexitstatus(int status);
int lessons_wifsignaled(int status);
int lessons_wtermsig(int status);
int lessons_wcoredump(int status);
int lessons_wifstopped(int status);
int lessons_wstopsig(int status);
/// The ptrace event of an event stop (`status >> 16`), 0 for other stops.
int lessons_wptrace_event(int status);

/// Whether child `pid` has ended, without reaping it (waitid with WNOWAIT): 1 ended, 0 not yet
/// (`block` 0), -1 with errno. While it stays a zombie its pid (and process group) cannot be reused.
int lessons_child_ended(pid_t pid, int block);

/// pipe2(2) (declared only under _GNU_SOURCE, which Swift's Glibc module does not set).
int lessons_pipe(int fds[_Nonnull 2], int flags);

/// posix_spawn_file_actions_addchdir_np(3) on `actions` (a posix_spawn_file_actions_t; a GNU
/// extension Swift's Glibc module does not export): the child starts in `path`.
int lessons_spawn_addchdir(void *actions, const char *path);

/// The calling thread's kernel id (gettid(2), which Swift's Glibc module does not export).
int lessons_gettid(void);

// MARK: - CPU affinity

/// Pins the calling thread to `cpu`. 0, or -1 with errno.
int lessons_pin_current_thread(int cpu);
/// The CPU the calling thread runs on now, or -1.
int lessons_current_cpu(void);
/// Whether the calling thread may run on `cpu` (its affinity mask contains it).
int lessons_cpu_allowed(int cpu);

// MARK: - spawning a traced child

/// A step a freshly forked child runs before its exec, with the caller's `context`: no Swift
/// may run there. 0, or -1 with errno and a one-line message in `error`.
typedef int (*lessons_child_step)(const void *_Nullable context, char *error, size_t error_size);

/// What to run and how. Strings and arrays stay owned by the caller during the call.
struct lessons_spawn_request {
    const char *path;
    /// NULL-terminated argv and envp (envp NULL = inherit the caller's environment).
    char *_Nullable const *_Nonnull argv;
    char *_Nullable const *_Nullable envp;
    /// chdir here before exec; NULL = stay.
    const char *_Nullable working_directory;
    /// Descriptors to install as 0, 1, 2 in the child; -1 = inherit.
    int stdin_fd, stdout_fd, stderr_fd;
    /// Run in the child first thing after fork (it already dies with the tracer's thread),
    /// before it can be traced: joining the run's cgroups. NULL = none.
    lessons_child_step _Nullable start;
    /// Run in the child once it is traced, before the seccomp filter and exec: the confinement.
    /// NULL = none.
    lessons_child_step _Nullable confine;
    /// What both steps are given.
    const void *_Nullable step_context;
    /// Syscall numbers a SECCOMP_RET_TRACE filter should stop on; NULL = no filter (every call stops).
    const int *_Nullable syscall_filter;
    int syscall_filter_count;
    /// PTRACE_O_* options for PTRACE_SEIZE.
    int ptrace_options;
};

/// Why a spawn failed, as the child reported it through the error pipe.
enum {
    LESSONS_SPAWN_STAGE_NONE = 0,
    LESSONS_SPAWN_STAGE_FORK = 1,
    LESSONS_SPAWN_STAGE_SEIZE = 2,
    LESSONS_SPAWN_STAGE_SETUP = 3,    // dup2, chdir, signals
    LESSONS_SPAWN_STAGE_SANDBOX = 4,
    LESSONS_SPAWN_STAGE_SECCOMP = 5,
    LESSONS_SPAWN_STAGE_EXEC = 6,
};

struct lessons_spawn_failure {
    int stage;
    int error_number;
    char message[256];
    /// The wait status when the child ended before it stopped for the seize without a report
    /// (e.g. killed by a signal from outside); 0 otherwise.
    int wait_status;
};

/// Forks; the child sets up its descriptors, directory and signals, stops itself, enters the
/// sandbox, installs the seccomp filter and execs. The parent waits for the stop, seizes the child
/// with `ptrace_options` and resumes it: the first ptrace stop is the caller's to handle.
/// Returns the child's pid and stores the read end of the close-on-exec error pipe in `error_fd`
/// (EOF once exec succeeded; a `lessons_spawn_failure` if the child failed before exec).
/// Returns -1 when fork or seize fails, with `failure` filled in (no child is left behind).
pid_t lessons_spawn_traced(const struct lessons_spawn_request *request, int *error_fd,
                           struct lessons_spawn_failure *failure);

/// Reads a child's report from the error pipe. 1 if a failure was read, 0 at EOF (exec succeeded).
int lessons_read_spawn_failure(int error_fd, struct lessons_spawn_failure *failure);

// For other spawners' children (the sandbox's confined spawn), between fork and exec only.

/// Writes a `lessons_spawn_failure` to `pipe_fd` and exits the child with 127.
_Noreturn void lessons_child_fail(int pipe_fd, int stage, int error_number, const char *message);
/// Moves `fd` to `target` (dup2 clears close-on-exec); a no-op for -1. 0, or -1 with errno.
int lessons_child_install_fd(int fd, int target);
/// Default handling for every signal and an empty mask: the tool may block or ignore signals for itself.
void lessons_child_reset_signals(void);

#pragma clang assume_nonnull end

#endif
