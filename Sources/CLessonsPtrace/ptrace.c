// ptrace, wait-status, register, memory, affinity and spawn shims for module Tracing.
// Why C: glibc's ptrace is variadic, the W* wait macros are macros, struct layouts need
// offsetof and _Static_assert, and between fork and exec no Swift may run (it could take locks
// or allocate).
#define _GNU_SOURCE
#include "lessons_ptrace.h"
#include "lessons_process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/ptrace.h>
#include <linux/seccomp.h>

extern char **environ;

// The header repeats kernel constants so Swift sees plain integers; keep them honest.
_Static_assert(LESSONS_PTRACE_PEEKDATA == PTRACE_PEEKDATA, "PTRACE_PEEKDATA");
_Static_assert(LESSONS_PTRACE_POKEDATA == PTRACE_POKEDATA, "PTRACE_POKEDATA");
_Static_assert(LESSONS_PTRACE_CONT == PTRACE_CONT, "PTRACE_CONT");
_Static_assert(LESSONS_PTRACE_KILL == PTRACE_KILL, "PTRACE_KILL");
_Static_assert(LESSONS_PTRACE_SINGLESTEP == PTRACE_SINGLESTEP, "PTRACE_SINGLESTEP");
_Static_assert(LESSONS_PTRACE_SYSCALL == PTRACE_SYSCALL, "PTRACE_SYSCALL");
_Static_assert(LESSONS_PTRACE_SETOPTIONS == PTRACE_SETOPTIONS, "PTRACE_SETOPTIONS");
_Static_assert(LESSONS_PTRACE_GETEVENTMSG == PTRACE_GETEVENTMSG, "PTRACE_GETEVENTMSG");
_Static_assert(LESSONS_PTRACE_GETSIGINFO == PTRACE_GETSIGINFO, "PTRACE_GETSIGINFO");
_Static_assert(LESSONS_PTRACE_SEIZE == PTRACE_SEIZE, "PTRACE_SEIZE");
_Static_assert(LESSONS_PTRACE_INTERRUPT == PTRACE_INTERRUPT, "PTRACE_INTERRUPT");
_Static_assert(LESSONS_PTRACE_LISTEN == PTRACE_LISTEN, "PTRACE_LISTEN");
_Static_assert(LESSONS_PTRACE_GET_SYSCALL_INFO == PTRACE_GET_SYSCALL_INFO, "PTRACE_GET_SYSCALL_INFO");
_Static_assert(LESSONS_PTRACE_O_TRACESYSGOOD == PTRACE_O_TRACESYSGOOD, "TRACESYSGOOD");
_Static_assert(LESSONS_PTRACE_O_TRACEFORK == PTRACE_O_TRACEFORK, "TRACEFORK");
_Static_assert(LESSONS_PTRACE_O_TRACEVFORK == PTRACE_O_TRACEVFORK, "TRACEVFORK");
_Static_assert(LESSONS_PTRACE_O_TRACECLONE == PTRACE_O_TRACECLONE, "TRACECLONE");
_Static_assert(LESSONS_PTRACE_O_TRACEEXEC == PTRACE_O_TRACEEXEC, "TRACEEXEC");
_Static_assert(LESSONS_PTRACE_O_TRACEVFORKDONE == PTRACE_O_TRACEVFORKDONE, "TRACEVFORKDONE");
_Static_assert(LESSONS_PTRACE_O_TRACEEXIT == PTRACE_O_TRACEEXIT, "TRACEEXIT");
_Static_assert(LESSONS_PTRACE_O_TRACESECCOMP == PTRACE_O_TRACESECCOMP, "TRACESECCOMP");
_Static_assert(LESSONS_PTRACE_O_EXITKILL == PTRACE_O_EXITKILL, "EXITKILL");
_Static_assert(LESSONS_PTRACE_EVENT_FORK == PTRACE_EVENT_FORK, "EVENT_FORK");
_Static_assert(LESSONS_PTRACE_EVENT_VFORK == PTRACE_EVENT_VFORK, "EVENT_VFORK");
_Static_assert(LESSONS_PTRACE_EVENT_CLONE == PTRACE_EVENT_CLONE, "EVENT_CLONE");
_Static_assert(LESSONS_PTRACE_EVENT_EXEC == PTRACE_EVENT_EXEC, "EVENT_EXEC");
_Static_assert(LESSONS_PTRACE_EVENT_VFORK_DONE == PTRACE_EVENT_VFORK_DONE, "EVENT_VFORK_DONE");
_Static_assert(LESSONS_PTRACE_EVENT_EXIT == PTRACE_EVENT_EXIT, "EVENT_EXIT");
_Static_assert(LESSONS_PTRACE_EVENT_SECCOMP == PTRACE_EVENT_SECCOMP, "EVENT_SECCOMP");
_Static_assert(LESSONS_PTRACE_EVENT_STOP == PTRACE_EVENT_STOP, "EVENT_STOP");
_Static_assert(LESSONS_SYSCALL_INFO_ENTRY == PTRACE_SYSCALL_INFO_ENTRY, "SYSCALL_INFO_ENTRY");
_Static_assert(LESSONS_SYSCALL_INFO_EXIT == PTRACE_SYSCALL_INFO_EXIT, "SYSCALL_INFO_EXIT");
_Static_assert(LESSONS_SYSCALL_INFO_SECCOMP == PTRACE_SYSCALL_INFO_SECCOMP, "SYSCALL_INFO_SECCOMP");
_Static_assert(LESSONS_WAIT_ALL == __WALL, "__WALL");
_Static_assert(LESSONS_WAIT_NOTHREAD == __WNOTHREAD, "__WNOTHREAD");
_Static_assert(LESSONS_WAIT_NOHANG == WNOHANG, "WNOHANG");

