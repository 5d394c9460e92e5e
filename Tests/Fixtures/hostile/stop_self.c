// Stops itself: a stopped tree is still killed at the deadline → timeout.
#include <signal.h>
int main(void) { raise(SIGSTOP); return 0; }
