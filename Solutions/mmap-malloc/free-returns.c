#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    size_t size = 1024 * 1024;
    char *p = malloc(size);
    if (p == NULL) {
        fprintf(stderr, "allocation failed\n");
        return 1;
    }
    memset(p, 1, size);
    free(p);
    printf("done\n");
    return 0;
}
