#include <stdio.h>
#include <stdlib.h>
int main(void) {
    int n;
    if (scanf("%d", &n) != 1) return 1;
    int *a = malloc(n * sizeof(int));
    if (!a) { fprintf(stderr, "allocation failed\n"); return 1; }
    for (int i = 0; i < n; i++) scanf("%d", &a[i]);
    for (int i = 0; i < n; i++) printf("%d\n", a[i]);
    free(a);
    return 0;
}
