// Spins forever: stopped by RLIMIT_CPU (SIGXCPU) or the wall clock → timeout.
int main(void) { volatile unsigned long n = 0; for (;;) n++; }
