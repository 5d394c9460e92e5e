// write() buffers strace must escape, cut at 32 bytes, or print as an address.
#include <string.h>
#include <unistd.h>
int main(void) {
    write(1, "hello\n", 6);
    write(1, "tab\there \"quoted\" back\\slash\r\n", 30);
    write(1, "\x01\x02\x7f\xff\x80 bytes\0nul", 16);
    write(1, "0123456789abcdefghijklmnopqrstuvwxyz-past-32", 44);
    int fds[2];
    pipe(fds);                                      // a pipe copies the buffer (/dev/null would not)
    write(fds[1], (const void *)16, 5);             // EFAULT: printed as an address
    write(99, "x", 1);                  // EBADF
    char buffer[8];
    read(0, buffer, sizeof buffer);
    return 0;
}
