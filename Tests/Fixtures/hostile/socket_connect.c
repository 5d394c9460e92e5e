// Tries the network: TCP to a public address and to the loopback, UDP to a resolver.
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
static int try_tcp(const char *ip, int port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) { printf("tcp socket: %s\n", strerror(errno)); return 0; }
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port) };
    inet_pton(AF_INET, ip, &a.sin_addr);
    int r = connect(s, (struct sockaddr *)&a, sizeof a);
    printf("connect %s:%d = %d %s\n", ip, port, r, r < 0 ? strerror(errno) : "");
    close(s);
    return r == 0;
}
int main(void) {
    int escaped = try_tcp("1.1.1.1", 80) | try_tcp("127.0.0.1", 22) | try_tcp("10.0.0.1", 80);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    if (u >= 0) {
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(53) };
        inet_pton(AF_INET, "8.8.8.8", &a.sin_addr);
        ssize_t n = sendto(u, "x", 1, 0, (struct sockaddr *)&a, sizeof a);
        printf("udp sendto = %zd %s\n", n, n < 0 ? strerror(errno) : "");
        if (n == 1) escaped = 1;
    }
    return escaped ? 42 : 0;
}
