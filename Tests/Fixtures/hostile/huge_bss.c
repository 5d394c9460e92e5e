// A 4 GiB zero-initialised array: the image alone is over the memory cap → memory-limit.
#include <stdio.h>
static char big[4UL << 30];
int main(void) { big[12345] = 1; printf("%d\n", big[12345]); return 0; }
