// Allocates and touches memory without end: malloc fails at the address-space cap, the
// NULL write crashes it → memory-limit (from the refused mmap in the trace).
#include <stdlib.h>
#include <string.h>
int main(void) { for (;;) { char *p = malloc(1 << 20); memset(p, 1, 1 << 20); } }
