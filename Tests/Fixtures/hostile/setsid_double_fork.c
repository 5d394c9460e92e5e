// The classic daemon escape: fork, setsid, fork again, parent exits at once. The grandchild
// would write a marker much later; it must die with the run.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) {
    const char *marker = argc > 1 ? argv[1] : "/tmp/lessons-hostile-daemon-marker";
    pid_t child = fork();
    if (child == 0) {
        setsid();
        if (fork() == 0) {
            sleep(3);
            int fd = open(marker, O_WRONLY | O_CREAT, 0666);
            if (fd < 0) fd = open("daemon-was-here", O_WRONLY | O_CREAT, 0666);
            for (;;) pause();
        }
        _exit(0);
    }
    printf("parent leaves\n");
    return 0;
}
