// The C program of SignalOracleTests (kept as Swift source: a .c file would make the test target mixed-language).
let signalOracleSource = #"""
/* Signal oracle: raises signals of many kinds and records, from an SA_SIGINFO handler, the raw
   128-byte siginfo each delivery carried ("sig HEX" in side.txt, in delivery order). Traced with
   `strace -o` (no -f: the parent's `--- SIG… {…} ---` lines only), the test decodes every
   recorded siginfo and compares with strace's line. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char side[1 << 16];
static size_t used;
static sigjmp_buf back;
static volatile int jump;

static void handler(int sig, siginfo_t *info, void *context) {
    used += snprintf(side + used, sizeof side - used, "sig ");
    for (size_t i = 0; i < sizeof *info; i++) used += snprintf(side + used, sizeof side - used, "%02x", ((unsigned char *)info)[i]);
    used += snprintf(side + used, sizeof side - used, "\n");
    if (jump) { jump = 0; siglongjmp(back, 1); }
}

#define FAULT(stmt) do { jump = 1; if (!sigsetjmp(back, 1)) { stmt; } jump = 0; } while (0)

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGUSR1, SIGUSR2, SIGCHLD, SIGALRM, SIGRTMIN, SIGRTMIN + 3, SIGTERM, SIGABRT, SIGWINCH};
    for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);
    sigset_t none;                                        /* a test runner may have blocked some */
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    alarm(0);

    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    FAULT(*(volatile char *)8 = 1);                       /* SEGV_MAPERR */
    FAULT(*(volatile char *)ro = 1);                      /* SEGV_ACCERR */
    FAULT(*(volatile char *)0 = 1);                       /* SEGV_MAPERR, NULL */
    FAULT(*(volatile long *)0x8000000000000000UL = 1);    /* SI_KERNEL (non-canonical address) */
    FILE *f = tmpfile();
    char *beyond = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fileno(f), 0);
    FAULT((void)*(volatile char *)(beyond + 4096));       /* SIGBUS BUS_ADRERR */
    FAULT(__asm__ volatile("xor %%ecx, %%ecx; mov $1, %%eax; cltd; idiv %%ecx" ::: "eax", "ecx", "edx")); /* SIGFPE FPE_INTDIV */
    FAULT(__asm__ volatile("ud2"));                       /* SIGILL ILL_ILLOPN */
    __asm__ volatile("int3");                             /* SIGTRAP SI_KERNEL */
    kill(getpid(), SIGUSR1);                              /* SI_USER */
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2); /* SI_TKILL */
    raise(SIGABRT);                                       /* SI_TKILL via raise */
    union sigval value = {.sival_int = 42};
    sigqueue(getpid(), SIGRTMIN, value);                  /* SI_QUEUE with a value */
    value.sival_ptr = ro;
    sigqueue(getpid(), SIGRTMIN + 3, value);
    sigqueue(getpid(), SIGWINCH, (union sigval){.sival_int = 0}); /* SI_QUEUE, no value */
    alarm(1); pause();                                    /* SIGALRM SI_KERNEL (the alarm ends the pause) */
    sigset_t block, old;
    sigemptyset(&block); sigaddset(&block, SIGCHLD);
    int codes[] = {0, 3, SIGKILL, SIGSEGV};
    for (int i = 0; i < 4; i++) {
        sigprocmask(SIG_BLOCK, &block, &old);
        pid_t child = fork();
        if (child == 0) {
            if (i == 0) _exit(0);
            if (i == 1) _exit(3);
            if (i == 2) kill(getpid(), SIGKILL);
            for (volatile long spin = 0; spin < 60000000; spin++) {}  /* some CPU time: si_utime */
            *(volatile int *)8 = 1;
        }
        int status;
        waitpid(child, &status, 0);
        sigprocmask(SIG_SETMASK, &old, NULL);             /* the pending SIGCHLD arrives here */
    }
    kill(getpid(), SIGTERM);
    FILE *out = fopen("side.txt", "w");
    fwrite(side, 1, used, out);
    fclose(out);
    return 0;
}
"""#
