#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    size_t length = 2 * (size_t)page;
    char *p = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    p[0] = 'a';            /* first page */
    p[page] = 'b';         /* second page */
    if (munmap(p, length) != 0) {
        perror("munmap");
        return 1;
    }
    return 0;
}
