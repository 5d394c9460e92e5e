#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    long count;
    if (scanf("%ld", &count) != 1 || count <= 0)
        return count == 0 ? 0 : 1;

    int *block = (int *) malloc(sizeof(int) * count);
    if (block == NULL) {
        perror("allocation failed");
        exit(1);
    }

    long index = 0;
    do {
        int value;
        if (scanf("%d", &value) != 1)
            break;
        block[index] = value;
        index = index + 1;
    } while (index < count);

    long shown = 0;
    while (shown < index) {
        printf("%d\n", block[shown]);
        shown++;
    }

    free(block);
    return 0;
}
