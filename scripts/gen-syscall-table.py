#!/usr/bin/env python3
"""Generates Sources/Syscalls/SyscallTable.generated.swift from the kernel headers installed here:
the syscall names and numbers (`Nr`), errnos, signals and si_codes.

    scripts/gen-syscall-table.py                 # regenerate the Swift file
    scripts/gen-syscall-table.py --probe-strace  # first re-ask the installed strace (see below)

Sources (x86_64 Debian 12):
  /usr/include/x86_64-linux-gnu/asm/unistd_64.h   syscall numbers and names
  /usr/include/asm-generic/errno-base.h, errno.h   errno names; messages from strerror(3) (glibc),
                                                   which is what strace prints: ENOMEM (Cannot allocate memory)
  /usr/include/x86_64-linux-gnu/asm/signal.h       signal numbers (32 = SIGRTMIN, 33.. = SIGRT_1.. as strace)
  /usr/include/asm-generic/siginfo.h               si_code names (SI_*, ILL_*, FPE_*, SEGV_*, BUS_*, TRAP_*, CLD_*, POLL_*, SYS_*)
  scripts/strace-sysent.txt                        what strace 6.1 itself knows per syscall number: the
                                                   argument count it prints for a raw call and its
                                                   %memory / %process classes. Written by --probe-strace,
                                                   which compiles scripts/strace-probe.c and runs it under
                                                   `strace -e raw=all`, `-e trace=%memory`, `-e trace=%process`.
"""
import os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UNISTD = "/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
ERRNO_FILES = ["/usr/include/asm-generic/errno-base.h", "/usr/include/asm-generic/errno.h"]
SIGNAL_H = "/usr/include/x86_64-linux-gnu/asm/signal.h"
SIGINFO_H = "/usr/include/asm-generic/siginfo.h"
SYSENT = os.path.join(ROOT, "scripts", "strace-sysent.txt")
OUT = os.path.join(ROOT, "Sources", "Syscalls", "SyscallTable.generated.swift")


def die(message):
    sys.exit(f"gen-syscall-table: {message}")


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError as e:
        die(f"cannot read {path}: {e.strerror} (install linux-libc-dev)")


def syscalls():
    table = {}
    for m in re.finditer(r"^#define __NR_(\w+)\s+(\d+)", read(UNISTD), re.M):
        table[int(m.group(2))] = m.group(1)
    if not table:
        die(f"no __NR_ definitions in {UNISTD}")
    return table


def errnos():
    values, aliases = {}, {}
    for path in ERRNO_FILES:
        for m in re.finditer(r"^#define\s+(E\w+)\s+(\w+)", read(path), re.M):
            name, value = m.group(1), m.group(2)
            if value.isdigit():
                values.setdefault(int(value), name)   # first definition wins: EAGAIN before EWOULDBLOCK
            else:
                aliases[name] = value
    return values, aliases


def signals():
    table = {}
    for m in re.finditer(r"^#define\s+(SIG[A-Z0-9]+)\s+(\d+)\b", read(SIGNAL_H), re.M):
        name, value = m.group(1), int(m.group(2))
        if name in ("SIGIOT", "SIGLOST", "SIGUNUSED", "SIGRTMIN", "SIGSTKSZ", "SIGSTKSZ"):
            continue
        table.setdefault(value, name)
    if len(table) != 31:
        die(f"expected 31 classic signals in {SIGNAL_H}, found {len(table)}")
    return table


def si_codes():
    text = read(SIGINFO_H)
    groups = {}
    for m in re.finditer(r"^#\s*define\s+((SI|ILL|FPE|SEGV|BUS|TRAP|CLD|POLL|SYS)_[A-Z0-9_]+)\s+(-?(?:0x)?[0-9a-fA-F]+)\b", text, re.M):
        name, prefix, value = m.group(1), m.group(2), int(m.group(3), 0)
        if name in ("SI_MAX_SIZE", "SI_FROMUSER", "SI_FROMKERNEL") or name.startswith("SI_EXPANSION"):
            continue
        if name.startswith("TRAP_PERF_FLAG") or name.startswith("NSIG"):
            continue
        groups.setdefault(prefix, [])
        if value not in [v for _, v in groups[prefix]]:
            groups[prefix].append((name, value))
    for needed in ("SI_USER", "SI_KERNEL", "SI_TKILL", "SEGV_MAPERR", "SEGV_ACCERR", "CLD_EXITED", "BUS_ADRERR"):
        if not any(needed == n for g in groups.values() for n, _ in g):
            die(f"{needed} not found in {SIGINFO_H}")
    return groups


def probe_strace():
    """Asks the installed strace what it prints for every syscall number (see strace-probe.c)."""
    version = subprocess.run(["strace", "-V"], capture_output=True, text=True).stdout.splitlines()[0]
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "probe")
        subprocess.run(["cc", "-O1", "-o", exe, os.path.join(ROOT, "scripts", "strace-probe.c")], check=True)
        outputs = {}
        for key, expr in (("raw", "raw=all"), ("memory", "trace=%memory"), ("process", "trace=%process")):
            out = os.path.join(tmp, key)
            subprocess.run(["strace", "-o", out, "-e", expr, exe], check=True)
            outputs[key] = [l for l in read(out).splitlines() if "ENOSYS" in l or l.startswith("exit_group")]
    names = syscalls()
    number_of = {v: k for k, v in names.items()}
    nargs, classes = {}, {}
    for line in outputs["raw"]:
        m = re.match(r"^(\w+)\((.*?)\)\s+=", line)
        if not m or m.group(1).startswith("syscall_"):
            continue
        nargs[number_of[m.group(1)]] = 0 if m.group(2) == "" else m.group(2).count(",") + 1
    for key in ("memory", "process"):
        for line in outputs[key]:
            m = re.match(r"^(\w+)\(", line)
            if m and not m.group(1).startswith("syscall_"):
                classes.setdefault(number_of[m.group(1)], set()).add(key)
    nargs.setdefault(number_of["exit_group"], 1)   # the probe does not call it (its filter lets it through)
    with open(SYSENT, "w") as f:
        f.write(f"# What {version} prints on x86_64, probed by scripts/gen-syscall-table.py --probe-strace.\n")
        f.write("# number name raw-argument-count classes\n")
        for nr in sorted(nargs):
            f.write(f"{nr} {names[nr]} {nargs[nr]} {','.join(sorted(classes.get(nr, []))) or '-'}\n")


