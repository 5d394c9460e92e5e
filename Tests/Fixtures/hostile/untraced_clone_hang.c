// clone(CLONE_UNTRACED | CLONE_PARENT): a child ptrace does not attach to, made a child of the
// tracer's own thread (the program's parent), that then waits forever. Unrefused, the tracer's
// wait4(-1) never returned, the run's timeout never fired and the child outlived the grader.
// Then the same through clone3, whose flags are in memory seccomp cannot read.
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/sched.h>
#include <unistd.h>
int main(void) {
    long r = syscall(SYS_clone, CLONE_UNTRACED | CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
    if (r == 0) { for (;;) pause(); }
    printf("clone = %ld%s%s\n", r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
    fflush(stdout);
    struct clone_args args = { .flags = CLONE_UNTRACED | CLONE_PARENT, .exit_signal = SIGCHLD };
    r = syscall(SYS_clone3, &args, sizeof args);
    if (r == 0) { for (;;) pause(); }
    printf("clone3 = %ld%s%s\n", r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
    return 0;
}
