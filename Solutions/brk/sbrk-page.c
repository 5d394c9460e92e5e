#include <stdio.h>
#include <unistd.h>

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *before = sbrk(0);
    if (sbrk(page) == (void *)-1) {
        perror("sbrk");
        return 1;
    }
    char *after = sbrk(0);
    before[0] = 42;                    /* the first byte of the new page */
    printf("grew by %ld\n", (long)(after - before));
    return 0;
}
