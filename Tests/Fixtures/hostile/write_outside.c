// Tries to write outside its scratch directory: /var/tmp, /dev, /etc; and its parent directory,
// which is the run's own too (inside its private /tmp, or its scratch directory on the machine,
// removed with it), so writing there is no escape: printed, not counted.
// (/tmp and /dev/shm are writable but private to the run: see private_tmp.c, shared_memory.c.)
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int main(int argc, char **argv) {
    const char *targets[] = { argc > 1 ? argv[1] : "/var/tmp/lessons-hostile-escape", "../escape", "/dev/mqueue-escape",
                              "/etc/lessons-escape", "/var/tmp/lessons-escape" };
    int escaped = 0;
    for (unsigned i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        int fd = open(targets[i], O_WRONLY | O_CREAT | O_TRUNC, 0666);
        printf("%s: %s\n", targets[i], fd >= 0 ? (i == 1 ? "written (the run's own)" : "WRITTEN") : strerror(errno));
        if (fd >= 0) { if (i != 1) escaped = 1; write(fd, "x", 1); close(fd); }
    }
    if (mkdir("/var/tmp/lessons-hostile-dir", 0777) == 0) { printf("mkdir escaped\n"); escaped = 1; }
    int fd = open("inside.txt", O_WRONLY | O_CREAT, 0644);
    printf("inside: %s\n", fd >= 0 ? "ok" : strerror(errno));
    return escaped ? 42 : (fd >= 0 ? 0 : 43);
}