// The kernel struct lessons_get_syscall_info decodes: the layout of Linux 5.3+.
_Static_assert(offsetof(struct ptrace_syscall_info, op) == 0, "op");
_Static_assert(offsetof(struct ptrace_syscall_info, arch) == 4, "arch");
_Static_assert(offsetof(struct ptrace_syscall_info, instruction_pointer) == 8, "ip");
_Static_assert(offsetof(struct ptrace_syscall_info, stack_pointer) == 16, "sp");
_Static_assert(offsetof(struct ptrace_syscall_info, entry.nr) == 24, "entry.nr");
_Static_assert(offsetof(struct ptrace_syscall_info, entry.args) == 32, "entry.args");
_Static_assert(offsetof(struct ptrace_syscall_info, exit.rval) == 24, "exit.rval");
_Static_assert(offsetof(struct ptrace_syscall_info, exit.is_error) == 32, "exit.is_error");
_Static_assert(offsetof(struct ptrace_syscall_info, seccomp.ret_data) == 80, "seccomp.ret_data");
_Static_assert(sizeof(struct ptrace_syscall_info) == 88, "ptrace_syscall_info size");
_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t size");

// MARK: - ptrace

long lessons_ptrace(int request, pid_t pid, uint64_t addr, uint64_t data) {
    // The raw syscall, not glibc's wrapper: no variadic call, no PEEK return-value juggling.
    return syscall(SYS_ptrace, (long)request, (long)pid, (unsigned long)addr, (unsigned long)data);
}

int lessons_ptrace_peek(pid_t pid, uint64_t addr, uint64_t *word) {
    unsigned long value = 0;
    if (syscall(SYS_ptrace, (long)PTRACE_PEEKDATA, (long)pid, (unsigned long)addr, &value) < 0) return -1;
    *word = value;
    return 0;
}

int lessons_ptrace_event_message(pid_t pid, unsigned long *message) {
    return syscall(SYS_ptrace, (long)PTRACE_GETEVENTMSG, (long)pid, 0UL, message) < 0 ? -1 : 0;
}

