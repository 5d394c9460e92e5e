// Writes a multi-gigabyte file: RLIMIT_FSIZE stops it at the cap (SIGXFSZ).
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
int main(void) {
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    int fd = open("big", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    for (int i = 0; i < 4096; i++) write(fd, block, sizeof block);
    return 0;
}
