// Every protection and the usual mmap flags, the calls around mappings, and failing calls.
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
int main(void) {
    int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC, PROT_READ | PROT_WRITE | PROT_EXEC };
    for (unsigned i = 0; i < sizeof prots / sizeof prots[0]; i++) {
        void *p = mmap(NULL, 8192, prots[i], MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        munmap(p, 8192);
    }
    void *shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    void *fixed = mmap((void *)0x200000000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    void *populated = mmap(NULL, 16384, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE | MAP_NORESERVE, -1, 0);
    void *stack = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_GROWSDOWN, -1, 0);
    int fd = open("/etc/passwd", O_RDONLY);
    void *file = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    void *moved = mremap(populated, 16384, 32768, MREMAP_MAYMOVE);
    mprotect(moved, 4096, PROT_READ);
    madvise(moved, 32768, MADV_DONTNEED);
    msync(shared, 4096, MS_SYNC);
    mlock(shared, 4096);
    munlock(shared, 4096);
    // Failing calls: a bad fd, an unaligned munmap, a huge request.
    mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 12345, 0);
    munmap((char *)shared + 1, 4096);
    mmap(NULL, (size_t)1 << 46, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect((void *)0x1000, 4096, PROT_READ);
    munmap(shared, 4096); munmap(fixed, 4096); munmap(moved, 32768); munmap(stack, 65536); munmap(file, 4096);
    return 0;
}
