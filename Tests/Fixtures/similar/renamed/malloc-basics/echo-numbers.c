#include <stdlib.h>
#include <stdio.h>

/* my own work */
static int load(int *arr, int len) {
    for (int k = 0; k < len; k++) {
        if (scanf("%d", &arr[k]) != 1) {
            fprintf(stderr, "need %d ints\n", len);   // error
            return 0;
        }
    }
    return 1;
}

static void dump(const int *arr, int len) {
    for (int k = 0; k < len; k++) {
        printf("%d\n", arr[k]);
    }
}

int main(void) {
    int total;
    if (scanf("%d", &total) != 1 || total < 0) {
        fprintf(stderr, "bad count\n");
        return 2;
    }
    int *arr = malloc((size_t)total * sizeof(int));
    if (arr == NULL) {
        fprintf(stderr, "allocation failed\n");
        return 1;
    }
    if (!load(arr, total)) {
        free(arr);
        return 1;
    }
    dump(arr, total);
    free(arr);
    return 0;
}
