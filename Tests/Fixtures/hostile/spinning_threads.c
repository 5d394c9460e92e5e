// Eight threads spinning: the CPU limit counts them all → timeout.
#include <pthread.h>
static void *spin(void *unused) { (void)unused; volatile unsigned long n = 0; for (;;) n++; return 0; }
int main(void) {
    pthread_t t[8];
    for (int i = 0; i < 8; i++) pthread_create(&t[i], 0, spin, 0);
    spin(0);
}
