// Never ends: forks two children, and all three spin in pause() (for timeout and kill tests).
#include <unistd.h>
int main(void) {
    for (int i = 0; i < 2; i++) if (fork() == 0) for (;;) pause();
    for (;;) pause();
}
