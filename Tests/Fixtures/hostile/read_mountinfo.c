// Reads the mount table: where on the machine does my scratch directory live? (It must not
// say: with a private /tmp the run sees only its own fixed paths.)
#include <stdio.h>
#include <string.h>
int main(void) {
    const char *files[] = { "/proc/self/mountinfo", "/proc/self/mounts" };
    for (int i = 0; i < 2; i++) {
        FILE *f = fopen(files[i], "r");
        if (!f) { printf("%s: unreadable\n", files[i]); continue; }
        char line[4096];
        while (fgets(line, sizeof line, f))
            if (strstr(line, "lessons") || strstr(line, " /tmp")) printf("%s: %s", files[i], line);
        fclose(f);
    }
    return 0;
}
