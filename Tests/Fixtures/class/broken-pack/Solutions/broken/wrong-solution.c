#include <stdio.h>

int main(void) {
    puts("wrong");
    return 0;
}
