// Safety nets for the tool's own processes. Why C: prctl is variadic, and a signal handler
// must be async-signal-safe (no Swift runtime, no locks, no allocation).
#define _GNU_SOURCE
#include "lessons_process.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sched.h>
#include <stdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(LESSONS_O_PATH == O_PATH, "O_PATH");

int lessons_die_with_parent(pid_t expected_parent) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) return -1;
    // The parent may have died between our fork and the prctl: then we were reparented.
    if (getppid() != expected_parent) {
        errno = ESRCH;
        return -1;
    }
    return 0;
}

void lessons_close_from(int lowest) {
#ifdef SYS_close_range
    if (syscall(SYS_close_range, (unsigned)lowest, ~0u, 0) == 0) return;
#endif
    long maximum = sysconf(_SC_OPEN_MAX);
    if (maximum < 0 || maximum > 1 << 20) maximum = 1 << 20;
    for (long fd = lowest; fd < maximum; fd++) close((int)fd);
}

// MARK: - The emergency buffer

static int buffer_fd = -1;
static unsigned char *buffer_bytes;
static size_t buffer_capacity;
/// Bytes [0, length) are buffered; [0, written) of them are already out (a flush in progress).
static volatile size_t buffer_length;
static volatile size_t buffer_written;

static const int fatal_signals[] = {SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGINT, SIGTERM, SIGHUP, SIGQUIT};
enum { fatal_count = sizeof fatal_signals / sizeof fatal_signals[0] };
static struct sigaction previous_actions[fatal_count];
static int installed[fatal_count];

/// Writes [written, length) and records progress; used by the handler and by flush.
static int write_pending(void) {
    while (buffer_written < buffer_length) {
        ssize_t n = write(buffer_fd, buffer_bytes + buffer_written, buffer_length - buffer_written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno;
        if (n == 0) return ENOSPC;
        buffer_written += (size_t)n;
    }
    buffer_length = 0;
    buffer_written = 0;
    return 0;
}

static void flush_then_resignal(int signal_number) {
    int saved = errno;
    if (buffer_fd >= 0 && buffer_bytes != NULL) (void)write_pending();
    for (int i = 0; i < fatal_count; i++) {
        if (fatal_signals[i] == signal_number && installed[i]) {
            sigaction(signal_number, &previous_actions[i], NULL);
            installed[i] = 0;
        }
    }
    errno = saved;
    // Pending until this handler returns, then delivered with the previous disposition (for a
    // fault, the faulting instruction runs again and faults with it).
    raise(signal_number);
}

int lessons_emergency_buffer_open(int fd, size_t capacity) {
    if (buffer_bytes != NULL || capacity == 0) {
        errno = EBUSY;
        return -1;
    }
    buffer_bytes = malloc(capacity);
    if (buffer_bytes == NULL) return -1;
    buffer_capacity = capacity;
    buffer_length = 0;
    buffer_written = 0;
    buffer_fd = fd;
    for (int i = 0; i < fatal_count; i++) {
        struct sigaction current;
        installed[i] = 0;
        if (sigaction(fatal_signals[i], NULL, &current) != 0 || current.sa_handler == SIG_IGN) continue;
        struct sigaction action;
        memset(&action, 0, sizeof action);
        action.sa_handler = flush_then_resignal;
        sigfillset(&action.sa_mask);
        action.sa_flags = SA_RESTART;
        if (sigaction(fatal_signals[i], &action, &previous_actions[i]) == 0) installed[i] = 1;
    }
    return 0;
}

int lessons_emergency_buffer_append(const void *bytes, size_t count) {
    if (buffer_bytes == NULL || count > buffer_capacity - buffer_length) return -1;
    memcpy(buffer_bytes + buffer_length, bytes, count);
    // Published after the bytes are in place: the handler never writes a half-copied line.
    __atomic_store_n(&buffer_length, buffer_length + count, __ATOMIC_SEQ_CST);
    return 0;
}

int lessons_emergency_buffer_flush(void) {
    if (buffer_bytes == NULL) return 0;
    return write_pending();
}

void lessons_emergency_buffer_close(void) {
    for (int i = 0; i < fatal_count; i++) {
        if (installed[i]) sigaction(fatal_signals[i], &previous_actions[i], NULL);
        installed[i] = 0;
    }
    free(buffer_bytes);
    buffer_bytes = NULL;
    buffer_length = 0;
    buffer_written = 0;
    buffer_fd = -1;
}

int lessons_release_free_memory(void) {
    return malloc_trim(0);
}

// MARK: - Leaving the address space's teardown behind

static pid_t teardown_parent;
static char teardown_stack[16384] __attribute__((aligned(64)));

/// The holder: shares the parent's memory and touches none of it but this stack. Nothing that
/// takes a lock or allocates.
static int hold_until_parent_dies(void *unused) {
    (void)unused;
    lessons_close_from(0);  // no descriptor of the parent's (its stdout pipe) stays open
    // The parent may be gone already (the signal was asked for too late): go now.
    if (lessons_die_with_parent(teardown_parent) != 0) _exit(0);
    for (;;) pause();
    return 0;
}

_Noreturn void lessons_exit_leaving_teardown(int code) {
    if (getenv("LESSONS_PLAIN_EXIT") == NULL) {
        teardown_parent = getpid();
        // Flushed before the clone: exit's own flush must not race the holder (which writes nothing).
        fflush(NULL);
        // Not traced along with us (strace -f, gdb), and no SIGCHLD for anyone: nobody waits for it.
        (void)clone(hold_until_parent_dies, teardown_stack + sizeof teardown_stack, CLONE_VM | CLONE_UNTRACED, NULL);
    }
    exit(code);
}
