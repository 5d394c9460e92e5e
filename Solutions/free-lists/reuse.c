#include <stdio.h>
#include <stdlib.h>

int main(void) {
    void *old[3], *new[3];
    for (int i = 0; i < 3; i++) {
        old[i] = malloc(200);
        if (old[i] == NULL) return 1;
    }
    for (int i = 0; i < 3; i++) {
        free(old[i]);                  /* the blocks go onto a free list, not back to the kernel */
    }
    for (int i = 0; i < 3; i++) {
        new[i] = malloc(200);
        if (new[i] == NULL) return 1;
    }
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            if (new[i] == old[j]) {    /* comparing addresses only: old[j] is not used */
                printf("new %d = old %d\n", i, j);
            }
        }
    }
    for (int i = 0; i < 3; i++) {
        free(new[i]);
    }
    return 0;
}
