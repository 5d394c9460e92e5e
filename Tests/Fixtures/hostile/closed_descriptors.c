// Closes its standard descriptors and every other one it can, then writes anyway.
#include <stdio.h>
#include <unistd.h>
int main(void) {
    for (int fd = 0; fd < 1024; fd++) close(fd);
    printf("nobody hears this\n");
    fprintf(stderr, "nor this\n");
    return 0;
}
