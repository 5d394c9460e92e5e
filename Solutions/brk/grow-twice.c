#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    /* The first malloc raises the break by 0x21000 bytes (132 KiB); every later rise adds
       what is missing plus a 128 KiB pad. 16 live blocks of 64 KiB need 1 MiB, so the
       break rises several times. */
    for (int i = 0; i < 16; i++) {
        char *p = malloc(64 * 1024);
        if (p == NULL) {
            fprintf(stderr, "allocation failed\n");
            return 1;
        }
        memset(p, i, 64 * 1024);
    }
    return 0;
}
