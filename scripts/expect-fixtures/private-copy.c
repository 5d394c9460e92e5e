#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
int main(void) {
    int *p = mmap(NULL, sizeof(int), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    *p = 1;
    pid_t pid = fork();
    if (pid == 0) { *p = 2; printf("child %d\n", *p); return 0; }
    waitpid(pid, NULL, 0);
    printf("parent %d\n", *p);
    return 0;
}
