// Two handled signals: the first returns to an empty mask, the second to a mask with SIGUSR2.
// strace: rt_sigreturn({mask=[]}) = 0, then rt_sigreturn({mask=[USR2]}) = 0.
#include <signal.h>
static void handler(int signal) { (void)signal; }
int main(void) {
    signal(SIGUSR1, handler);
    raise(SIGUSR1);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    sigprocmask(SIG_BLOCK, &mask, 0);
    raise(SIGUSR1);
    return 0;
}
