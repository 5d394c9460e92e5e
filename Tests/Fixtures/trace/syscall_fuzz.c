/* The differential fuzzer's driver: makes COUNT calls, each a call lessons decodes, with
   arguments from a seeded generator -- NULL, -1, pointers that wrap past 2^64, unaligned
   lengths, unknown flag bits, pointers into unmapped and PROT_NONE pages, structs of random
   bytes -- so that `strace -f` and `lessons trace` can be compared on the same run
   (scripts/strace-fuzz.sh, and a short run in TracingTests).
   Usage: syscall_fuzz SEED COUNT
   It re-executes itself once without address randomisation, so both tracers see the same
   addresses, and makes its calls between two getppid() markers. Every call is chosen to be
   harmless as root: paths never name an existing file outside the working directory, fds are
   /dev/null, /dev/zero or closed ones, memory calls touch only its scratch area, no process,
   thread or signal handler is made, no sleep or futex wait can block for long. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define SCRATCH ((uintptr_t)0x100000000000ULL)  /* 4 pages read-write, then a PROT_NONE page */
#define SCRATCH_SIZE (4 * 4096UL)
#define GUARD (SCRATCH + SCRATCH_SIZE)
#define UNMAPPED ((uintptr_t)0x200000000000ULL)

static uint64_t state;
static uint64_t next(void) {  /* SplitMix64 */
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static unsigned below(unsigned n) { return (unsigned)(next() % n); }
static int devnull, devzero;

/* A pointer argument: NULL, -1, wrapping, kernel space, unmapped, PROT_NONE, or into the
   scratch area (aligned or not, sometimes so close to its end that a struct runs into the guard). */
static uint64_t pointer(void) {
    switch (below(10)) {
    case 0: return 0;
    case 1: return (uint64_t)-1 - below(16);
    case 2: return 0xffffffffffff0000ULL + below(0x10000);
    case 3: return UNMAPPED + below(4096);
    case 4: return GUARD + below(4096);
    case 5: return GUARD - 1 - below(150);
    case 6: return 0xffff800000000000ULL;
    default: return SCRATCH + below(SCRATCH_SIZE - 256);
    }
}
/* A length or count: 0, small, unaligned, page-sized, huge, wrapping. */
static uint64_t length(void) {
    switch (below(8)) {
    case 0: return 0;
    case 1: return 1 + below(40);
    case 2: return 4096 * (1 + below(4));
    case 3: return 4095 + below(3);
    case 4: return (uint64_t)-1 - below(4096);
    case 5: return 1ULL << (32 + below(31));
    default: return below(300);
    }
}
/* A length for a memory call at `addr`: the same, but a range that would reach past the scratch
   area into our own code, data, stack or another mapping is cut to 16 MiB (madvise and munlock
   act on every mapping in their range; mlock and MADV_POPULATE would fill them); ranges that
   pass 2^64 or start in kernel space are kept, the kernel refuses those whole. */
static uint64_t memlen(uint64_t addr) {
    uint64_t len = length();
    if (addr < 0x800000000000ULL && addr + len >= addr) len &= 0xffffffULL;
    return len;
}
static uint64_t memaddr(void) { return below(2) ? SCRATCH + 4096 * below(4) : pointer(); }

/* Flags: known bits, unknown bits, all bits, nothing. */
static uint64_t flags(void) {
    switch (below(6)) {
    case 0: return 0;
    case 1: return next();
    case 2: return next() & 0xffffffff;
    case 3: return (uint64_t)-1;
    default: return 1ULL << below(64) | (below(2) ? 1ULL << below(32) : 0);
    }
}
static uint64_t fd(void) {
    static const uint64_t fds[] = { (uint64_t)-1, 99, 0x100000003ULL /* devnull, high bits set */, 0xffffff9c };
    switch (below(4)) {
    case 0: return (uint64_t)devnull;
    case 1: return (uint64_t)devzero;
    default: return fds[below(4)];
    }
}
static uint64_t pid(void) {  /* never an existing process but our own */
    static const uint64_t pids[] = { 0x3fffff, (uint64_t)-0x3fffff, 0x7fffffff, 0xffffffff00400000ULL };
    return below(4) ? pids[below(4)] : (uint64_t)getpid();
}
static uint64_t sig(void) {  /* signals that are never delivered, or invalid ones */
    static const uint64_t signals[] = { 0, 9, 19, 64, 65, (uint64_t)-1, 0x100000000ULL };
    return signals[below(7)];
}

/* A signal for `target`: to ourselves only signal 0 or an invalid one (SIGKILL and SIGSTOP cannot be blocked). */
static uint64_t harmless(uint64_t target) {
    uint64_t s = sig();
    if ((int)target == getpid() && s != 0) return 65;  /* a blocked signal may be unblocked by a later call */
    return s;
}

/* The scratch area anew: random bytes, a few pointers and strings in it; the guard page. */
static void reset_scratch(void) {
    syscall(SYS_mmap, SCRATCH, SCRATCH_SIZE + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    unsigned char *p = (unsigned char *)SCRATCH;
    for (unsigned i = 0; i < SCRATCH_SIZE; i += 8) {
        uint64_t v;
        switch (below(6)) {
        case 0: v = pointer(); break;
        case 1: v = 0; break;
        case 2: v = below(100); break;
        default: v = next();
        }
        memcpy(p + i, &v, 8);
    }
    static const char *const strings[] = { "/nonexistent/a", "", "\x01\x7f\"\\\n\t0123", "relative-file" };
    for (int k = 0; k < 6; k++) {
        const char *s = strings[below(4)];
        unsigned at = below(SCRATCH_SIZE - 64);
        memcpy(p + at, s, strlen(s) + (below(4) ? 1 : 0));
    }
    memset(p + SCRATCH_SIZE - 40, 'a', 40);  /* a string that runs into the guard page */
    syscall(SYS_mprotect, GUARD, 4096, PROT_NONE);
    /* every descriptor the calls made (pipes, dups) closed: none can become 99 or take 3's place */
    syscall(SYS_close_range, 5, ~0U, 0);
}

/* A path: bad pointers, a string in the scratch area, or one that runs into the guard. Never a
   pointer into random bytes that could spell an existing absolute path: those bytes are checked. */
static uint64_t path(void) {
    uint64_t p = below(3) ? pointer() : GUARD - 40;
    if (p >= SCRATCH && p < GUARD && strncmp((const char *)p, "/nonexistent/", 13) != 0) {
        /* random bytes: no '/' at all, so nothing outside the working directory is named */
        for (const char *c = (const char *)p; (uintptr_t)c < GUARD && *c; c++)
            if (*c == '/') return GUARD - 40;
    }
    return p;
}

static uint64_t short_timespec(void) {  /* for calls that would sleep: never a long time */
    static struct timespec specs[] = { {0, 0}, {0, 1000}, {-1, 0}, {0, 1000000000}, {0, -1} };
    unsigned k = below(7);
    return k < 5 ? (uint64_t)&specs[k] : (below(2) ? 0 : UNMAPPED);
}

static long call(long nr, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e, uint64_t f) {
    return syscall(nr, a, b, c, d, e, f);
}

static void one(void) {
    uint64_t scratch_word = SCRATCH + 8 * below(SCRATCH_SIZE / 8 - 32);
    switch (below(49)) {
    case 0: call(SYS_brk, below(2) ? 0 : pointer(), 0, 0, 0, 0, 0); break;
    case 1: {  /* never MAP_FIXED outside the scratch area */
        uint64_t fl = flags() & ~(uint64_t)(MAP_FIXED | MAP_FIXED_NOREPLACE);
        if (below(3) == 0) fl = (fl & ~(uint64_t)0xf) | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
        uint64_t addr = below(2) ? 0 : pointer();
        if (addr >= UNMAPPED && addr < UNMAPPED + 8192) addr = 0;  /* UNMAPPED stays unmapped: reads aim there */
        if (below(4) == 0) { addr = SCRATCH; fl |= MAP_FIXED; }
        call(SYS_mmap, addr, length() & 0xfffffffffffULL, flags() & 0xf, fl & ~(uint64_t)(MAP_GROWSDOWN | MAP_LOCKED | MAP_POPULATE | MAP_HUGETLB), fd(), below(2) ? 0 : next());
        break;
    }
    case 2: { uint64_t a = memaddr(); call(SYS_munmap, a, memlen(a), 0, 0, 0, 0); break; }
    case 3: { uint64_t a = memaddr(); call(SYS_mprotect, a, memlen(a), flags(), 0, 0, 0); break; }
    case 4: { uint64_t a = memaddr(); call(SYS_pkey_mprotect, a, memlen(a), flags(), below(2) ? (uint64_t)-1 : next(), 0, 0); break; }
    case 5: {  /* never MREMAP_FIXED outside the scratch area */
        uint64_t fl = flags();
        uint64_t to = (fl & 2) ? SCRATCH + 4096 * below(4) : pointer();
        uint64_t a = memaddr();
        call(SYS_mremap, a, memlen(a), memlen(to), fl, to, 0);
        break;
    }
    case 6: {  /* no MADV_HWPOISON (100) or MADV_SOFT_OFFLINE (101): they take real pages offline */
        uint64_t advice = below(2) ? below(30) : flags();
        if ((advice & 0xffffffff) == 100 || (advice & 0xffffffff) == 101) advice = 0xfacefeed00000001ULL;
        uint64_t a = memaddr();
        call(SYS_madvise, a, memlen(a), advice, 0, 0, 0);
        break;
    }
    case 7: { uint64_t a = memaddr(); call(SYS_msync, a, memlen(a), flags(), 0, 0, 0); break; }
    case 8: { uint64_t a = memaddr(); call(SYS_mlock, a, below(2) ? 4096 : memlen(a) & 0xffff, 0, 0, 0, 0); break; }
    case 9: { uint64_t a = memaddr(); call(SYS_munlock, a, memlen(a), 0, 0, 0, 0); break; }
    case 10: { uint64_t a = memaddr(); call(SYS_mlock2, a, below(2) ? 4096 : memlen(a) & 0xffff, flags(), 0, 0, 0); break; }
    case 11: call(SYS_mlockall, flags() | 8 /* an unknown bit: never locks anything */, 0, 0, 0, 0, 0); break;
    case 12: call(SYS_munlockall, 0, 0, 0, 0, 0, 0); break;
    case 13: { uint64_t a = memaddr(); call(SYS_mincore, a, memlen(a), pointer(), 0, 0, 0); break; }
    case 14: { uint64_t a = memaddr(); call(SYS_remap_file_pages, a, memlen(a), flags(), next(), flags(), 0); break; }
    case 15: call(SYS_pkey_alloc, below(2) ? 0 : flags(), flags(), 0, 0, 0, 0); break;
    case 16: call(SYS_pkey_free, below(2) ? below(20) : next(), 0, 0, 0, 0, 0); break;
    case 17: call(SYS_read, fd(), pointer(), length(), 0, 0, 0); break;
    case 18: call(SYS_pread64, fd(), pointer(), length(), below(2) ? 0 : next(), 0, 0); break;
    case 19: call(SYS_write, fd() == (uint64_t)devzero ? (uint64_t)devnull : fd(), pointer(), length(), 0, 0, 0); break;
    case 20: call(SYS_open, path(), flags() & ~(uint64_t)O_CREAT, flags(), 0, 0, 0); break;
    case 21: call(SYS_openat, below(2) ? 0xffffff9c : fd(), path(), flags(), flags(), 0, 0); break;
    case 22: call(SYS_close, below(2) ? 99 : 0x100000063ULL, 0, 0, 0, 0, 0); break;
    case 23: call(SYS_lseek, fd(), next(), below(2) ? below(6) : flags(), 0, 0, 0); break;
    case 24: call(SYS_execve, path(), pointer(), pointer(), 0, 0, 0); break;  /* never an existing program */
    case 25: call(SYS_clone, CLONE_SIGHAND | (flags() & ~(uint64_t)(CLONE_VM | CLONE_THREAD)), pointer(), pointer(), pointer(), pointer(), 0); break;  /* EINVAL: SIGHAND without VM */
    case 26: {  /* clone3 with an exit signal > 64: EINVAL whatever the flags */
        uint64_t size = below(2) ? 64 + 8 * below(6) : length();
        uint64_t at = below(3) ? SCRATCH + 8 * below(SCRATCH_SIZE / 8 - 40) : pointer();
        if (at >= SCRATCH && at <= GUARD - 40) {
            uint64_t bad = 65 + below(1000);
            memcpy((void *)(at + 32), &bad, 8);
        } else if (at >= SCRATCH && at < GUARD) {
            at = SCRATCH;
            uint64_t bad = 100;
            memcpy((void *)(at + 32), &bad, 8);
        }
        call(SYS_clone3, at, size, 0, 0, 0, 0);
        break;
    }
    case 27: call(SYS_wait4, below(2) ? (uint64_t)-1 : pid(), pointer(), flags() | WNOHANG, pointer(), 0, 0); break;
    case 28: call(SYS_waitid, below(2) ? below(5) : flags(), pid(), pointer(), flags() | WNOHANG, pointer(), 0); break;
    case 29: { uint64_t p = pid(); call(SYS_kill, p, harmless(p), 0, 0, 0, 0); break; }
    case 30: { uint64_t p = pid(); call(SYS_tkill, p, harmless(p), 0, 0, 0, 0); break; }
    case 31: { uint64_t g = pid(), t = pid(); call(SYS_tgkill, g, t, harmless(g == (uint64_t)getpid() ? g : t), 0, 0, 0); break; }
    case 32: call(SYS_getrandom, pointer(), length() & 0xffff, flags() | 1, 0, 0, 0); break;
    case 33: call(SYS_newfstatat, below(2) ? 0xffffff9c : fd(), path(), pointer(), flags(), 0, 0); break;
    case 34: call(SYS_fstat, fd(), pointer(), 0, 0, 0, 0); break;
    case 35: call(SYS_access, path(), flags(), 0, 0, 0, 0); break;
    case 36: call(SYS_rt_sigprocmask, below(2) ? below(4) : flags(), pointer(), pointer(), below(2) ? 8 : length(), 0, 0); break;
    case 37: call(SYS_pipe2, pointer(), flags(), 0, 0, 0, 0); break;
    case 38: {
        uint64_t newfd = 100 + below(10);
        switch (below(3)) {
        case 0: call(SYS_dup, fd(), 0, 0, 0, 0, 0); break;
        case 1: call(SYS_dup2, fd(), newfd, 0, 0, 0, 0); break;
        default: call(SYS_dup3, fd(), below(2) ? newfd : fd(), flags(), 0, 0, 0);
        }
        break;
    }
    case 39: {  /* never ARCH_SET_FS/GS with a usable address: the driver's TLS */
        static const uint64_t codes[] = { 0x1001, 0x1002, 0x1003, 0x1004, 0x1011, 0x1021, 0x1022, 0x1023, 0x1024, 0x1025, 0x2001, 0x3000 };
        uint64_t code = codes[below(12)];
        uint64_t arg = code == 0x1001 || code == 0x1002 ? 0x8000000000000000ULL | next() : (code == 0x1023 || code == 0x1025 ? below(20) : pointer());
        call(SYS_arch_prctl, code | (below(4) ? 0 : 0xdead00000000ULL), arg, 0, 0, 0, 0);
        break;
    }
    case 40: {  /* a futex word that never holds the expected value, a timeout that never waits long */
        uint64_t op = below(2) ? below(14) | (below(2) ? 128 : 0) | (below(4) ? 0 : 256) : flags();
        uint64_t word = below(2) ? scratch_word : pointer();
        uint64_t value = word >= SCRATCH && word < GUARD - 8 ? ~*(uint32_t *)word : next();
        unsigned cmd = op & 127;
        if (cmd == 6 || cmd == 13 || cmd == 11 || cmd == 12) word = pointer() < SCRATCH ? 0 : UNMAPPED;  /* PI calls: bad address */
        call(SYS_futex, word, op, value, (cmd == 0 || cmd == 9) ? short_timespec() : next(), pointer(), below(2) ? 0xffffffff : next());
        break;
    }
    case 41: call(SYS_nanosleep, short_timespec(), pointer(), 0, 0, 0, 0); break;
    case 42: {  /* never a CPU-time clock (2, 3): a sleeping process's CPU time never advances */
        static const uint64_t clocks[] = { 0, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x7fffffff, (uint64_t)-1, 0x100000000ULL };
        call(SYS_clock_nanosleep, clocks[below(14)], below(2) ? 0 : flags() & ~(uint64_t)1, short_timespec(), pointer(), 0, 0);
        break;
    }
    case 43: /* only the requests lessons decodes: strace names thousands of others */
        call(SYS_ioctl, fd(), (below(2) ? 0x5401 : 0x5413) | (below(4) ? 0 : next() << 32), pointer(), 0, 0, 0); break;
    case 44: call(SYS_set_robust_list, pointer(), below(2) ? 24 : length(), 0, 0, 0, 0); break;
    case 45: call(SYS_rt_sigaction, below(2) ? 9 : sig(), below(2) ? 0 : pointer(), pointer(), below(2) ? 8 : length(), 0, 0); break;  /* SIGKILL or invalid: EINVAL, or a query */
    case 46: call(SYS_prlimit64, pid(), below(2) ? below(17) : flags(), 0, pointer(), 0, 0); break;
    case 47: call(SYS_pipe, pointer(), 0, 0, 0, 0, 0); break;
    default: {
        static const uint64_t commands[] = { 0, 1, 2, 3, 4, 1030, 0x12345 };
        call(SYS_fcntl, fd(), commands[below(7)], below(2) ? below(200) : next(), 0, 0, 0);
    }
    }
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s SEED COUNT\n", argv[0]); return 2; }
    int persona = personality(0xffffffff);
    if (persona != -1 && !(persona & ADDR_NO_RANDOMIZE)) {
        personality(persona | ADDR_NO_RANDOMIZE);
        syscall(SYS_execve, "/proc/self/exe", argv, NULL);  /* no environment: its address would differ */
    }
    state = strtoull(argv[1], NULL, 0);
    long count = atol(argv[2]);
    devnull = open("/dev/null", O_RDWR);
    devzero = open("/dev/zero", O_RDONLY);
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);  /* no signal the calls might raise is delivered */
    reset_scratch();
    syscall(SYS_getppid);
    for (long i = 0; i < count; i++) {
        reset_scratch();  /* the last call may have unmapped or protected it */
        one();
    }
    syscall(SYS_getppid);
    return 0;
}
