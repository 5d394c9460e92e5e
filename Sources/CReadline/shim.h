// GNU readline, as the REPL uses it. stdio.h must come first: readline.h uses FILE.
#include <stdio.h>
// The package is linked without pkg-config (see Package.swift), so SwiftPM cannot name the
// package to install: say it here, as the first error of a build on a machine without it.
#if !__has_include(<readline/readline.h>)
#error "GNU readline's headers are missing: install them (Debian/Ubuntu: apt-get install libreadline-dev; Fedora: dnf install readline-devel) and build again"
#endif
#include <readline/readline.h>
#include <readline/history.h>

// readline configures itself through mutable globals, which Swift 6 refuses to touch
// directly; these accessors are the only way the REPL reads or sets them.
static inline void lessons_rl_configure(const char *name, rl_completion_func_t *completion) {
    rl_readline_name = name;
    rl_catch_signals = 0;
    rl_attempted_completion_function = completion;
}

static inline void lessons_rl_completion_over(void) { rl_attempted_completion_over = 1; }

static inline const char *lessons_rl_line_buffer(void) { return rl_line_buffer; }
