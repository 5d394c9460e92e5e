// A pseudo-terminal for a traced program's standard output (`--tty`): the C library then
// sees a terminal, as it does when a learner runs the program at a shell prompt.
#ifndef LESSONS_PTY_H
#define LESSONS_PTY_H

#pragma clang assume_nonnull begin

/// Opens a pseudo-terminal pair, both ends close-on-exec and neither a controlling terminal:
/// `controller` is the side the tool reads, `terminal` the side the program writes to (its
/// output processing is off, so bytes arrive exactly as written: no "\n" → "\r\n").
/// 0, or -1 with errno (nothing left open).
int lessons_open_pty(int *controller, int *terminal);

#pragma clang assume_nonnull end

#endif
