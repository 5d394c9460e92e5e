// The network a run is in: its namespace's identity (and its host-name namespace's), its
// interfaces and whether they are up, and whether the program can bring the loopback up (it
// must not: it has no capability there).
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void) {
    char name[64] = {0};
    if (readlink("/proc/self/ns/net", name, sizeof name - 1) < 0) snprintf(name, sizeof name, "unreadable (%s)", strerror(errno));
    printf("namespace %s\n", name);
    char uts[64] = {0};
    if (readlink("/proc/self/ns/uts", uts, sizeof uts - 1) < 0) snprintf(uts, sizeof uts, "unreadable (%s)", strerror(errno));
    printf("host names %s\n", uts);
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) { printf("socket: %s\n", strerror(errno)); return 1; }
    struct if_nameindex *all = if_nameindex();
    for (struct if_nameindex *i = all; i && i->if_index; i++) {
        struct ifreq r = {0};
        snprintf(r.ifr_name, sizeof r.ifr_name, "%s", i->if_name);
        int got = ioctl(s, SIOCGIFFLAGS, &r);
        printf("interface %s %s\n", i->if_name, got < 0 ? "unknown" : (r.ifr_flags & IFF_UP) ? "up" : "down");
    }
    struct ifreq lo = {0};
    snprintf(lo.ifr_name, sizeof lo.ifr_name, "lo");
    ioctl(s, SIOCGIFFLAGS, &lo);
    lo.ifr_flags |= IFF_UP;
    int up = ioctl(s, SIOCSIFFLAGS, &lo);
    printf("bring lo up = %d %s\n", up, up < 0 ? strerror(errno) : "");
    return 0;
}