int lessons_get_syscall_info(pid_t pid, struct lessons_syscall_stop *stop) {
    struct ptrace_syscall_info info;
    long size = syscall(SYS_ptrace, (long)PTRACE_GET_SYSCALL_INFO, (long)pid,
                        (unsigned long)sizeof info, &info);
    if (size < 0) return -1;
    memset(stop, 0, sizeof *stop);
    stop->op = info.op;
    stop->arch = info.arch;
    stop->instruction_pointer = info.instruction_pointer;
    stop->stack_pointer = info.stack_pointer;
    switch (info.op) {
    case PTRACE_SYSCALL_INFO_ENTRY:
        stop->nr = (int64_t)info.entry.nr;
        memcpy(stop->args, info.entry.args, sizeof stop->args);
        break;
    case PTRACE_SYSCALL_INFO_EXIT:
        stop->rval = info.exit.rval;
        stop->is_error = info.exit.is_error;
        break;
    case PTRACE_SYSCALL_INFO_SECCOMP:
        stop->nr = (int64_t)info.seccomp.nr;
        memcpy(stop->args, info.seccomp.args, sizeof stop->args);
        stop->ret_data = info.seccomp.ret_data;
        break;
    default:
        break;
    }
    return 0;
}

int lessons_get_siginfo(pid_t pid, uint8_t siginfo[128]) {
    return syscall(SYS_ptrace, (long)PTRACE_GETSIGINFO, (long)pid, 0UL, siginfo) < 0 ? -1 : 0;
}

int lessons_get_instruction_pointer(pid_t pid, uint64_t *ip) {
    struct user_regs_struct regs;
    if (syscall(SYS_ptrace, (long)PTRACE_GETREGS, (long)pid, 0UL, &regs) < 0) return -1;
    *ip = regs.rip;
    return 0;
}

int lessons_set_instruction_pointer(pid_t pid, uint64_t ip) {
    struct user_regs_struct regs;
    if (syscall(SYS_ptrace, (long)PTRACE_GETREGS, (long)pid, 0UL, &regs) < 0) return -1;
    regs.rip = ip;
    return syscall(SYS_ptrace, (long)PTRACE_SETREGS, (long)pid, 0UL, &regs) < 0 ? -1 : 0;
}

// Where each register lies in the area PTRACE_PEEKUSER reads: struct user begins with the registers.
static const size_t lessons_register_offsets[] = {
    [LESSONS_REGISTER_RAX] = offsetof(struct user_regs_struct, rax),
    [LESSONS_REGISTER_RBP] = offsetof(struct user_regs_struct, rbp),
    [LESSONS_REGISTER_RSP] = offsetof(struct user_regs_struct, rsp),
    [LESSONS_REGISTER_RIP] = offsetof(struct user_regs_struct, rip),
    [LESSONS_REGISTER_RDI] = offsetof(struct user_regs_struct, rdi),
    [LESSONS_REGISTER_RSI] = offsetof(struct user_regs_struct, rsi),
    [LESSONS_REGISTER_RDX] = offsetof(struct user_regs_struct, rdx),
    [LESSONS_REGISTER_RCX] = offsetof(struct user_regs_struct, rcx),
    [LESSONS_REGISTER_R8] = offsetof(struct user_regs_struct, r8),
    [LESSONS_REGISTER_R9] = offsetof(struct user_regs_struct, r9),
    [LESSONS_REGISTER_R10] = offsetof(struct user_regs_struct, r10),
    [LESSONS_REGISTER_ORIG_RAX] = offsetof(struct user_regs_struct, orig_rax),
};
_Static_assert(offsetof(struct user, regs) == 0, "struct user begins with its registers");

static int lessons_register_offset(int which, size_t *offset) {
    if (which < 0 || (size_t)which >= sizeof lessons_register_offsets / sizeof lessons_register_offsets[0]) {
        errno = EINVAL;
        return -1;
    }
    *offset = lessons_register_offsets[which];
    return 0;
}

int lessons_get_register(pid_t pid, int which, uint64_t *value) {
    size_t offset;
    if (lessons_register_offset(which, &offset) != 0) return -1;
    // The raw syscall stores the word at `data` (glibc's wrapper would return it instead).
    return syscall(SYS_ptrace, (long)PTRACE_PEEKUSR, (long)pid, offset, value) < 0 ? -1 : 0;
}

int lessons_set_register(pid_t pid, int which, uint64_t value) {
    size_t offset;
    if (lessons_register_offset(which, &offset) != 0) return -1;
    return syscall(SYS_ptrace, (long)PTRACE_POKEUSR, (long)pid, offset, value) < 0 ? -1 : 0;
}

