#include <stdio.h>

/* Prints forever: stopped at the output limit, after a number of writes that depends on timing. */
int main(void) {
    for (;;) printf("spam spam spam spam spam spam spam spam\n");
}
