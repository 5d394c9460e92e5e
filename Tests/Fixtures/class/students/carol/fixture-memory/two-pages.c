#include <stddef.h>
#include <sys/mman.h>

/* Writes through a null pointer: killed by SIGSEGV. */
int main(void) {
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile char *nowhere = 0;
    *nowhere = p[0];
    munmap(p, 8192);
    return 0;
}
