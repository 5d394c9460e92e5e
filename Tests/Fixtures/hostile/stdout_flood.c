// Prints without end → output-limit.
#include <stdio.h>
int main(void) { for (;;) fputs("passed passed passed passed passed passed passed passed\n", stdout); }
