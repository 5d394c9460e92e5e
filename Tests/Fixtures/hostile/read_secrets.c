// Tries to read secrets: /etc/shadow, root's home, the tool's own files.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    const char *targets[] = { "/etc/shadow", "/root/.bash_history", "/root", argc > 1 ? argv[1] : "/work" };
    int escaped = 0;
    for (unsigned i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        int fd = open(targets[i], O_RDONLY);
        printf("%s: %s\n", targets[i], fd >= 0 ? "READABLE" : strerror(errno));
        if (fd >= 0) escaped = 1;
    }
    return escaped ? 42 : 0;
}
