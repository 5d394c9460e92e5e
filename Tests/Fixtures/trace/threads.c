// Three threads, each maps and unmaps a page, then the process exits with 7.
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>
static void *work(void *arg) {
    (void)arg;
    void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p, 4096);
    return NULL;
}
int main(void) {
    pthread_t threads[3];
    for (int i = 0; i < 3; i++) pthread_create(&threads[i], NULL, work, NULL);
    for (int i = 0; i < 3; i++) pthread_join(threads[i], NULL);
    // A joined thread may not be reaped yet; once exit_group starts, the kernel reports the
    // group's status (7) for it instead of its own 0. Give the tracers time to reap first.
    usleep(50000);
    return 7;
}
