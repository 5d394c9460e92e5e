#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n = 0;
    if (scanf("%d", &n) != 1) return 1;
    int *p = malloc(n * sizeof *p);
    if (!p) {
        fputs("allocation failed\n", stderr);
        return 1;
    }
    int got = 0;
    while (got < n && scanf("%d", p + got) == 1) got++;
    for (int *q = p; q < p + got; ++q) printf("%d\n", *q);
    free(p);
    return 0;
}
