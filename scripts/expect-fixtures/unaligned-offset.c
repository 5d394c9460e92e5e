#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
int main(void) {
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100);
    if (p == MAP_FAILED && errno == EINVAL) printf("EINVAL\n");
    p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p != MAP_FAILED) printf("ok\n");
    munmap(p, 4096);
    return 0;
}
