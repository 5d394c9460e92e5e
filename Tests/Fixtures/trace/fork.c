// Two children that exit with 3 and 4; the parent waits for both and exits with 5.
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    for (int i = 0; i < 2; i++) {
        pid_t pid = fork();
        if (pid == 0) {
            write(1, "child\n", 6);
            _exit(3 + i);
        }
        int status;
        waitpid(pid, &status, 0);
    }
    write(1, "parent\n", 7);
    return 5;
}
