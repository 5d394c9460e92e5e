// Not hostile: shows what a sandboxed program gets (environment, working directory, a case
// file, stdin), so the tests can check the documented minimum.
#include <stdio.h>
#include <unistd.h>
extern char **environ;
int main(int argc, char **argv) {
    int n = 0;
    for (char **e = environ; *e; e++, n++) printf("%s\n", *e);
    printf("variables=%d\n", n);
    char cwd[1024];
    printf("cwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
    char line[256];
    if (argc > 1) { FILE *f = fopen(argv[1], "r"); if (f && fgets(line, sizeof line, f)) printf("file: %s", line); }
    if (fgets(line, sizeof line, stdin)) printf("stdin: %s", line);
    return 0;
}
