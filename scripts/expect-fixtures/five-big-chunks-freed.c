#include <stdio.h>
#include <stdlib.h>
int main(void) {
    for (int i = 0; i < 5; i++) { void *p = malloc(200 * 1024); printf("got %p\n", p); free(p); }
    return 0;
}
