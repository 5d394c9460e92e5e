#include <stddef.h>
#include <sys/mman.h>
int main(void) {
    volatile char *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[10] = 1;
    return 0;
}
