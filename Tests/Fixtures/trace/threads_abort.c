// Three threads each end with exit(0) (returning from their function), then the process
// aborts: the threads exited with 0, only the process is killed by SIGABRT (as strace -f says).
#include <pthread.h>
#include <stdlib.h>
static void *work(void *arg) { (void)arg; return NULL; }
int main(void) {
    pthread_t threads[3];
    for (int i = 0; i < 3; i++) pthread_create(&threads[i], NULL, work, NULL);
    for (int i = 0; i < 3; i++) pthread_join(threads[i], NULL);
    abort();
}
