// Memory per process, not per run: eight children each touch 240 MiB under a "256 MiB" limit
// (RLIMIT_AS is per process: 1.9 GiB for the run). A cgroup of the run's own holds the sum.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    enum { children = 8 };
    const size_t size = 240u << 20;
    int ready[2], release[2];
    if (pipe(ready) < 0 || pipe(release) < 0) return 2;
    for (int i = 0; i < children; i++) {
        if (fork() == 0) {
            close(ready[0]); close(release[1]);
            char *memory = malloc(size);
            if (!memory) _exit(3);
            memset(memory, 1, size);          // every page really used
            (void)write(ready[1], "x", 1);
            close(ready[1]);
            char c;
            (void)read(release[0], &c, 1);    // hold it until all have theirs
            _exit(memory[size - 1] == 1 ? 0 : 4);
        }
    }
    close(ready[1]); close(release[0]);
    int held = 0;
    char c;
    while (read(ready[0], &c, 1) == 1) held++;
    close(release[1]);
    int killed = 0, status;
    while (wait(&status) > 0) if (WIFSIGNALED(status)) killed++;
    printf("%d children held 240 MiB at once, %d were killed\n", held, killed);
    return 0;
}
