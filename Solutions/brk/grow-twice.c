#include <stdlib.h>
#include <string.h>

int main(void) {
    /* Each growth of the heap adds about 132 KiB; 16 blocks of 64 KiB need 1 MiB,
       so the break has to move several times. */
    for (int i = 0; i < 16; i++) {
        char *p = malloc(64 * 1024);
        if (p == NULL) return 1;
        memset(p, i, 64 * 1024);
    }
    return 0;
}
