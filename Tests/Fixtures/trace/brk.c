// brk: the heap's start, one growth, one shrink. Expected after main:
//   brk(NULL) = B;  brk(B + 0x1000) = B + 0x1000;  brk(B) = B;  exit_group(0)
#include <unistd.h>
#include <stdint.h>
int main(void) {
    void *start = sbrk(0);
    brk((char *)start + 4096);
    brk(start);
    return 0;
}
