// Stops (and tries to kill) the process that started it: the grader must not notice.
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    int escaped = 0;
    if (kill(getppid(), SIGSTOP) == 0) { printf("stopped the parent\n"); escaped = 1; }
    if (kill(getppid(), SIGKILL) == 0) { printf("killed the parent\n"); escaped = 1; }
    if (kill(1, SIGTERM) == 0) { printf("signalled init\n"); escaped = 1; }
    printf("done: %s\n", strerror(errno));
    return escaped ? 42 : 0;
}
