#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 1;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        perror("fstat");
        return 1;
    }
    size_t size = (size_t)st.st_size;
    long lines = 0;
    if (size > 0) {                    /* mmap refuses a length of 0 */
        char *text = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (text == MAP_FAILED) {
            perror("mmap");
            return 1;
        }
        for (size_t i = 0; i < size; i++) {
            if (text[i] == '\n') lines++;
        }
        munmap(text, size);
    }
    close(fd);
    printf("%ld\n", lines);
    return 0;
}
