#include <stdio.h>
#include <stdlib.h>
int main(void) {
    char *p = malloc((size_t)1 << 46);
    if (p == NULL) { fprintf(stderr, "allocation failed\n"); return 1; }
    p[0] = 1;
    return 0;
}
