#include <stdio.h>
#include <stdlib.h>
static void *grab(size_t n) { return malloc(n); }
int main(int argc, char **argv) {
    char *a = malloc(200000);
    char *b = grab(300000);
    free(b);
    free(a);
    if (argc > 1) *(volatile int *)0 = 1;
    return 0;
}
