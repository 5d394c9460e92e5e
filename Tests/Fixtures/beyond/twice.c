// Allocates twice with mmap-sized requests and survives the second failing.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    char *first = malloc(200000);
    if (first == NULL) { puts("allocation failed"); return 1; }
    memset(first, 1, 200000);
    char *second = malloc(300000);
    if (second == NULL) { puts("allocation failed"); free(first); return 1; }
    memset(second, 2, 300000);
    puts("both allocations worked");
    free(second);
    free(first);
    return 0;
}
