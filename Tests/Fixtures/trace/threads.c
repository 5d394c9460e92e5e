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
    // A joined thread may not be reaped yet when exit_group starts, and the kernel then reports
    // the group's status (7) for it; the tracer says its own 0 anyway (threads_abort has no
    // pause), but strace can lose that race: pause so the strace differential stays stable.
    usleep(50000);
    return 7;
}
