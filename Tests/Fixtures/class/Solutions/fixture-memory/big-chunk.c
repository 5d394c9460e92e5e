#include <stdlib.h>
#include <string.h>

int main(void) {
    char *p = malloc(200 * 1024);
    if (!p) return 1;
    memset(p, 1, 200 * 1024);
    free(p);
    return 0;
}
