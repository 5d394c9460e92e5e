#include <stdlib.h>

/* Never ends: stopped at the CPU limit. */
int main(void) {
    volatile unsigned long n = 0;
    char *p = malloc(200 * 1024);
    for (;;) n += p != 0;
    return 0;
}
