// Every traced library function once, called from the program's own code; then a fork and
// two threads that allocate.
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void *worker(void *arg) {
    void *p = malloc((size_t)arg);
    free(p);
    return NULL;
}

int main(int argc, char **argv) {
    mallopt(M_MMAP_THRESHOLD, 65536);
    char *a = malloc(5000);
    char *b = calloc(10, 100);
    a = realloc(a, 100000);
    void *old = sbrk(0);
    void *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m, 8192);
    free(b);
    free(a);
    printf("%p\n", old);
    if (argc > 1 && strcmp(argv[1], "fork") == 0) {
        pid_t child = fork();
        if (child == 0) { free(malloc(77)); _exit(0); }
        waitpid(child, NULL, 0);
    }
    if (argc > 1 && strcmp(argv[1], "threads") == 0) {
        pthread_t t1, t2;
        pthread_create(&t1, NULL, worker, (void *)1111);
        pthread_join(t1, NULL);
        pthread_create(&t2, NULL, worker, (void *)2222);
        pthread_join(t2, NULL);
    }
    return 0;
}
