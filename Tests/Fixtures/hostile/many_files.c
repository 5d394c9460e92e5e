// Makes thousands of files (and a few nested directories) in its scratch directory: all of
// it must be gone after the run.
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
int main(void) {
    int made = 0;
    char name[64];
    mkdir("deep", 0700); mkdir("deep/er", 0000);
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "file-%d", i);
        int fd = open(name, O_WRONLY | O_CREAT, 0600);
        if (fd >= 0) { made++; close(fd); }
    }
    int held = 0;
    for (int i = 0; i < 200; i++) if (open("file-0", O_RDONLY) >= 0) held++;
    printf("made %d files, held %d descriptors\n", made, held);
    return 0;
}
