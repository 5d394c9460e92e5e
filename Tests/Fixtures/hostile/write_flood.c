// Writes 64 KiB to /dev/null as fast as it can for 5 s (issue #12 item 4): a tracer that kept
// every buffer would hold gigabytes for this one run. The tracer's budget keeps its memory flat.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
int main(void) {
    static char buffer[65536];
    memset(buffer, 'x', sizeof buffer);
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) { perror("open /dev/null"); return 1; }
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    long calls = 0;
    do {
        for (int i = 0; i < 64; i++, calls++) {
            if (write(fd, buffer, sizeof buffer) != (ssize_t)sizeof buffer) { perror("write"); return 2; }
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (now.tv_sec - start.tv_sec < 5);
    printf("wrote 64 KiB %ld times\n", calls);
    return 0;
}
