#include <stdlib.h>
#include <string.h>
int main(void) {
    for (int i = 0; i < 8; i++) { char *p = malloc(60 * 1024); memset(p, 1, 60 * 1024); }
    return 0;
}
