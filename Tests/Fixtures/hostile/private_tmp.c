// Writes to /tmp as C programs do whatever TMPDIR says: tmpfile() and a fixed path. Both work
// (the run has a private /tmp) and neither reaches the machine's /tmp.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    FILE *f = tmpfile();
    char line[16] = "";
    if (f) { fputs("scratch\n", f); rewind(f); fgets(line, sizeof line, f); fclose(f); }
    printf("tmpfile: %s", f ? line : strerror(errno));
    const char *path = argc > 1 ? argv[1] : "/tmp/lessons-hostile-private";
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    printf("\n/tmp file: %s\n", fd >= 0 ? "written" : strerror(errno));
    return 0;
}
