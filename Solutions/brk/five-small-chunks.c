#include <stdio.h>
#include <stdlib.h>

int main(void) {
    for (int i = 0; i < 5; i++) {
        void *p = malloc(5000);
        if (p == NULL) {
            fprintf(stderr, "allocation failed\n");
            return 1;
        }
        printf("got %p\n", p);       /* kept: five live blocks side by side */
    }
    return 0;
}
