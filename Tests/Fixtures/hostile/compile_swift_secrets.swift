// What can swiftc be made to read? Swift has no textual #include or .incbin; #sourceLocation
// only renames lines in diagnostics (the compiler never opens the file it names), and a module
// map must be on a search path the submission cannot set. The attempt: errors attributed to
// /etc/shadow and to the lesson's answer (LESSONS_SECRET_PATH). compile-error, and the
// diagnostics about "other files" are not shown.
#sourceLocation(file: "/etc/shadow", line: 1)
let shadow: Int = "root"
#sourceLocation(file: "LESSONS_SECRET_PATH", line: 1)
let answer: Int = "solution"
#sourceLocation()
print(shadow, answer)
