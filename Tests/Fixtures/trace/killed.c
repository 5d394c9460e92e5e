// Killed by a signal it sends itself (SIGTERM, default action).
#include <signal.h>
#include <unistd.h>
int main(void) { kill(getpid(), SIGTERM); pause(); return 0; }
