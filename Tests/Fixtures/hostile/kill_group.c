// kill(0, SIGKILL): its whole process group. The program is its own group (setsid in the
// sandbox), so only it dies → crashed; the grader never shared the group.
#include <signal.h>
#include <stdio.h>
int main(void) { printf("bye\n"); fflush(stdout); kill(0, SIGKILL); return 0; }
