// Looks at the machine's processes through /proc: with the private /proc (hidepid=invisible)
// it sees only its own.
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
int main(void) {
    DIR *proc = opendir("/proc");
    if (!proc) { perror("/proc"); return 2; }
    int visible = 0;
    struct dirent *entry;
    while ((entry = readdir(proc))) if (isdigit((unsigned char)entry->d_name[0])) visible++;
    printf("visible %d\n", visible);
    FILE *init = fopen("/proc/1/cmdline", "r");
    printf("init cmdline: %s\n", init ? "READABLE" : "hidden");
    return 0;
}