def sysent():
    entries = {}
    for line in read(SYSENT).splitlines():
        if line.startswith("#") or not line.strip():
            continue
        nr, name, nargs, classes = line.split()
        entries[int(nr)] = (name, int(nargs), [] if classes == "-" else classes.split(","))
    return entries


def swift_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


SWIFT_KEYWORDS = {
    "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
    "internal", "let", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
    "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do",
    "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
    "as", "is", "nil", "self", "super", "throws", "true", "false", "try", "await",
}


def swift_identifier(name):
    """exit_group → exitGroup, rt_sigreturn → rtSigreturn, _sysctl → _sysctl."""
    lead = "_" if name.startswith("_") else ""
    parts = [p for p in name.split("_") if p]
    ident = lead + parts[0] + "".join(p[0].upper() + p[1:] for p in parts[1:])
    return f"`{ident}`" if ident in SWIFT_KEYWORDS else ident


def main():
    if "--probe-strace" in sys.argv:
        probe_strace()
    names = syscalls()
    ent = sysent()
    for nr, (name, _, _) in ent.items():
        if names.get(nr) != name:
            die(f"{SYSENT} says {nr} is {name}, {UNISTD} says {names.get(nr)}: rerun with --probe-strace")
    highest = max(names)
    errno_values, errno_aliases = errnos()
    sigs = signals()
    codes = si_codes()

    out = []
    w = out.append
    w("// GENERATED by scripts/gen-syscall-table.py from the kernel headers; do not edit.")
    w(f"// {UNISTD}, {', '.join(ERRNO_FILES)}, {SIGNAL_H}, {SIGINFO_H},")
    w("// strerror(3) for errno messages, scripts/strace-sysent.txt for strace's argument counts and classes.")
    w("")
    w("enum GeneratedTables {")
    w(f"    /// x86_64 syscall names indexed by number (0...{highest}); nil for unused numbers.")
    w("    static let syscallNames: [String?] = [")
    for nr in range(highest + 1):
        w(f"        {swift_string(names[nr]) if nr in names else 'nil'}, // {nr}")
    w("    ]")
    w("")
    w("    /// How many arguments strace 6.1 prints for each syscall in its raw form (6 where unknown).")
    counts = [str(ent[nr][1]) if nr in ent else "6" for nr in range(highest + 1)]
    w("    static let argumentCounts: [UInt8] = [")
    for i in range(0, len(counts), 32):
        w("        " + ", ".join(counts[i:i + 32]) + ",")
    w("    ]")
    w("")
    for key in ("memory", "process"):
        members = sorted(nr for nr, (_, _, cl) in ent.items() if key in cl)
        w(f"    /// strace 6.1's %{key} class: " + " ".join(names[nr] for nr in members) + ".")
        w(f"    static let {key}Class: Set<Int> = [" + ", ".join(str(nr) for nr in members) + "]")
        w("")
    w("    /// errno number → (name, strerror text).")
    w("    static let errnos: [Int32: (name: String, message: String)] = [")
    for value in sorted(errno_values):
        w(f"        {value}: ({swift_string(errno_values[value])}, {swift_string(os.strerror(value))}),")
    w("    ]")
    w("")
    w("    /// Alias errno names → the name strace prints (EWOULDBLOCK → EAGAIN).")
    w("    static let errnoAliases: [String: String] = [")
    for name in sorted(errno_aliases):
        w(f"        {swift_string(name)}: {swift_string(errno_aliases[name])},")
    w("    ]")
    w("")
    w("    /// Signal numbers 1...31 → names (32 is SIGRTMIN, 33... SIGRT_1... as strace prints them).")
    w("    static let signals: [Int32: String] = [")
    for value in sorted(sigs):
        w(f"        {value}: {swift_string(sigs[value])},")
    w("    ]")
    w("")
    w("    /// si_code names by family: SI (any signal), then per-signal families.")
    w("    static let signalCodes: [String: [Int32: String]] = [")
    for prefix in sorted(codes):
        w(f"        {swift_string(prefix)}: [")
        for name, value in codes[prefix]:
            w(f"            {value}: {swift_string(name)},")
        w("        ],")
    w("    ]")
    w("}")
    w("")
    w("/// x86_64 syscall numbers by name (`__NR_exit_group` is `Nr.exitGroup`): the one place code")
    w("/// names a syscall by number, so no number is written by hand elsewhere.")
    w("public enum Nr {")
    for nr in sorted(names):
        w(f"    public static let {swift_identifier(names[nr])} = {nr}")
    w("}")
    text = "\n".join(out) + "\n"
    with open(OUT, "w") as f:
        f.write(text)
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {len(names)} syscalls (highest {highest}), "
          f"{len(errno_values)} errnos, {len(sigs)} signals, {sum(len(v) for v in codes.values())} si_codes")


if __name__ == "__main__":
    main()
