// Allocates twice and never checks: a failed second allocation crashes it.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    char *first = malloc(200000);
    memset(first, 1, 200000);
    char *second = malloc(300000);
    memset(second, 2, 300000);
    puts("both allocations worked");
    free(second);
    free(first);
    return 0;
}
