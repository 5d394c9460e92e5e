// kill(-1, SIGKILL): every process the caller may signal. Must not reach the grader or
// other runs (separate uid, Landlock signal scoping).
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
int main(void) {
    int r = kill(-1, SIGKILL);
    printf("kill(-1) = %d %s\n", r, r < 0 ? strerror(errno) : "");
    return 0;
}
