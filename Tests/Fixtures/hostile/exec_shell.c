// Runs a shell, directly and through a copy in the scratch directory.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    char *argv[] = { "sh", "-c", "echo SHELL-RAN", NULL };
    execv("/bin/sh", argv);
    printf("exec /bin/sh: %s\n", strerror(errno));
    // Copy the shell into the writable directory and run that.
    int in = open("/bin/dash", O_RDONLY), out = open("sh-copy", O_WRONLY | O_CREAT, 0755);
    char buffer[65536]; ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, buffer, sizeof buffer)) > 0) write(out, buffer, n);
    close(out);
    execv("./sh-copy", argv);
    printf("exec ./sh-copy: %s\n", strerror(errno));
    fflush(stdout);
    return 0;
}
