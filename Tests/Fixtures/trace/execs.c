// Execs argv[1] with argv[2...] after doing one write of its own; with "thread" first, a
// second thread does the exec (the kernel then gives it the leader's pid).
#include <pthread.h>
#include <string.h>
#include <unistd.h>
static char **target;
static void *exec_from_thread(void *arg) { (void)arg; execv(target[0], target); return NULL; }
int main(int argc, char **argv) {
    write(1, "before exec\n", 12);
    if (argc > 2 && strcmp(argv[1], "thread") == 0) {
        target = argv + 2;
        pthread_t thread;
        pthread_create(&thread, NULL, exec_from_thread, NULL);
        pthread_join(thread, NULL);
        return 1;
    }
    if (argc > 1) execv(argv[1], argv + 1);
    return 1;
}
