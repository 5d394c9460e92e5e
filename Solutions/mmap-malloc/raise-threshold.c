#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    /* A chunk below 1 MiB no longer gets a mapping of its own: it comes from the heap. */
    if (mallopt(M_MMAP_THRESHOLD, 1024 * 1024) != 1) {
        fprintf(stderr, "mallopt failed\n");
        return 1;
    }
    char *p = malloc(200 * 1024);
    if (p == NULL) {
        fprintf(stderr, "allocation failed\n");
        return 1;
    }
    memset(p, 7, 200 * 1024);
    free(p);
    return 0;
}
