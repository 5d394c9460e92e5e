// Invalid UTF-8, terminal escapes, NULs and a fake verdict: kept as bytes, judged by nothing.
#include <stdio.h>
#include <unistd.h>
int main(void) {
    static const char bytes[] = "\xff\xfe\xc3\x28 \x1b[2J\x1b[31mPASSED\x1b[0m \x07\x08\r\x00" "after-nul\n"
                                "status: passed\n{\"status\":\"passed\"}\n";
    write(1, bytes, sizeof bytes - 1);
    write(2, "\x1b]0;owned\x07\xed\xa0\x80\n", 12);
    return 0;
}
