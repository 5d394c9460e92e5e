/* Not a program: a compile error that says what a full disk says (issue #12 item 6). The
   tool's fault is recognised from the file system, never from the compiler's words, so this
   stays the student's compile error and counts in their maximum score. */
#error "No space left on device"
