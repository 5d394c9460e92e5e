// An untraced child does the work: clone(CLONE_UNTRACED), then the loader runs a shell that
// prints what the exercise expects. None of its calls would be in the trace and the exec watch
// would never see it. The program itself prints nothing: only the shell's "ok" could pass.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    long r = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
    if (r == 0) {
        char *argv[] = { "ld.so", "/bin/sh", "-c", "echo ok", NULL };
        execv("/lib64/ld-linux-x86-64.so.2", argv);
        _exit(127);
    }
    if (r < 0) { fprintf(stderr, "clone: %s\n", strerror(errno)); return 1; }
    int status;
    waitpid((pid_t)r, &status, 0);
    return 0;
}
