// Not hostile: POSIX shared memory works in the run's private /dev/shm and leaves nothing in
// the machine's.
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "/lessons-hostile-shm";
    int fd = shm_open(name, O_CREAT | O_RDWR, 0600);
    if (fd < 0) { perror("shm_open"); return 2; }
    if (ftruncate(fd, 4096) < 0) { perror("ftruncate"); return 3; }
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) { perror("mmap"); return 4; }
    strcpy(p, "shared");
    printf("%s\n", p);
    return 0;
}
