// Job control under the tracer: a child stops itself (group-stop), the parent sees the stop
// with waitpid(WUNTRACED), continues it, and the child exits with 6. The parent exits with 0
// only if every step was seen as expected.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    pid_t child = fork();
    if (child == 0) {
        raise(SIGSTOP);
        _exit(6);
    }
    int status;
    if (waitpid(child, &status, WUNTRACED) != child || !WIFSTOPPED(status) || WSTOPSIG(status) != SIGSTOP) return 1;
    kill(child, SIGCONT);
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 6) return 2;
    return 0;
}