long lessons_read_memory(pid_t pid, uint64_t address, void *buffer, size_t count) {
    struct iovec local = { .iov_base = buffer, .iov_len = count };
    struct iovec remote = { .iov_base = (void *)(uintptr_t)address, .iov_len = count };
    return (long)process_vm_readv(pid, &local, 1, &remote, 1, 0);
}

// MARK: - wait

pid_t lessons_wait4(pid_t pid, int *status, int options, int retry_eintr,
                    int64_t *user_usec, int64_t *system_usec, int64_t *max_rss_kib) {
    struct rusage usage;
    // The kernel sums the rusage of every thread for each report it fills in (getrusage at every
    // ptrace stop): ask for it only when someone wants it.
    int wants_usage = user_usec || system_usec || max_rss_kib;
    pid_t result;
    do {
        result = wait4(pid, status, options, wants_usage ? &usage : NULL);
    } while (result < 0 && errno == EINTR && retry_eintr);
    if (result > 0 && wants_usage) {
        if (user_usec) *user_usec = (int64_t)usage.ru_utime.tv_sec * 1000000 + usage.ru_utime.tv_usec;
        if (system_usec) *system_usec = (int64_t)usage.ru_stime.tv_sec * 1000000 + usage.ru_stime.tv_usec;
        if (max_rss_kib) *max_rss_kib = usage.ru_maxrss;
    }
    return result;
}

int lessons_wifexited(int status) { return WIFEXITED(status); }
int lessons_wexitstatus(int status) { return WEXITSTATUS(status); }
int lessons_wifsignaled(int status) { return WIFSIGNALED(status); }
int lessons_wtermsig(int status) { return WTERMSIG(status); }
int lessons_wcoredump(int status) { return WCOREDUMP(status); }
int lessons_wifstopped(int status) { return WIFSTOPPED(status); }
int lessons_wstopsig(int status) { return WSTOPSIG(status); }
int lessons_wptrace_event(int status) { return (unsigned)status >> 16; }

int lessons_pipe(int fds[2], int flags) { return pipe2(fds, flags); }

int lessons_child_ended(pid_t pid, int block) {
    siginfo_t info;
    memset(&info, 0, sizeof info);
    int r;
    do { r = waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT | (block ? 0 : WNOHANG)); } while (r < 0 && errno == EINTR);
    if (r < 0) return -1;
    return info.si_pid == pid ? 1 : 0;
}

int lessons_spawn_addchdir(void *actions, const char *path) {
    return posix_spawn_file_actions_addchdir_np((posix_spawn_file_actions_t *)actions, path);
}

int lessons_gettid(void) { return (int)syscall(SYS_gettid); }

// MARK: - CPU affinity

int lessons_pin_current_thread(int cpu) {
    if (cpu < 0 || cpu >= CPU_SETSIZE) { errno = EINVAL; return -1; }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set);
}

int lessons_current_cpu(void) { return sched_getcpu(); }

int lessons_cpu_allowed(int cpu) {
    cpu_set_t set;
    if (cpu < 0 || cpu >= CPU_SETSIZE) return 0;
    if (sched_getaffinity(0, sizeof set, &set) != 0) return 0;
    return CPU_ISSET(cpu, &set) ? 1 : 0;
}

// MARK: - spawning a traced child

// Everything from here to execve runs in the forked child: only async-signal-safe calls.

static size_t lessons_strlcpy(char *dst, const char *src, size_t size) {
    size_t n = 0;
    while (src[n] && n + 1 < size) { dst[n] = src[n]; n++; }
    if (size) dst[n] = 0;
    return n;
}

void lessons_child_fail(int pipe_fd, int stage, int error_number, const char *message) {
    struct lessons_spawn_failure failure;
    memset(&failure, 0, sizeof failure);
    failure.stage = stage;
    failure.error_number = error_number;
    lessons_strlcpy(failure.message, message, sizeof failure.message);
    ssize_t unused = write(pipe_fd, &failure, sizeof failure);
    (void)unused;
    _exit(127);
}

int lessons_child_install_fd(int fd, int target) {
    if (fd < 0) return 0;
    if (fd == target) {
        int flags = fcntl(fd, F_GETFD);
        return flags < 0 ? -1 : fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
    }
    return dup2(fd, target) < 0 ? -1 : 0;
}

