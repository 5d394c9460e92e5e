#include <stdio.h>
#include <stdlib.h>

static int read_all(int *values, int count) {
    for (int i = 0; i < count; i++) {
        if (scanf("%d", &values[i]) != 1) {
            fprintf(stderr, "expected %d numbers\n", count);
            return 0;
        }
    }
    return 1;
}

static void print_all(const int *values, int count) {
    for (int i = 0; i < count; i++) {
        printf("%d\n", values[i]);
    }
}

int main(void) {
    int n;
    if (scanf("%d", &n) != 1 || n < 0) {
        fprintf(stderr, "expected a count on the first line\n");
        return 1;
    }
    int *values = malloc((size_t)n * sizeof(int));
    if (values == NULL) {
        fprintf(stderr, "allocation failed\n");
        return 1;
    }
    if (!read_all(values, n)) {
        free(values);
        return 1;
    }
    print_all(values, n);
    free(values);
    return 0;
}
