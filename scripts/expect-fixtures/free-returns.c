#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    char *p = malloc(1048576);
    memset(p, 1, 1048576);
    free(p);
    printf("done\n");
    return 0;
}
