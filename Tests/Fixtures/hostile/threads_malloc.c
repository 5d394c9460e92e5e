// Not hostile: eight threads that each malloc a little. glibc reserves 64 MiB of address space
// per thread arena (PROT_NONE, MAP_NORESERVE); under a 256 MiB cap some reservations fail and
// glibc falls back to an existing arena. That must not be judged memory-limit.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static void *work(void *arg) {
    char *p = malloc(1000);
    if (!p) return (void *)1;
    memset(p, 1, 1000);
    usleep(100000);
    free(p);
    return arg;
}
int main(void) {
    pthread_t t[8];
    int made = 0;
    for (int i = 0; i < 8; i++) if (pthread_create(&t[i], NULL, work, NULL) == 0) made++;
    for (int i = 0; i < made; i++) pthread_join(t[i], NULL);
    printf("threads %d\n", made);
    return 0;
}
