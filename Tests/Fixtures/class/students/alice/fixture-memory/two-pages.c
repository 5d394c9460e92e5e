#include <string.h>
#include <sys/mman.h>

int main(void) {
    char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 1;
    memset(p, 1, 8192);
    return munmap(p, 8192) == 0 ? 0 : 1;
}
