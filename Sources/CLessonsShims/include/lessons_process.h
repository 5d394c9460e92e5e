// Process-level safety nets for the tool's own processes (not the traced program's):
// trace output that survives the tracer's death.
#ifndef LESSONS_PROCESS_H
#define LESSONS_PROCESS_H

#include <stddef.h>
#include <sys/types.h>

#pragma clang assume_nonnull begin

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

#pragma clang assume_nonnull end

#endif
