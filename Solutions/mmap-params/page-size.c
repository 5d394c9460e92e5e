#include <stdio.h>
#include <unistd.h>

int main(void) {
    printf("sysconf=%ld getpagesize=%d\n", sysconf(_SC_PAGESIZE), getpagesize());
    return 0;
}
