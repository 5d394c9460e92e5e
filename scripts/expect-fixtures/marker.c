/* Linked into the Swift fixture programs only: an executable's constructors run after every
   shared library's (the Swift runtime's included) and right before main, so this getppid()
   marks where start-up ends in a plain strace log. */
#include <unistd.h>
__attribute__((constructor)) static void lessons_fixture_main_marker(void) { getppid(); }
