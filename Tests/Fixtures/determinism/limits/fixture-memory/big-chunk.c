#include <unistd.h>

/* A system call in a loop until the CPU limit: how many got through depends on the machine. */
int main(void) {
    for (;;) getppid();
}
