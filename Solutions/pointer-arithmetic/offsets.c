#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int *p = malloc(8 * sizeof *p);
    if (p == NULL) {
        fprintf(stderr, "allocation failed\n");
        return 1;
    }
    for (int i = 0; i < 8; i++) {
        int same = &p[i] == p + i;
        long offset = (char *)(p + i) - (char *)p;
        printf("i=%d same=%d offset=%ld\n", i, same, offset);
    }
    free(p);
    return 0;
}
