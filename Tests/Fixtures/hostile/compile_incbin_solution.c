// `.incbin` of the lesson's answer (a file in Solutions/, named by the test as
// LESSONS_SECRET_PATH). Confined, the compiler reads only the system, the toolchain and the
// submission's own folder: compile-error, nothing of the answer shown.
#include <stdio.h>
__asm__(".section .rodata\n.globl secret\nsecret:\n.incbin \"LESSONS_SECRET_PATH\"\n.byte 0\n.previous\n");
extern const char secret[];
int main(void) { fputs(secret, stdout); return 0; }
