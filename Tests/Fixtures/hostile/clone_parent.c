// clone(CLONE_PARENT): the new process becomes a child of the sandbox's parent (the tracer),
// not of the program; the program exits at once. The orphan-in-disguise must still die.
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static int sleeper(void *unused) { (void)unused; for (;;) pause(); return 0; }
int main(void) {
    char *stack = malloc(1 << 16);
    int pid = clone(sleeper, stack + (1 << 16), CLONE_PARENT | SIGCHLD, NULL);
    printf("clone = %d\n", pid > 0 ? 1 : pid);
    return 0;
}
