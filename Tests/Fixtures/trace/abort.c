// abort(): SIGABRT raised by the program itself.
#include <stdlib.h>
int main(void) { abort(); }
