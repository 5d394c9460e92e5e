// The compiler reads any file it can open: `.incbin` puts /etc/shadow into the program, which
// prints it. As root, unconfined, that worked. Confined, the assembler runs as a uid of its
// own (or as a normal user), so it cannot open the file: compile-error, nothing of it shown.
#include <stdio.h>
__asm__(".section .rodata\n.globl secret\nsecret:\n.incbin \"/etc/shadow\"\n.byte 0\n.previous\n");
extern const char secret[];
int main(void) { fputs(secret, stdout); return 0; }
