#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int *value = mmap(NULL, sizeof *value, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (value == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    *value = 1;
    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return 1;
    }
    if (child == 0) {
        *value = 2;                    /* the child gets its own copy of the page */
        printf("child %d\n", *value);
        exit(0);
    }
    waitpid(child, NULL, 0);
    printf("parent %d\n", *value);
    munmap(value, sizeof *value);
    return 0;
}
