/* execve from a thread that is not the leader: the thread waits until the leader is blocked in
   read(2) (its /proc/…/syscall shows call 0), then execs this program again (without an environment), which prints and
   exits. strace prints the thread's execve line, the leader's read as `<... read resumed>
   <unfinished ...>) = ?`, `+++ superseded by execve in pid T +++` and `<... execve resumed>) = 0`. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int fds[2];
static pid_t leader;
static char **arguments;

static void *thread(void *unused) {
    char path[64], text[64];
    snprintf(path, sizeof path, "/proc/%d/task/%d/syscall", leader, leader);
    for (;;) {
        int fd = open(path, O_RDONLY);
        ssize_t n = read(fd, text, sizeof text - 1);
        close(fd);
        if (n > 2 && text[0] == '0' && text[1] == ' ') break;  /* blocked in read */
    }
    char *argv[] = { arguments[0], "again", NULL };
    syscall(SYS_execve, "/proc/self/exe", argv, NULL);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc > 1) { syscall(SYS_write, 1, "again\n", 6); return 0; }
    leader = getpid();
    arguments = argv;
    pipe(fds);
    dup2(fds[0], 10);  /* a descriptor of its own, apart from the loader's 3 */
    pthread_t t;
    pthread_create(&t, NULL, thread, NULL);
    char c;
    read(10, &c, 1);  /* never returns: the thread's execve ends it */
    return 1;
}
