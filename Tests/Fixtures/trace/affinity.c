// Prints how many CPUs it may run on and how much memory it touched; burns a little CPU.
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
    cpu_set_t set;
    sched_getaffinity(0, sizeof set, &set);
    char *block = malloc(32 << 20);
    memset(block, 1, 32 << 20);
    volatile unsigned long spin = 0;
    for (unsigned long i = 0; i < 50000000UL; i++) spin += i;
    printf("%d\n", CPU_COUNT(&set));
    return block[100] - 1;
}
