#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Prints the first line of text[0..size) after a prefix. */
static void print_first_line(const char *prefix, const char *text, size_t size) {
    const char *end = memchr(text, '\n', size);
    size_t length = end ? (size_t)(end - text) : size;
    printf("%s%.*s\n", prefix, (int)length, text);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE\n", argv[0]);
        return 1;
    }
    int fd = open(argv[1], O_RDONLY);          /* read-only is enough for a private mapping */
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
    char *text = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (text == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    text[0] = 'J';                             /* copy-on-write: only our copy changes */
    print_first_line("memory: ", text, size);

    char buffer[4096];
    ssize_t got = pread(fd, buffer, sizeof buffer, 0);
    if (got < 0) {
        perror("pread");
        return 1;
    }
    print_first_line("file: ", buffer, (size_t)got);
    munmap(text, size);
    close(fd);
    return 0;
}
