// Another student's submission, pulled in twice: `#include` (the -H check names it) and
// `.incbin` (which -H cannot see). The test names the file as LESSONS_SIBLING_PATH.
// Confined, the compiler cannot open it: compile-error, nothing of it shown.
#include <stdio.h>
__asm__(".section .rodata\n.globl sibling\nsibling:\n.incbin \"LESSONS_SIBLING_PATH\"\n.byte 0\n.previous\n");
extern const char sibling[];
#include "LESSONS_SIBLING_PATH"
int main(void) { fputs(sibling, stdout); return 0; }
