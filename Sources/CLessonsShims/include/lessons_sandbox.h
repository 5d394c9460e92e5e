// The sandbox policy applied in the child between fork and exec (owned by the sandbox work).
#ifndef LESSONS_SANDBOX_H
#define LESSONS_SANDBOX_H

#include <stddef.h>

struct lessons_sandbox_policy {
    int enabled;
};

/// Applies `policy` to the calling (freshly forked, single-threaded) process.
/// Returns 0, or -1 with a one-line message in `error`.
int lessons_sandbox_enter(const struct lessons_sandbox_policy *_Nonnull policy,
                          char *_Nonnull error, size_t error_size);

#endif
