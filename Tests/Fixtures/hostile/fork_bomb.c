// Forks without end: RLIMIT_NPROC refuses past the cap, the wall clock ends it → timeout,
// and no process of the run may survive.
#include <unistd.h>
int main(void) { for (;;) fork(); }
