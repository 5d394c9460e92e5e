// Allocates and never frees.
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    char *p = malloc(200000);
    p[0] = 1;
    puts("bye");
    return 0;
}
