#include <stdio.h>

int main(void) {
    char line[256]
    fgets(line, sizeof line, stdin);
    return 0;
}
