#include <stdio.h>
#include <stdlib.h>

int main(void) {
    for (int i = 0; i < 5; i++) {
        void *p = malloc(200 * 1024);   /* a 204816-byte chunk: each gets a mapping of its own */
        if (p == NULL) {
            fprintf(stderr, "allocation failed\n");
            return 1;
        }
        printf("got %p\n", p);          /* kept: a free would unmap it and raise the threshold */
    }
    return 0;
}
