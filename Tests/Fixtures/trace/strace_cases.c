/* One call for each case where `lessons trace` once printed differently from strace 6.1 (issue
   17) or trapped (issue 12, item 0); the suite traces it with both and compares the lines
   between the getppid() markers. Every call fails or does nothing lasting. It re-executes
   itself once without address randomisation, so both tracers see the same addresses. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#define C(...) syscall(__VA_ARGS__)

int main(int argc, char **argv) {
    int persona = personality(0xffffffff);
    if (persona != -1 && !(persona & ADDR_NO_RANDOMIZE)) {
        personality(persona | ADDR_NO_RANDOMIZE);
        C(SYS_execve, "/proc/self/exe", argv, NULL);
    }
    int devnull = open("/dev/null", O_RDWR);
    /* two read-write pages, then a PROT_NONE one */
    char *page = mmap((void *)0x100000000000, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    mprotect(page + 2 * 4096, 4096, PROT_NONE);
    char *guard = page + 2 * 4096;
    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, NULL);  /* no SIGCHLD line: when it lands is a race */
    C(SYS_getppid);

    /* issue 12, item 0: pointers whose end wraps past 2^64 */
    C(SYS_write, devnull, (void *)-1, 5);
    C(SYS_openat, AT_FDCWD, (char *)-2, O_RDONLY);
    C(SYS_execve, (char *)-1, (char *)-1, (char *)-1);
    C(SYS_read, devnull, (void *)-4096, 8192);

    /* memory calls */
    C(SYS_madvise, page, 4096, 0xfacefeed00000001ULL);
    C(SYS_madvise, page, 4096, -1L);
    page[0] = 1;
    C(SYS_mincore, page, 2 * 4096 - 1, page + 4000);
    C(SYS_mincore, page, 0, page + 4000);
    C(SYS_mincore, page, 4096, guard);
    C(SYS_pkey_alloc, 0, 0xbadc0de8);
    C(SYS_pkey_alloc, 0xbadc0ded00000000ULL, 0xbadc0ded00000002ULL);
    C(SYS_pkey_free, 0x100000000ULL | 123);
    C(SYS_remap_file_pages, page, 4096, PROT_READ | 0x10, 0, MAP_SHARED | 0x4000000000000ULL);
    C(SYS_mmap, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | 0xfaced00000000000ULL | (21U << 26), -1, 0);

    /* a NULL buffer with count 0 */
    C(SYS_write, devnull, NULL, 0);
    C(SYS_read, devnull, NULL, 0);
    C(SYS_pread64, devnull, NULL, 0, 0);
    C(SYS_getrandom, NULL, 0, 0);
    /* a buffer whose 33rd byte is unreadable: strace reads one byte more than it shows */
    memset(guard - 32, 'x', 32);
    C(SYS_write, devnull, guard - 32, 40);

    /* clone3: every one fails (exit_signal 65 is invalid), so no process is made */
    uint64_t *args = (uint64_t *)(page + 1024);
    memset(args, 0, 128);
    args[0] = 0xdec0deac0040007fULL; args[4] = 65;
    C(SYS_clone3, args, 64);
    args[0] = CLONE_PARENT_SETTID | CLONE_PIDFD; args[1] = (uint64_t)(page + 2048); args[3] = (uint64_t)(page + 2056);
    int32_t *tids = (int32_t *)(page + 3000);
    tids[0] = 1234; tids[1] = -1;
    args[8] = (uint64_t)tids; args[9] = 2;
    C(SYS_clone3, args, 88);
    args[11] = 0xbadc0ded;  /* a byte past the struct strace knows */
    C(SYS_clone3, args, 96);
    args[9] = 33;
    C(SYS_clone3, args, 75);  /* set_tid_size read in part */
    C(SYS_clone3, args, 80);
    C(SYS_clone3, args, 56);
    C(SYS_clone3, guard - 40, 64);

    /* execve with an environment that runs into the unreadable page */
    char **envp = (char **)(guard - 3 * sizeof(char *));
    envp[0] = envp[1] = envp[2] = "A=1";
    char *nothing[] = { "/nonexistent/x", NULL };
    C(SYS_execve, "/nonexistent/x", nothing, envp);

    /* tv_nsec is printed unsigned */
    struct timespec bad = { 0, -1 };
    C(SYS_nanosleep, &bad, NULL);
    C(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &bad, NULL);

    /* dup3 and pipe2 flags: the whole open flag table, 32 bits */
    C(SYS_dup3, devnull, 100, O_TRUNC | O_CLOEXEC | 0x100000000ULL);
    C(SYS_pipe2, guard, O_TRUNC);

    /* futex */
    uint32_t *word = (uint32_t *)(page + 512);
    *word = 7;
    C(SYS_futex, word, 0x101, 1, 0, 0, 0);
    C(SYS_futex, word, FUTEX_FD | FUTEX_PRIVATE_FLAG, 3, 0, 0, 0);
    C(SYS_futex, word, FUTEX_WAKE_OP, 1, 0, word + 1, FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 2));
    C(SYS_futex, word, FUTEX_WAKE_OP_PRIVATE, 1, 2, word + 1, 0xffffffffU);
    C(SYS_futex, word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 8, &bad, 0, 0);
    C(SYS_futex, word, FUTEX_WAKE_BITSET, 1, 0, 0, 0xffffffffU);
    C(SYS_futex, word, FUTEX_WAIT, 8, NULL, 0, 0);
    C(SYS_futex, word, 0xbefeeded, 1, 2, 3, 4);

    /* arch_prctl */
    uint64_t *value = (uint64_t *)(page + 3500);
    C(SYS_arch_prctl, 0x1011, 0);             /* ARCH_GET_CPUID */
    C(SYS_arch_prctl, 0x1001, 0);             /* ARCH_SET_GS, 0 */
    C(SYS_arch_prctl, 0x1004, value);         /* ARCH_GET_GS: [NULL] */
    C(SYS_arch_prctl, 0x1003, guard);         /* ARCH_GET_FS into the guard: EFAULT */
    C(SYS_arch_prctl, 0x2003, 0);             /* ARCH_MAP_VDSO_64: EEXIST */
    C(SYS_arch_prctl, 0x1021, value);         /* ARCH_GET_XCOMP_SUPP */
    C(SYS_arch_prctl, 0x1023, 99);            /* ARCH_REQ_XCOMP_PERM of an unknown feature */
    C(SYS_arch_prctl, 0x3000, 0x1234);

    /* wait4 and waitid: children that exit at once (their rusage and times are normalised) */
    int *status = (int *)(page + 3600);
    void *usage = page + 3700;
    siginfo_t *info = (siginfo_t *)(page + 1500);
    pid_t child = C(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (child == 0) C(SYS_exit, 3);
    C(SYS_waitid, P_PID, child, info, WEXITED | WNOWAIT, NULL);
    C(SYS_wait4, child, status, __WALL | __WNOTHREAD, usage);
    C(SYS_wait4, child, status, WNOHANG, usage);
    child = C(SYS_clone, SIGCHLD, 0, 0, 0, 0);
    if (child == 0) C(SYS_exit, 0);
    C(SYS_waitid, P_PID, child, info, WEXITED, usage);
    C(SYS_waitid, 7, -1, NULL, 0x40, NULL);

    C(SYS_getppid);
    return 0;
}
