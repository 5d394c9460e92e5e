#include <stdio.h>
#include <stdlib.h>

int main(void) {
    size_t size = (size_t)1 << 46;   /* 64 TiB: more than this machine can give */
    char *p = malloc(size);
    if (p == NULL) {
        fprintf(stderr, "allocation failed\n");
        return 1;
    }
    free(p);                          /* a machine that had it: give it back untouched */
    return 0;
}
