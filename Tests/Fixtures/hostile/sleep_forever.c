// Uses no CPU at all: only the wall-clock deadline stops it → timeout.
#include <unistd.h>
int main(void) { for (;;) pause(); }
