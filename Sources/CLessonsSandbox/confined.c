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
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

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
        execve(request->path, (char *const *)request->argv, (char *const *)request->envp);
        lessons_child_fail(pipe_fd, LESSONS_SPAWN_STAGE_EXEC, errno, "cannot execute the program");
    }
    close(pipe_fds[1]);
    *error_fd = pipe_fds[0];
    *pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    return pid;
}
