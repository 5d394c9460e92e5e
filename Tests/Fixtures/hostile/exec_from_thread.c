// A second thread runs the dynamic loader to start a shell (the exec replaces the whole
// process): the exec watch must stop it too.
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
static void *run(void *unused) {
    (void)unused;
    char *argv[] = { "ld.so", "/bin/sh", "-c", "echo SHELL-RAN", NULL };
    execv("/lib64/ld-linux-x86-64.so.2", argv);
    return NULL;
}
int main(void) {
    pthread_t t;
    pthread_create(&t, NULL, run, NULL);
    pthread_join(t, NULL);
    printf("exec failed\n");
    return 0;
}