// A SECCOMP_RET_TRACE filter for `count` syscall numbers; everything else is allowed.
// A foreign architecture (i386 via int 0x80, x32) is traced too, so nothing hides from the tracer.
static int lessons_child_install_filter(const int *numbers, int count) {
    enum { max_numbers = 240 };
    if (count > max_numbers) { errno = E2BIG; return -1; }
    struct sock_filter program[max_numbers + 6];
    int n = 0;
    program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
    program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
    program[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    for (int i = 0; i < count; i++) {
        // Matched: jump over the remaining tests and the ALLOW to the final TRACE.
        unsigned char skip = (unsigned char)(count - i);
        program[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)numbers[i], skip, 0);
    }
    program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    program[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
    struct sock_fprog fprog = { .len = (unsigned short)n, .filter = program };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return -1;
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog);
}

void lessons_child_reset_signals(void) {
    sigset_t empty;
    sigemptyset(&empty);
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        signal(sig, SIG_DFL);
    }
    sigprocmask(SIG_SETMASK, &empty, NULL);
}

static void lessons_child(const struct lessons_spawn_request *request, int pipe_fd, int go_fd, pid_t parent) {
    // Before anything else: die with the tracer's thread (whatever kills the grader, a child
    // stopped before its exec cannot outlive it; gone already: die now), and run the caller's
    // first step (be inside the run's cgroups).
    if (lessons_die_with_parent(parent) != 0) {
        if (errno == ESRCH) _exit(127);
        lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SETUP, errno, "prctl(PR_SET_PDEATHSIG)");
    }
    if (request->start) {
        char message[256] = "cannot start the new process";
        if (request->start(request->step_context, message, sizeof message) != 0)
            lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SANDBOX, errno, message);
    }

    lessons_child_reset_signals();

    // The error pipe must not land on 0, 1 or 2 before the dup2s below.
    if (pipe_fd <= 2) {
        int moved = fcntl(pipe_fd, F_DUPFD_CLOEXEC, 3);
        if (moved < 0) _exit(127);
        pipe_fd = moved;
    }
    if (go_fd <= 2) {
        int moved = fcntl(go_fd, F_DUPFD_CLOEXEC, 3);
        if (moved < 0) _exit(127);
        go_fd = moved;
    }
    if (lessons_child_install_fd(request->stdin_fd, 0) != 0)
        lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SETUP, errno, "cannot set up standard input");
    if (lessons_child_install_fd(request->stdout_fd, 1) != 0)
        lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SETUP, errno, "cannot set up standard output");
    if (lessons_child_install_fd(request->stderr_fd, 2) != 0)
        lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SETUP, errno, "cannot set up standard error");
    if (request->working_directory && chdir(request->working_directory) != 0)
        lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SETUP, errno, "cannot change to the working directory");

    // The caller's confinement (the sandbox: namespaces, the private /tmp with the program
    // copied in, Landlock, rlimits, seccomp) before the seize: it is the tool's own code, not the
    // program, and untraced its hundred-odd calls cost no tracer round trips. A failure here
    // ends the child before any stop, and the parent reads why from the error pipe.
    if (request->confine) {
        char message[256] = "cannot enter the sandbox";
        if (request->confine(request->step_context, message, sizeof message) != 0)
            lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SANDBOX, errno, message);
    }

    // Wait here until the parent has seized us: everything after this is traced.
    raise(SIGSTOP);
    // A stray SIGCONT (from anything on the machine) could wake us before the seize; the
    // parent's go byte, written only once we are traced, makes sure the program never runs untraced.
    char go = 0;
    ssize_t got_go;
    do { got_go = read(go_fd, &go, 1); } while (got_go < 0 && errno == EINTR);
    if (got_go != 1) _exit(127);
    close(go_fd);
    if (request->syscall_filter && request->syscall_filter_count > 0) {
        if (lessons_child_install_filter(request->syscall_filter, request->syscall_filter_count) != 0)
            lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SECCOMP, errno, "cannot install the seccomp filter");
    }
    execve(request->path, (char *const *)request->argv,
           request->envp ? (char *const *)request->envp : environ);
    lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_EXEC, errno, "cannot execute the program");
}

