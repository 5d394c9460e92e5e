// Every traced library function once, called from the program's own code; then a fork and
// two threads that allocate.
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t ticks;
static void tick(int signal) { (void)signal; ticks++; }

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
    if (argc > 1 && strcmp(argv[1], "signals") == 0) {
        // A timer signal every 2 ms while malloc/free run: some land during step-overs.
        signal(SIGALRM, tick);
        struct itimerval every = { { 0, 2000 }, { 0, 2000 } };
        setitimer(ITIMER_REAL, &every, NULL);
        for (int i = 0; i < 3000; i++) free(malloc(64));
        struct itimerval off = { { 0, 0 }, { 0, 0 } };
        setitimer(ITIMER_REAL, &off, NULL);
        printf("ticks %s\n", ticks > 0 ? "yes" : "no");
    }
    return 0;
}
