// SIGSEGV: "maperr" touches an unmapped page, "accerr" writes a read-only mapping.
#include <string.h>
#include <sys/mman.h>
int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "accerr") == 0) {
        volatile char *page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        page[0] = 1;
    } else {
        *(volatile int *)8 = 1;
    }
    return 0;
}
