#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
int main(int argc, char **argv) {
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    fstat(fd, &st);
    char *p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int n = 0;
    for (off_t i = 0; i < st.st_size; i++) if (p[i] == '\n') n++;
    printf("%d\n", n);
    munmap(p, st.st_size);
    close(fd);
    return 0;
}
