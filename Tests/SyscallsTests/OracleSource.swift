// Fixtures/oracle.c as Swift source (a .c file in a Swift test target would make it a mixed-language target).
// The C program: see its first comment.
let oracleSource = #"""
/* Oracle for the decoders: makes calls with chosen arguments between two getppid() markers and
   records each call's raw arguments, its return value and the memory it reads or writes in a side
   file ("call NR A0..A5 RET", then "mem ADDR HEX" lines). Run under `strace -o`, the test renders
   each recorded call and compares its line with strace's, byte for byte (addresses included:
   both see the same values). No libc call between the markers makes a syscall of its own. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static char side[1 << 22];
static size_t used;

static void rec(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    used += vsnprintf(side + used, sizeof side - used, fmt, ap);
    va_end(ap);
}

static long call(long nr, unsigned long a, unsigned long b, unsigned long c, unsigned long d, unsigned long e, unsigned long f) {
    long r = syscall(nr, a, b, c, d, e, f);
    long ret = r == -1 ? -errno : r;
    rec("call %ld %lu %lu %lu %lu %lu %lu %ld\n", nr, a, b, c, d, e, f, ret);
    return ret;
}
#define C6(nr, a, b, c, d, e, f) call(nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), (unsigned long)(d), (unsigned long)(e), (unsigned long)(f))
#define C3(nr, a, b, c) C6(nr, a, b, c, 0, 0, 0)

static void mem(const void *p, size_t n) {
    rec("mem %lu ", (unsigned long)p);
    for (size_t i = 0; i < n; i++) rec("%02x", ((const unsigned char *)p)[i]);
    rec("\n");
}
static void memstr(const char *s) { mem(s, strlen(s) + 1); }

int main(void) {
    int devnull = open("/dev/null", O_WRONLY);
    int zero = open("/dev/zero", O_RDONLY);
    int pipefd[2];
    if (devnull < 0 || zero < 0 || pipe(pipefd)) return 1;
    static char buf[256], all[256], big[100];
    static unsigned char statbuf[144];
    for (int i = 0; i < 256; i++) all[i] = (char)i;
    for (int i = 0; i < 100; i++) big[i] = 'a' + i % 26;

    syscall(SYS_getppid);

    /* mmap: every prot, every flag bit, the map types, hugetlb sizes, offsets, descriptors */
    unsigned long prots[] = {0, 1, 2, 3, 4, 5, 7, 8, 0x10, 0x1000, 0x1000000, 0x2000000, 0x3000007, 0xffffffff, 0x100000000};
    for (unsigned i = 0; i < sizeof prots / sizeof *prots; i++) {
        long r = C6(SYS_mmap, 0, 4096, prots[i], MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (r > 0) C3(SYS_munmap, r, 4096, 0);
    }
    for (int bit = 0; bit < 32; bit++) {
        long r = C6(SYS_mmap, 0x7000000000UL, 4096, PROT_READ, (1UL << bit) | (bit < 4 ? 0 : MAP_PRIVATE | MAP_ANONYMOUS), bit < 4 ? 99 : -1, 0);
        if (r > 0) C3(SYS_munmap, r, 4096, 0);
    }
    unsigned long types[] = {0, 1, 2, 3, 4, 5, 8, 0xf, 0x22, 0x21, 0x40022, 0x40022 | (21UL << 26), 0x40022 | (30UL << 26), 0x80000000, 0x4000022};
    for (unsigned i = 0; i < sizeof types / sizeof *types; i++) {
        long r = C6(SYS_mmap, 0, 8192, PROT_READ | PROT_WRITE, types[i], 99, 0x1000);
        if (r > 0) C3(SYS_munmap, r, 8192, 0);
    }
    C6(SYS_mmap, 0, 1UL << 47, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    C6(SYS_mmap, 0, 208896, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, 0xffffffffUL, 0);
    C6(SYS_mmap, 0x10000, 4096, PROT_READ, MAP_PRIVATE, 0x100000000UL + zero, 0x123);
    C6(SYS_mmap, 0, 0, 0, 0, 0, 0);

    /* mprotect, pkey_mprotect, munmap, brk */
    for (unsigned i = 0; i < sizeof prots / sizeof *prots; i++) C3(SYS_mprotect, 1, 4096, prots[i]);
    C6(SYS_pkey_mprotect, 1, 4096, PROT_READ, -1, 0, 0);
    C3(SYS_munmap, 1, 4096, 0);
    C3(SYS_munmap, 0, -1L, 0);
    C3(SYS_brk, 0, 0, 0);
    C3(SYS_brk, 1, 0, 0);

    /* madvise, msync, mlock*, mremap */
    for (int advice = 0; advice <= 27; advice++) C3(SYS_madvise, 1, 4096, advice);
    for (int advice = 99; advice <= 104; advice++) C3(SYS_madvise, 1, 4096, advice);
    for (int f = 0; f <= 8; f++) C3(SYS_msync, 1, 4096, f);
    C3(SYS_msync, 1, 4096, 0x30 | MS_SYNC);
    C3(SYS_mlock, 1, 4096, 0);
    C3(SYS_munlock, 1, 4096, 0);
    for (int f = 0; f <= 4; f++) C3(SYS_mlock2, 1, 4096, f);
    unsigned long mcl[] = {0, 4, 8, 0x11, 0x100};
    for (unsigned i = 0; i < sizeof mcl / sizeof *mcl; i++) C3(SYS_mlockall, mcl[i], 0, 0);
    C3(SYS_munlockall, 0, 0, 0);
    for (int f = 0; f <= 8; f++) C6(SYS_mremap, 1, 4096, 8192, f, 0x20000000, 0);
    C6(SYS_mremap, 1, 4096, 8192, 3, 0, 0);

    /* openat: access modes, each flag bit, modes, directory descriptors, paths */
    const char *missing = "/nonexistent-oracle/x";
    for (int acc = 0; acc < 4; acc++) {
        for (int bit = 2; bit < 32; bit++) {
            C6(SYS_openat, AT_FDCWD, missing, acc | (1UL << bit), 0644, 0, 0);
            memstr(missing);
        }
    }
    unsigned long opens[] = {O_RDONLY, O_WRONLY | O_CREAT | O_TRUNC, O_RDWR | O_TMPFILE, O_RDONLY | O_CLOEXEC | O_DIRECTORY,
                             O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_NONBLOCK | O_SYNC, O_RDONLY | 0100000, O_PATH | O_NOFOLLOW};
    for (unsigned i = 0; i < sizeof opens / sizeof *opens; i++) {
        long r = C6(SYS_openat, AT_FDCWD, "/tmp", opens[i], i == 1 ? 0 : 0600, 0, 0);
        memstr("/tmp");
        if (r >= 0) C3(SYS_close, r, 0, 0);
    }
    const char *paths[] = {"/this/is/a/very/long/path/that/goes/beyond/thirty-two/bytes.txt", "new\nline\"q\\t\x01", "rel", ""};
    for (unsigned i = 0; i < 4; i++) {
        C6(SYS_openat, i == 2 ? 99 : AT_FDCWD, paths[i], O_RDONLY, 0, 0, 0);
        memstr(paths[i]);
    }
    C6(SYS_openat, -1, "rel", O_RDONLY, 0, 0, 0); memstr("rel");
    C6(SYS_openat, AT_FDCWD, 8, O_RDONLY, 0, 0, 0);
    C6(SYS_openat, AT_FDCWD, 0, O_RDONLY, 0, 0, 0);
    C3(SYS_close, -1, 0, 0);
    C3(SYS_close, 99, 0, 0);
    C3(SYS_close, 0x100000063UL, 0, 0);

    /* write: escapes, the 32-byte cut, unreadable and NULL buffers */
    C3(SYS_write, devnull, "hello\n", 6); mem("hello\n", 6);
    for (int start = 0; start < 256; start += 16) { C3(SYS_write, devnull, all + start, 16); mem(all + start, 16); }
    const char *digits[] = {"\x01" "8\x01" "9\x07\x08\x1f a\xc3\xa9", "\0" "1\0" "a\x01" "2", "\033" "0\033" "7\377" "0"};
    size_t digitlen[] = {11, 6, 6};
    for (int i = 0; i < 3; i++) { C3(SYS_write, devnull, digits[i], digitlen[i]); mem(digits[i], digitlen[i]); }
    size_t lengths[] = {0, 1, 31, 32, 33, 100};
    for (int i = 0; i < 6; i++) { C3(SYS_write, devnull, big, lengths[i]); mem(big, lengths[i]); }
    C3(SYS_write, devnull, 8, 10);
    C3(SYS_write, devnull, 0, 5);
    C3(SYS_write, -1, "x", 1); mem("x", 1);
    C3(SYS_write, pipefd[1], "hi\tthere\n\x01", 10); mem("hi\tthere\n\x01", 10);

    /* read: what the call wrote, an empty read, errors */
    memset(buf, 'z', sizeof buf);
    C3(SYS_read, pipefd[0], buf, 64); mem(buf, 10);
    C3(SYS_read, zero, buf, 40); mem(buf, 40);
    C3(SYS_read, zero, buf, 0);
    C3(SYS_read, 99, buf, 10);
    C3(SYS_read, zero, 8, 10);
    C6(SYS_pread64, zero, buf, 5, 4096, 0, 0); mem(buf, 5);

    /* lseek, getrandom, stat */
    for (int whence = 0; whence <= 5; whence++) C3(SYS_lseek, devnull, whence == 1 ? -5L : 100, whence);
    C3(SYS_getrandom, buf, 8, 1); mem(buf, 8);
    C3(SYS_getrandom, buf, 0, 0);
    C3(SYS_getrandom, 8, 8, 0);
    C3(SYS_getrandom, buf, 8, 8);
    C6(SYS_newfstatat, devnull, "", statbuf, AT_EMPTY_PATH, 0, 0); memstr(""); mem(statbuf, 144);
    C6(SYS_newfstatat, AT_FDCWD, "/etc/hostname", statbuf, 0, 0, 0); memstr("/etc/hostname"); mem(statbuf, 144);
    C6(SYS_newfstatat, AT_FDCWD, "/tmp", statbuf, AT_SYMLINK_NOFOLLOW, 0, 0); memstr("/tmp"); mem(statbuf, 144);
    C6(SYS_newfstatat, AT_FDCWD, missing, statbuf, 0, 0, 0); memstr(missing);
    C3(SYS_fstat, pipefd[0], statbuf, 0); mem(statbuf, 144);
    C3(SYS_fstat, zero, statbuf, 0); mem(statbuf, 144);
    C3(SYS_fstat, 99, statbuf, 0);

    /* process calls that fail or do nothing */
    for (int sig = 0; sig <= 66; sig++) C3(SYS_kill, INT_MAX, sig, 0);
    C3(SYS_kill, -1, 0, 0);
    C3(SYS_tkill, INT_MAX, 9, 0);
    C3(SYS_tgkill, INT_MAX, INT_MAX, 15);
    unsigned long waits[] = {0, 1, 2, 4, 8, 0x10, 0x1000000, 0x20000000, 0x40000000, 0x80000000, 0x40000001};
    for (unsigned i = 0; i < sizeof waits / sizeof *waits; i++) C6(SYS_wait4, -1, i ? statbuf : 0, waits[i], i & 1 ? 8 : 0, 0, 0);
    C6(SYS_clone, CLONE_THREAD | SIGCHLD, 0, 0, 0, 0, 0);
    C6(SYS_clone, CLONE_THREAD, 0x1000, 0, 0, 0, 0);
    static int ptid = 77;
    C6(SYS_clone, CLONE_THREAD | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_SETTLS | SIGCHLD, 0, &ptid, 0x1234, 0x5678, 0); mem(&ptid, 4);
    static unsigned long long cargs[11] = {CLONE_THREAD | CLONE_CHILD_CLEARTID | CLONE_SETTLS, 0, 0x1000, 0x2000, 17, 0x3000, 0x4000, 0x5000};
    C3(SYS_clone3, cargs, 88, 0); mem(cargs, 88);
    C3(SYS_clone3, cargs, 64, 0); mem(cargs, 64);
    C3(SYS_clone3, cargs, 8, 0);
    C3(SYS_clone3, 8, 88, 0);

    /* execve that fails: argv and envp as strace prints them */
    static char *argv[] = {"/nonexistent", "arg1", "a long argument that is longer than thirty-two bytes", "x\ty", NULL};
    static char *envp[] = {"A=1", "B=2", NULL};
    static char *env1[] = {"A=1", NULL};
    C3(SYS_execve, argv[0], argv, envp);
    memstr(argv[0]); mem(argv, sizeof argv); for (int i = 0; argv[i]; i++) memstr(argv[i]); mem(envp, sizeof envp);
    C3(SYS_execve, argv[0], argv + 4, env1);
    memstr(argv[0]); mem(argv + 4, 8); mem(env1, sizeof env1);
    C3(SYS_execve, argv[0], 0, 0); memstr(argv[0]);
    C3(SYS_execve, 8, 8, 8);

    /* start-up and fork-time calls */
    C3(SYS_set_robust_list, 0x7f5368f1aa20, 24, 0);
    C3(SYS_set_robust_list, 0x7f5368f1aa20, 23, 0);
    C3(SYS_set_tid_address, 0, 0, 0);
    C3(SYS_arch_prctl, 0x1003, statbuf, 0); mem(statbuf, 8);
    C3(SYS_arch_prctl, 0x3001, 8, 0);
    C3(SYS_access, "/etc/ld.so.preload", R_OK, 0); memstr("/etc/ld.so.preload");
    C3(SYS_access, "/tmp", F_OK, 0); memstr("/tmp");
    C3(SYS_access, "/tmp", R_OK | W_OK | X_OK, 0); memstr("/tmp");
    C3(SYS_access, "/tmp", 8, 0); memstr("/tmp");
    /* fcntl: the descriptor-saving commands a shell uses */
    long saved = C3(SYS_fcntl, 1, F_DUPFD, 10);
    C3(SYS_fcntl, 1, F_DUPFD_CLOEXEC, 0);
    C3(SYS_fcntl, saved, F_SETFD, FD_CLOEXEC);
    C3(SYS_fcntl, saved, F_SETFD, 0);
    C3(SYS_fcntl, saved, F_SETFD, 3);
    C3(SYS_fcntl, 99, F_DUPFD, 10);
    C3(SYS_fcntl, -1, F_SETFD, 1);
    C3(SYS_fcntl, 1, F_DUPFD, -5L);
    C3(SYS_fcntl, 0x100000001L, F_DUPFD, 0x100000003L);
    /* prlimit64: the new limit at entry, the old one at exit; 1024 stays plain, 2048 is 2*1024 */
    static unsigned long long rl_old[2], rl_nofile[2], rl_a[2] = {1024, 1025}, rl_b[2] = {2048, ~0ULL}, rl_c[2] = {0, 3 << 20};
    C6(SYS_prlimit64, 0, RLIMIT_STACK, 0, rl_old, 0, 0); mem(rl_old, 16);
    C6(SYS_prlimit64, 0, RLIMIT_NOFILE, 0, rl_nofile, 0, 0); mem(rl_nofile, 16);
    C6(SYS_prlimit64, 0, RLIMIT_NOFILE, rl_nofile, rl_old, 0, 0); mem(rl_nofile, 16); mem(rl_old, 16);
    C6(SYS_prlimit64, 0, RLIMIT_CORE, rl_b, rl_old, 0, 0); mem(rl_b, 16); mem(rl_old, 16);
    C6(SYS_prlimit64, 0, RLIMIT_CORE, rl_c, rl_old, 0, 0); mem(rl_c, 16); mem(rl_old, 16);
    C6(SYS_prlimit64, 0, RLIMIT_CORE, rl_a, 0, 0, 0); mem(rl_a, 16);
    C6(SYS_prlimit64, 0, 99, 0, rl_old, 0, 0);
    C6(SYS_prlimit64, 0, 16, 0, rl_old, 0, 0);
    C6(SYS_prlimit64, 0, RLIMIT_STACK, 8, 16, 0, 0);
    static unsigned long long sets[4] = {1UL << (SIGABRT - 1), 0, ~0ULL, 0};
    static unsigned long long oldset;
    C6(SYS_rt_sigprocmask, SIG_UNBLOCK, &sets[0], 0, 8, 0, 0); mem(&sets[0], 8);
    C6(SYS_rt_sigprocmask, SIG_BLOCK, &sets[1], &oldset, 8, 0, 0); mem(&sets[1], 8); mem(&oldset, 8);
    C6(SYS_rt_sigprocmask, SIG_SETMASK, &sets[2], &oldset, 8, 0, 0); mem(&sets[2], 8); mem(&oldset, 8);
    sets[3] = ~((1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)) | (1ULL << 31) | (1ULL << 32));
    C6(SYS_rt_sigprocmask, SIG_SETMASK, &sets[3], &oldset, 8, 0, 0); mem(&sets[3], 8); mem(&oldset, 8);
    C6(SYS_rt_sigprocmask, SIG_SETMASK, 0, &oldset, 8, 0, 0); mem(&oldset, 8);
    C6(SYS_rt_sigprocmask, 5, 0, 0, 8, 0, 0);
    C6(SYS_rt_sigprocmask, SIG_SETMASK, 8, &oldset, 8, 0, 0);
    C6(SYS_rt_sigprocmask, SIG_SETMASK, &sets[1], &oldset, 7, 0, 0); mem(&sets[1], 8);
    static int fds[2];
    long pr = C3(SYS_pipe, fds, 0, 0); mem(fds, 8);
    if (pr == 0) { C3(SYS_close, fds[0], 0, 0); C3(SYS_close, fds[1], 0, 0); }
    pr = C3(SYS_pipe2, fds, O_CLOEXEC | O_NONBLOCK, 0); mem(fds, 8);
    if (pr == 0) { C3(SYS_close, fds[0], 0, 0); C3(SYS_close, fds[1], 0, 0); }
    C3(SYS_pipe2, 8, 0, 0);
    C3(SYS_pipe2, fds, 1, 0);
    long d = C3(SYS_dup, devnull, 0, 0);
    C3(SYS_dup2, devnull, d, 0);
    C3(SYS_dup3, devnull, d, O_CLOEXEC);
    C3(SYS_dup3, devnull, d, 0);
    C3(SYS_close, d, 0, 0);

    /* futex and the terminal ioctls stdio makes */
    static int word = 5;
    static struct { long sec, nsec; } ts = {0, 1000};
    C6(SYS_futex, &word, 0, 4, &ts, 0, 0); mem(&ts, 16);
    C6(SYS_futex, &word, 128, 6, 0, 0, 0);
    C6(SYS_futex, &word, 1, 1, 0, 0, 0);
    C6(SYS_futex, &word, 129, 1, 0, 0, 0);
    C6(SYS_futex, &word, 9 | 256, 4, &ts, 0, 0xffffffff); mem(&ts, 16);
    C6(SYS_futex, &word, 9 | 128 | 256, 6, &ts, 0, 0xffffffff); mem(&ts, 16);
    C6(SYS_futex, &word, 10 | 128, 1, 0, 0, 1);
    C6(SYS_futex, &word, 3, 1, 2, &ts, 0);
    C6(SYS_futex, &word, 4 | 128, 1, 2, &ts, 5);
    C6(SYS_futex, &word, 7, 0, 0, 0, 0);
    C6(SYS_futex, &word, 0x400, 1, 0, 0, 0);
    C6(SYS_futex, &word, 99, 1, 0, 0, 0);
    C6(SYS_futex, 0, 0, 0, 8, 0, 0);
    C3(SYS_ioctl, devnull, 0x5401, statbuf);
    C3(SYS_ioctl, 99, 0x5401, statbuf);
    C3(SYS_ioctl, devnull, 0x5413, statbuf);

    /* rt_sigaction: the kernel struct is handler, flags, restorer, mask; strace reads 88 bytes
       (its mask is NSIG / sizeof(long) longs) */
    static unsigned long act[11], oldact[11];
    act[0] = 0x1234; act[1] = 0x04000000 | 0x10000000 | 0x4; act[2] = 0x5678; act[3] = 1UL << (SIGSEGV - 1);
    C6(SYS_rt_sigaction, SIGUSR1, act, oldact, 8, 0, 0); mem(act, 88); mem(oldact, 88);
    act[0] = 1; act[1] = 0xffffffff80000200UL; act[3] = 0;
    C6(SYS_rt_sigaction, SIGUSR1, act, oldact, 8, 0, 0); mem(act, 88); mem(oldact, 88);
    act[0] = 0; act[1] = 0;
    C6(SYS_rt_sigaction, SIGUSR1, act, oldact, 8, 0, 0); mem(act, 88); mem(oldact, 88);
    C6(SYS_rt_sigaction, SIGUSR1, 0, oldact, 8, 0, 0); mem(oldact, 88);
    C6(SYS_rt_sigaction, SIGKILL, act, 0, 8, 0, 0); mem(act, 88);
    C6(SYS_rt_sigaction, SIGUSR1, 8, 0, 8, 0, 0);
    C6(SYS_rt_sigaction, SIGUSR1, act, oldact, 7, 0, 0); mem(act, 88);

    /* calls in strace's raw form */
    C3(SYS_getpid, 0, 0, 0);
    C3(SYS_gettid, 0, 0, 0);
    C3(SYS_sched_yield, 0, 0, 0);
    C6(500, 1, 2, 3, 4, 5, 6);
    C6(1000, 0, 0x10, 0, 0, 0, 0);

    syscall(SYS_getppid);
    FILE *out = fopen("side.txt", "w");
    if (!out) return 1;
    fwrite(side, 1, used, out);
    fclose(out);
    return 0;
}
"""#
