// Copies standard input to standard output; with an argument N, first writes N bytes of 'x'.
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char **argv) {
    char buffer[65536];
    if (argc > 1) {
        long left = atol(argv[1]);
        memset(buffer, 'x', sizeof buffer);
        while (left > 0) { long n = write(1, buffer, left < (long)sizeof buffer ? left : (long)sizeof buffer); if (n <= 0) return 1; left -= n; }
        return 0;
    }
    ssize_t n;
    while ((n = read(0, buffer, sizeof buffer)) > 0) write(1, buffer, n);
    write(2, "done\n", 5);
    return 0;
}
