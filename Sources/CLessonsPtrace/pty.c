// Why C: posix_openpt, grantpt, unlockpt and ptsname_r are declared only under _XOPEN_SOURCE
// or _GNU_SOURCE, which Swift's Glibc module does not define.
#define _GNU_SOURCE
#include "lessons_pty.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

int lessons_open_pty(int *controller, int *terminal) {
    *controller = -1;
    *terminal = -1;
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -1;
    char name[128];
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, sizeof name) != 0) goto fail;
    int slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) goto fail;
    struct termios settings;
    if (tcgetattr(slave, &settings) == 0) {
        settings.c_oflag &= ~(tcflag_t)OPOST;   // the program's bytes, unchanged
        settings.c_lflag &= ~(tcflag_t)ECHO;    // nothing the tool writes comes back as output
        tcsetattr(slave, TCSANOW, &settings);
    }
    struct winsize size = { .ws_row = 24, .ws_col = 80 };
    ioctl(slave, TIOCSWINSZ, &size);
    *controller = master;
    *terminal = slave;
    return 0;
fail:;
    int saved = errno;
    close(master);
    errno = saved;
    return -1;
}
