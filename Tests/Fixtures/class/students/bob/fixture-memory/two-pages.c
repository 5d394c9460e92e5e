#include <stddef.h>
#include <sys/mman.h>

/* Maps one page only, and twice. */
int main(void) {
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = q[0] = 1;
    munmap(p, 4096);
    munmap(q, 4096);
    return 0;
}