pid_t lessons_spawn_traced(const struct lessons_spawn_request *request, int *error_fd,
                           struct lessons_spawn_failure *failure) {
    memset(failure, 0, sizeof *failure);
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        failure->stage = LESSONS_SPAWN_STAGE_FORK;
        failure->error_number = errno;
        lessons_strlcpy(failure->message, "cannot create the error pipe", sizeof failure->message);
        return -1;
    }
    int go_fds[2];
    if (pipe2(go_fds, O_CLOEXEC) != 0) {
        failure->stage = LESSONS_SPAWN_STAGE_FORK;
        failure->error_number = errno;
        lessons_strlcpy(failure->message, "cannot create the start pipe", sizeof failure->message);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        failure->stage = LESSONS_SPAWN_STAGE_FORK;
        failure->error_number = errno;
        lessons_strlcpy(failure->message, "cannot fork", sizeof failure->message);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        close(go_fds[0]);
        close(go_fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(pipe_fds[0]);
        close(go_fds[1]);
        lessons_child(request, pipe_fds[1], go_fds[0], parent);
        _exit(127);
    }
    close(pipe_fds[1]);
    close(go_fds[0]);

    // The child stops itself (or fails its set-up first and exits). WCONTINUED: if a stray
    // SIGCONT woke it before we saw the stop, it now waits for the go byte; seize it all the same.
    int status = 0;
    for (;;) {
        pid_t got = waitpid(pid, &status, WSTOPPED | WCONTINUED | __WALL);
        if (got == pid) break;
        if (got < 0 && errno == EINTR) continue;
        failure->stage = LESSONS_SPAWN_STAGE_FORK;
        failure->error_number = errno;
        lessons_strlcpy(failure->message, "cannot wait for the new process", sizeof failure->message);
        kill(pid, SIGKILL);
        waitpid(pid, &status, __WALL);
        close(pipe_fds[0]);
        close(go_fds[1]);
        return -1;
    }
    if (!WIFSTOPPED(status) && !WIFCONTINUED(status)) {
        // It exited during set-up: its report is in the pipe.
        if (!lessons_read_spawn_failure(pipe_fds[0], failure)) {
            memset(failure, 0, sizeof *failure);
            failure->stage = LESSONS_SPAWN_STAGE_SETUP;
            failure->wait_status = status;
            if (WIFSIGNALED(status))
                snprintf(failure->message, sizeof failure->message,
                         "the new process (pid %d) was killed by signal %d (%s) before it could be traced",
                         (int)pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
            else
                snprintf(failure->message, sizeof failure->message,
                         "the new process (pid %d) ended with status %d before it could be traced (wait status 0x%x)",
                         (int)pid, WIFEXITED(status) ? WEXITSTATUS(status) : -1, (unsigned)status);
        }
        close(pipe_fds[0]);
        close(go_fds[1]);
        return -1;
    }
    if (syscall(SYS_ptrace, (long)PTRACE_SEIZE, (long)pid, 0UL, (unsigned long)request->ptrace_options) != 0) {
        failure->stage = LESSONS_SPAWN_STAGE_SEIZE;
        failure->error_number = errno;
        lessons_strlcpy(failure->message, "cannot trace the new process (PTRACE_SEIZE)", sizeof failure->message);
        close(go_fds[1]);  // the child reads end-of-file and exits without running the program
        kill(pid, SIGKILL);
        waitpid(pid, &status, __WALL);
        close(pipe_fds[0]);
        return -1;
    }
    // Traced now: let it go on, and wake it from its stop; the tracer sees the resulting stops in its loop.
    char go = 1;
    ssize_t sent;
    do { sent = write(go_fds[1], &go, 1); } while (sent < 0 && errno == EINTR);
    close(go_fds[1]);
    kill(pid, SIGCONT);
    *error_fd = pipe_fds[0];
    return pid;
}

int lessons_read_spawn_failure(int error_fd, struct lessons_spawn_failure *failure) {
    size_t got = 0;
    char *bytes = (char *)failure;
    while (got < sizeof *failure) {
        ssize_t n = read(error_fd, bytes + got, sizeof *failure - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    if (got < sizeof *failure) return 0;
    failure->message[sizeof failure->message - 1] = 0;
    return 1;
}
