#!/usr/bin/env python3
# Regenerates Sources/Expectations/Match/SyscallNames.swift from the kernel UAPI header.
import re, sys
header = sys.argv[1] if len(sys.argv) > 1 else '/usr/include/x86_64-linux-gnu/asm/unistd_64.h'
names = []
for line in open(header):
    m = re.match(r'#define __NR_(\w+) (\d+)', line)
    if m:
        names.append((m.group(1), int(m.group(2))))
body = ',\n'.join('        "%s": %d' % (n, v) for n, v in names)
print('''// x86_64 syscall names and numbers, generated from <asm/unistd_64.h> (Linux UAPI headers
// on Debian 12) by scripts/expect-fixtures/gen-syscall-names.py, so that a misspelt call
// in an expectation is a parse error.

enum SyscallNames {
    static let numbers: [String: Int] = [
%s,
    ]
}''' % body)
