// Runs a shell through the dynamic loader (ld.so may execute: every dynamic program needs it).
// The sandbox stops the second exec before the shell runs.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    char *argv[] = { "ld.so", "/bin/sh", "-c", "echo SHELL-RAN", NULL };
    execv("/lib64/ld-linux-x86-64.so.2", argv);
    printf("exec ld.so: %s\n", strerror(errno));
    return 0;
}
