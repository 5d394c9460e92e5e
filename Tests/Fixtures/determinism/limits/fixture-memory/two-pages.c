#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

/* Forks: real pids and the run's uid show in the trace (clone, wait4, SIGCHLD's si_pid and si_uid). */
int main(void) {
    pid_t child = fork();
    if (child == 0) { getppid(); _exit(3); }
    kill(child, 0);
    waitpid(child, NULL, 0);
    return 0;
}
