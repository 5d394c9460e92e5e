#include <stdio.h>
#include <unistd.h>
int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *before = sbrk(0);
    sbrk(page);
    char *after = sbrk(0);
    before[0] = 1;
    printf("grew by %ld\n", (long)(after - before));
    return 0;
}
