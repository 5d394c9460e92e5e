// Asks to be traced by its parent, then tries to attach to its parent.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>
int main(void) {
    long a = ptrace(PTRACE_TRACEME, 0, 0, 0);
    int ea = errno;
    long b = ptrace(PTRACE_ATTACH, getppid(), 0, 0);
    int eb = errno;
    printf("traceme=%ld (%s) attach=%ld (%s)\n", a, strerror(ea), b, strerror(eb));
    return (a == 0 || b == 0) ? 42 : 0;
}
