// The confined spawn of an untraced helper (the compiler): fork, join the run's cgroups, set up
// the descriptors and directory, enter the sandbox, exec. Why C: between fork and exec no Swift
// may run (it could take locks or allocate).
#define _GNU_SOURCE
#include "lessons_sandbox.h"
#include "lessons_ptrace.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/// Forks a step of a compile plan with `in_fd` as its stdin and `out_fd` as its stdout (-1:
/// inherited); -1 when fork fails.
static pid_t start_step(char *const *argv, char *const *envp, int in_fd, int out_fd) {
    pid_t pid = fork();
    if (pid == 0) {
        if (in_fd >= 0 && dup2(in_fd, 0) < 0) _exit(127);
        if (out_fd >= 0 && dup2(out_fd, 1) < 0) _exit(127);
        execve(argv[0], argv, envp);
        _exit(127);
    }
    return pid;
}

/// A step's wait status; 0x7f00 (exited 127) when it did not start or cannot be waited for.
static int wait_step(pid_t pid) {
    int status = 0x7f00;
    if (pid <= 0) return status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return 0x7f00;
    return status;
}

static int exited_with(int status, int code) { return WIFEXITED(status) && WEXITSTATUS(status) == code; }

/// cc1 | as, then the linker (lessons_confined_request): the driver's pipeline without the driver.
static _Noreturn void run_compile_plan(const struct lessons_confined_request *request) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) _exit(LESSONS_PLAN_ASK_THE_DRIVER);
    pid_t compile = start_step(request->argv, request->envp, -1, pipe_fds[1]);
    pid_t assemble = compile > 0 ? start_step(request->assemble_argv, request->envp, pipe_fds[0], -1) : -1;
    // The assembler sees the end of its input when cc1 ends: no one else holds the pipe.
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    int compiled = wait_step(compile), assembled = wait_step(assemble);
    if (exited_with(compiled, 1)) _exit(1);
    if (!exited_with(compiled, 0) || !exited_with(assembled, 0)) _exit(LESSONS_PLAN_ASK_THE_DRIVER);
    int linked = wait_step(start_step(request->link_argv, request->envp, -1, -1));
    _exit(exited_with(linked, 0) ? 0 : LESSONS_PLAN_ASK_THE_DRIVER);
}

int lessons_confined_spawn(const struct lessons_confined_request *request, int *pidfd, int *error_fd) {
    *pidfd = -1;
    *error_fd = -1;
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return -1;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        int pipe_fd = pipe_fds[1];
        close(pipe_fds[0]);
        char message[256] = "cannot start the confined process";
        if (lessons_sandbox_child_start(request->sandbox, parent, message, sizeof message) != 0)
            lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SANDBOX, errno, message);
        lessons_child_reset_signals();
        if (pipe_fd <= 2) {
            int moved = fcntl(pipe_fd, F_DUPFD_CLOEXEC, 3);
            if (moved < 0) _exit(127);
            pipe_fd = moved;
        }
        int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        int fds[3] = { request->stdin_fd, request->stdout_fd, request->stderr_fd };
        for (int target = 0; target < 3; target++) {
            int fd = fds[target] >= 0 ? fds[target] : null_fd;
            if (fd < 0 || lessons_child_install_fd(fd, target) != 0)
                lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SETUP, errno, "cannot set up the standard descriptors");
        }
        if (request->working_directory && chdir(request->working_directory) != 0)
            lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SETUP, errno, "cannot change to the working directory");
        char sandbox_message[256] = "cannot enter the sandbox";
        if (lessons_sandbox_enter(request->sandbox, sandbox_message, sizeof sandbox_message) != 0)
            lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_SANDBOX, errno, sandbox_message);
        if (request->assemble_argv && request->link_argv) {
            close(pipe_fd);  // set up: what follows is the steps' to say
            run_compile_plan(request);
        }
        execve(request->path, (char *const *)request->argv, (char *const *)request->envp);
        lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_EXEC, errno, "cannot execute the program");
    }
    close(pipe_fds[1]);
    *error_fd = pipe_fds[0];
    *pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    return pid;
}
