#include <malloc.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
    char *p = malloc(200 * 1024);
    memset(p, 1, 200 * 1024);
    free(p);
    return 0;
}
