// Writes to stderr without end → output-limit.
#include <stdio.h>
int main(void) { for (;;) fputs("error error error error error error error error error\n", stderr); }
