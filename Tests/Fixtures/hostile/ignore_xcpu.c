// Ignores SIGXCPU and spins: the hard CPU limit (soft + 1 s) sends SIGKILL → timeout.
#include <signal.h>
int main(void) { signal(SIGXCPU, SIG_IGN); volatile unsigned long n = 0; for (;;) n++; }
