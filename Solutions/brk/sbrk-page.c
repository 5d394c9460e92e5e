#include <stdio.h>
#include <unistd.h>

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *before = sbrk(0);
    char *start = sbrk(page);          /* the old break: the first byte of the new page */
    if (start == (void *)-1) {
        perror("sbrk");
        return 1;
    }
    start[0] = 42;
    char *after = sbrk(0);
    printf("grew by %ld\n", (long)(after - before));
    return 0;
}
