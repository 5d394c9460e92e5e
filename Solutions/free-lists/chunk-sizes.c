#include <stdio.h>
#include <stdlib.h>

/* The 8 bytes before a block hold its chunk's size; the low 3 bits are flags. */
static size_t chunk_size(void *p) {
    return ((size_t *)p)[-1] & ~(size_t)7;
}

int main(void) {
    size_t n;
    while (scanf("%zu", &n) == 1) {
        void *p = malloc(n);
        if (p == NULL) {
            fprintf(stderr, "allocation failed\n");
            return 1;
        }
        printf("malloc(%zu) chunk=%zu\n", n, chunk_size(p));
        free(p);
    }
    return 0;
}
