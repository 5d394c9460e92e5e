#include <stdio.h>
#include <stdlib.h>

int main(void) {
    void *p = malloc(5000);
    if (!p) return 1;
    puts("done");
    free(p);
    return 0;
}
