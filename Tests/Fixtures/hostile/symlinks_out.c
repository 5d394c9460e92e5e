// Plants symlinks pointing out of the scratch directory and uses them.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    const char *target = argc > 1 ? argv[1] : "/var/tmp/lessons-hostile-symlink";
    int escaped = 0;
    symlink("/etc/shadow", "shadow");
    symlink("/var/tmp", "tmp");
    symlink(target, "target");
    int fd = open("shadow", O_RDONLY);
    printf("read through link: %s\n", fd >= 0 ? "READ" : strerror(errno));
    if (fd >= 0) escaped = 1;
    fd = open("tmp/lessons-hostile-via-link", O_WRONLY | O_CREAT, 0666);
    printf("write through dir link: %s\n", fd >= 0 ? "WRITTEN" : strerror(errno));
    if (fd >= 0) escaped = 1;
    fd = open("target", O_WRONLY | O_CREAT, 0666);
    printf("write through file link: %s\n", fd >= 0 ? "WRITTEN" : strerror(errno));
    if (fd >= 0) escaped = 1;
    if (link("/etc/passwd", "hard") == 0) { printf("hard link made\n"); escaped = 1; }
    return escaped ? 42 : 0;
}
