// 250 MB of .data (issue #12 item 9): the compile cache would keep a 250 MB entry for ever,
// copy it into every run's scratch folder and read it whole at every hit. The compiler may
// write no file over the per-program limit: a compile error.
#include <stdio.h>
__asm__(".data\n.globl lessons_filler\nlessons_filler:\n.fill 250000000\n.text\n");
int main(void) { puts("ok"); return 0; }
