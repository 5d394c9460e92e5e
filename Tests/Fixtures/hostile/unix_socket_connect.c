// Reaches a UNIX socket on the machine by its path (a database's, dbus's): connect() to a
// listening stream socket at PATH, sendto() a datagram socket at PATH.d (also from one of a
// socketpair), and an abstract socket. Network namespaces and Landlock's TCP rules do not
// cover any of these.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
static struct sockaddr_un address(const char *path, int abstract) {
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strncpy(a.sun_path + (abstract ? 1 : 0), path, sizeof a.sun_path - 2);
    return a;
}
int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "LESSONS_SOCKET_PATH";
    int reached = 0;
    struct sockaddr_un a = address(path, 0);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0) printf("stream socket: %s\n", strerror(errno));
    else {
        int r = connect(s, (struct sockaddr *)&a, sizeof a);
        printf("connect %s\n", r == 0 ? "REACHED" : strerror(errno));
        if (r == 0) { reached = 1; (void)write(s, "escaped\n", 8); }
        close(s);
    }
    char datagram_path[sizeof a.sun_path];
    snprintf(datagram_path, sizeof datagram_path, "%s.d", path);
    struct sockaddr_un b = address(datagram_path, 0);
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    if (d < 0) printf("datagram socket: %s\n", strerror(errno));
    else {
        ssize_t n = sendto(d, "escaped\n", 8, 0, (struct sockaddr *)&b, sizeof b);
        printf("sendto %s\n", n == 8 ? "REACHED" : strerror(errno));
        if (n == 8) reached = 1;
        close(d);
    }
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, pair) < 0) printf("datagram pair: %s\n", strerror(errno));
    else {
        ssize_t n = sendto(pair[0], "escaped\n", 8, 0, (struct sockaddr *)&b, sizeof b);
        printf("pair sendto %s\n", n == 8 ? "REACHED" : strerror(errno));
        if (n == 8) reached = 1;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0) printf("stream pair: made\n");
    struct sockaddr_un hidden = address("lessons-hostile-abstract", 1);
    int h = socket(AF_UNIX, SOCK_STREAM, 0);
    if (h >= 0 && connect(h, (struct sockaddr *)&hidden, sizeof hidden) == 0) { printf("abstract REACHED\n"); reached = 1; }
    return reached ? 42 : 0;
}
