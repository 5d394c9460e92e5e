// Process-level safety nets for the tool's own processes (not the traced program's):
// a grading worker that dies with its grader, and trace output that survives the tracer's death.
#ifndef LESSONS_PROCESS_H
#define LESSONS_PROCESS_H

#include <stddef.h>
#include <sys/types.h>

#pragma clang assume_nonnull begin

/// open(2)'s O_PATH (a GNU flag Swift's Glibc module does not show): a descriptor that names a
/// file without opening it for reading, so a FIFO or device is never touched. Checked in process.c.
enum { LESSONS_O_PATH = 010000000 };

/// Asks the kernel to SIGKILL the calling process when its parent thread dies
/// (PR_SET_PDEATHSIG; glibc's prctl is variadic), then checks that the parent is still
/// `expected_parent` (it may have died before the request). 0, or -1 (errno ESRCH when the
/// parent is already gone).
int lessons_die_with_parent(pid_t expected_parent);

/// Closes every descriptor from `lowest` up (close_range, else one by one): a worker drops
/// whatever its spawner's other threads had open when it was started.
void lessons_close_from(int lowest);

/// A buffer of output that is written to `fd` even when the process dies of a signal
/// (a crash of the tool such as a Swift trap's SIGILL, SIGSEGV, SIGABRT, or SIGINT, SIGTERM,
/// SIGHUP): a handler writes what is buffered, then lets the signal do what it did before.
/// One per process. Signals the process ignores stay ignored. 0, or -1 with errno.
int lessons_emergency_buffer_open(int fd, size_t capacity);
/// Appends `count` bytes. 0, or -1 when they do not fit (flush first; a larger write goes around).
int lessons_emergency_buffer_append(const void *bytes, size_t count);
/// Writes out everything buffered. 0, or the errno of the failed write (ENOSPC for a write of 0).
int lessons_emergency_buffer_flush(void);
/// Restores the signal handlers and frees the buffer (without flushing).
void lessons_emergency_buffer_close(void);

/// Gives the freed pages of every malloc arena back to the system (malloc_trim(0), which
/// Swift's Glibc module does not show). 1 when some memory was released, else 0.
int lessons_release_free_memory(void);

/// exit(code), without making the caller wait for the kernel to take the address space apart.
/// The kernel tears a process's memory down before it tells the parent the process ended: for
/// this 90 MB binary, ~16 MB of it mapped by the time a command ends, that took ~1.3 ms of every
/// command (measured: exit_group to the parent's wait, 1.4 ms against 0.2 ms for /bin/true). A
/// small child sharing the memory (clone(CLONE_VM), its own stack, every descriptor closed,
/// nothing else done) holds it past the exit and dies with the parent (PR_SET_PDEATHSIG); the
/// teardown then happens in its exit, while the parent's caller goes on. (mold ends the same way.)
/// Where the child cannot be made, or is not wanted (LESSONS_PLAIN_EXIT set), plain exit.
_Noreturn void lessons_exit_leaving_teardown(int code);

#pragma clang assume_nonnull end

#endif
