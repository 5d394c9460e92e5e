// Integer division by zero → SIGFPE → crashed. (Not 1 / x: gcc turns that into a compare.)
#include <stdio.h>
int main(int argc, char **argv) { (void)argv; volatile int zero = argc - 1; volatile int r = 100 / zero; printf("%d\n", r); return 0; }
