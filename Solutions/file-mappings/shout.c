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
    int fd = open(argv[1], O_RDWR);          /* a shared, writable mapping needs O_RDWR */
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size == 0) {
        fprintf(stderr, "%s: empty or unreadable\n", argv[1]);
        return 1;
    }
    size_t size = (size_t)st.st_size;
    char *text = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (text == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (size_t i = 0; i < size; i++) {
        if (text[i] >= 'a' && text[i] <= 'z') {
            text[i] = (char)(text[i] - 'a' + 'A');
        }
    }
    if (msync(text, size, MS_SYNC) != 0) {    /* write the pages to the file now */
        perror("msync");
        return 1;
    }
    munmap(text, size);

    /* Read the file itself back: the changes are in it. */
    char buffer[4096];
    ssize_t got = pread(fd, buffer, sizeof buffer, 0);
    if (got < 0) {
        perror("pread");
        return 1;
    }
    fwrite(buffer, 1, (size_t)got, stdout);
    close(fd);
    return 0;
}
