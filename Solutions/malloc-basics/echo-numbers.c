#include <stdio.h>
#include <stdlib.h>

int main(void) {
    int n;
    if (scanf("%d", &n) != 1 || n < 0) {
        fprintf(stderr, "expected a count on the first line\n");
        return 1;
    }
    int *numbers = malloc((size_t)n * sizeof *numbers);
    if (numbers == NULL) {
        fprintf(stderr, "allocation failed\n");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        if (scanf("%d", &numbers[i]) != 1) {
            fprintf(stderr, "expected %d numbers\n", n);
            free(numbers);
            return 1;
        }
    }
    for (int i = 0; i < n; i++) {
        printf("%d\n", numbers[i]);
    }
    free(numbers);
    return 0;
}
