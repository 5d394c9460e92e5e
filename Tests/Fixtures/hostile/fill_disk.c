// Fills the disk with many files of the largest allowed size: the scratch directory's own
// size cap (a private tmpfs) stops it with ENOSPC long before the machine's disk.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    char name[64];
    long total = 0;
    for (int i = 0; i < 100000; i++) {
        snprintf(name, sizeof name, "fill-%d", i);
        int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) { printf("open: %s after %ld MiB\n", strerror(errno), total >> 20); return 0; }
        // A full disk may first take part of a block: write the rest until the error comes.
        size_t done = 0;
        while (done < sizeof block) {
            ssize_t n = write(fd, block + done, sizeof block - done);
            if (n <= 0) {
                close(fd);
                printf("write: %s after %ld MiB\n", n < 0 ? strerror(errno) : "nothing written", total >> 20);
                return 0;
            }
            done += (size_t)n;
            total += n;
        }
        close(fd);
    }
    printf("wrote %ld MiB\n", total >> 20);
    return 1;
}
