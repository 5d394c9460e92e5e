#!/usr/bin/env python3
"""Compares the traces scripts/strace-corpus.sh made: for each program, strace's lines (decoded
for the calls lessons claims, `-e raw=all` for the others) against `lessons trace --all -f`,
after normalising what differs between any two runs (pids, random bytes, CPU times, the
padding before ` = `, SIGCHLD lines and strace's unfinished/resumed split, which depend on timing).
A test whose polling loop runs as often as a run's timing allows (siginfo, clone_parent) differs
by the number of its iterations.
Prints one line per program, then identical/total lines per family and overall; the full
differences go to RUNS/PROGRAM/diff.txt.

Usage: strace-corpus-diff.py [--between-markers] RUNS PROGRAM...
  --between-markers   compare only the lines between each process's first two getppid() calls
"""
import os
import re
import subprocess
import sys
import tempfile

FAMILIES = {
    "memory": "brk mmap munmap mprotect mremap madvise msync mlock mlock2 mlockall munlock munlockall mincore "
              "remap_file_pages pkey_alloc pkey_free pkey_mprotect",
    "process": "clone clone3 fork vfork execve wait4 waitid exit exit_group",
    "signal": "kill tkill tgkill rt_sigaction rt_sigprocmask rt_sigreturn",
    "io": "read write pread64 open openat close lseek getrandom newfstatat fstat access pipe pipe2 dup dup2 dup3 "
          "fcntl ioctl arch_prctl set_tid_address set_robust_list futex nanosleep clock_nanosleep prlimit64 close_range",
}
FAMILY_OF = {name: family for family, names in FAMILIES.items() for name in names.split()}
# Calls decoded only for some commands: a line may match strace's decoded or raw form.
PARTIAL = {"fcntl", "ioctl"}

LINE = re.compile(r"^(\d+)\s+(.*)$")
UNFINISHED = " <unfinished ...>"
RESUMED = re.compile(r"^<\.\.\. ([A-Za-z0-9_]+) resumed>(.*)$")


BETWEEN_MARKERS = False


def between_markers(lines):
    """Each process's lines after its first getppid() and before its second."""
    state = {}
    kept = []
    for pid, body in lines:
        if body.startswith("getppid("):
            state[pid] = state.get(pid, 0) + 1
            continue
        if state.get(pid, 0) == 1:
            kept.append((pid, body))
    return kept


def read_lines(path):
    """`PID  text` lines merged per pid: an unfinished call joined with its resumption."""
    result = []
    pending = {}
    try:
        text = open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return result
    for raw in text.splitlines():
        match = LINE.match(raw)
        if not match:
            continue
        pid, body = int(match.group(1)), match.group(2)
        if body.endswith(UNFINISHED) and not body.startswith("<..."):
            pending[pid] = (len(result), body[: -len(UNFINISHED)])
            result.append((pid, None))
            continue
        resumed = RESUMED.match(body)
        if resumed and pid in pending:
            index, head = pending.pop(pid)
            result[index] = (pid, head + resumed.group(2))
            continue
        result.append((pid, body))
    for pid, (index, head) in pending.items():
        result[index] = (pid, head + UNFINISHED)
    merged = [(pid, body) for pid, body in result if body is not None]
    return between_markers(merged) if BETWEEN_MARKERS else merged


def name_of(body):
    if body.startswith("---"):
        return "---"
    if body.startswith("+++"):
        return "+++"
    match = re.match(r"^([A-Za-z0-9_]+)\(", body)
    return match.group(1) if match else "?"


def family_of(name):
    if name == "---":
        return "signal"
    if name == "+++":
        return "process"
    return FAMILY_OF.get(name, "raw")


def normalise(lines):
    """Per pid (numbered by first appearance): bodies with pids, random bytes and times made neutral."""
    # Pids named in numeric order: both runs create their processes in the same order.
    order = sorted({pid for pid, _ in lines})
    names = {pid: "P%d" % (index + 1) for index, pid in enumerate(order)}
    pid_pattern = re.compile(r"\b(" + "|".join(str(pid) for pid in order) + r")\b") if order else None
    hex_names = {"0x%x" % pid: names[pid] for pid in order}
    hex_pattern = re.compile(r"\b(" + "|".join(hex_names) + r")\b") if order else None
    per = {}
    first = True
    for pid, body in lines:
        if body.startswith("--- SIGCHLD "):
            continue  # when SIGCHLD is delivered depends on timing
        text = body
        if pid_pattern:
            text = pid_pattern.sub(lambda m: names[int(m.group(1))], text)
            text = hex_pattern.sub(lambda m: hex_names[m.group(1)], text)  # raw forms print pids in hex
        text = re.sub(r"\)\s+= ", ") = ", text)
        # A test program's own output names pids and times: its length differs from run to run.
        text = re.sub(r'^write\((\d+), (".*"\.\.\.), (\d+)\) = \3$', r"write(\1, \2, LEN) = LEN", text)
        # The time left of an interrupted sleep.
        if re.match(r"^(clock_)?nanosleep\(", text) and re.search(r"= \? ERESTART|= -1 EINTR", text):
            text = re.sub(r"\{tv_sec=\d+, tv_nsec=\d+\}\) =", "{tv_sec=N, tv_nsec=N}) =", text)
        text = re.sub(r'^getrandom\("[^"]*"', 'getrandom("RANDOM"', text)
        text = re.sub(r"(ru_[us]time=\{tv_sec=)\d+, tv_usec=\d+", r"\1N, tv_usec=N", text)
        text = re.sub(r"(si_[us]time=)\d+", r"\1N", text)
        # An absolute wake-up time a test computed from the clock.
        text = re.sub(r"TIMER_ABSTIME, \{tv_sec=\d+, tv_nsec=\d+\}", "TIMER_ABSTIME, {tv_sec=N, tv_nsec=N}", text)
        if first and text.startswith("execve("):
            # The first execve's envp is a pointer in the tracer's own memory (its child before exec).
            text = re.sub(r"\], 0x[0-9a-f]+ /\*", "], ENVP /*", text)
        first = False
        per.setdefault(names[pid], []).append(text)
    return per



def raw_arguments(raw_line, line):
    """The raw form's arguments with the decoded form's return (`-e raw=all` also prints every
    return in hex; lessons' raw form keeps strace's usual return)."""
    if raw_line is None:
        return line
    raw_cut, cut = raw_line.rfind(") = "), line.rfind(") = ")
    if raw_cut < 0 or cut < 0:
        return raw_line if raw_cut < 0 and cut < 0 else line
    return raw_line[:raw_cut] + line[cut:]


def expected_lines(decoded, raw):
    """strace's decoded line for claimed calls and signal/exit lines; the raw=all line (same
    process, same occurrence of that call) for the others. Also the raw form of partly decoded calls."""
    result = {}
    for process, lines in decoded.items():
        raw_lines = raw.get(process, [])
        by_name = {}
        for line in raw_lines:
            by_name.setdefault(name_of(line), []).append(line)
        seen = {}
        out = []
        for line in lines:
            name = name_of(line)
            k = seen.get(name, 0)
            seen[name] = k + 1
            raw_line = by_name.get(name, [None] * (k + 1))[k] if k < len(by_name.get(name, [])) else None
            family = family_of(name)
            if family == "raw":
                out.append((family, raw_arguments(raw_line, line), None))
            elif name in PARTIAL:
                # any raw form of this call in the same process, with strace's return
                out.append((family, line, {raw_arguments(r, line) for r in by_name.get(name, [])}))
            else:
                out.append((family, line, None))
        result[process] = out
    return result


def run_diff(a, b, *options):
    """GNU diff (Myers' algorithm: fast on long, mostly equal traces) of two line lists."""
    with tempfile.TemporaryDirectory() as directory:
        paths = []
        for name, lines in (("strace", a), ("lessons", b)):
            path = os.path.join(directory, name)
            with open(path, "w") as out:
                out.write("\n".join(lines) + "\n")
            paths.append(path)
        return subprocess.run(["diff", *options, *paths], capture_output=True, text=True, errors="replace").stdout


def matched_lines(a, b):
    """Indices of `a` that diff keeps (its longest common subsequence with `b`)."""
    unmatched = set()
    for line in run_diff(a, b).splitlines():
        match = re.match(r"^(\d+)(?:,(\d+))?[cd]", line)
        if match:
            first = int(match.group(1))
            last = int(match.group(2) or first)
            unmatched.update(range(first - 1, last))
    return set(range(len(a))) - unmatched


def unified_diff(a, b):
    lines = run_diff(a, b, "-U1").splitlines()
    return ["--- strace", "+++ lessons"] + lines[2:]


def compare(runs, program):
    base = os.path.join(runs, program)
    decoded = normalise(read_lines(os.path.join(base, "strace.trace")))
    raw = normalise(read_lines(os.path.join(base, "raw.trace")))
    ours = normalise(read_lines(os.path.join(base, "lessons.trace")))
    expected = expected_lines(decoded, raw)
    counts = {}
    diff_text = []
    for process, lines in expected.items():
        mine = ours.get(process, [])
        wanted = [line for _, line, _ in lines]
        # A partly decoded call whose raw form we print matches its raw line.
        alternatives = {i: alt for i, (_, _, alt) in enumerate(lines) if alt}
        same = set(range(len(wanted))) if wanted == mine else matched_lines(wanted, mine)
        mine_set = set(mine)
        for i, alt in alternatives.items():
            if i not in same and alt & mine_set:
                same.add(i)
        for i, (family, line, _) in enumerate(lines):
            total, identical = counts.get(family, (0, 0))
            counts[family] = (total + 1, identical + (1 if i in same else 0))
        if len(same) < len(wanted) or len(mine) != len(wanted):
            diff_text.append("## %s\n" % process)
            diff_text.extend(unified_diff(wanted, mine))
    extra = sorted(set(ours) - set(expected))
    for process in extra:
        diff_text.append("## %s: only in lessons (%d lines)" % (process, len(ours[process])))
    with open(os.path.join(base, "diff.txt"), "w") as out:
        out.write("\n".join(diff_text) + "\n")
    return counts, diff_text


def main():
    global BETWEEN_MARKERS
    arguments = sys.argv[1:]
    if arguments and arguments[0] == "--between-markers":
        BETWEEN_MARKERS = True
        arguments = arguments[1:]
    runs, programs = arguments[0], arguments[1:]
    totals = {}
    print("%-28s %9s  %s" % ("program", "identical", "first difference"))
    for program in programs:
        if not os.path.exists(os.path.join(runs, program, "strace.trace")):
            print("%-28s %9s" % (program, "not run"))
            continue
        counts, diff_text = compare(runs, program)
        total = sum(t for t, _ in counts.values())
        same = sum(s for _, s in counts.values())
        first = next((line for line in diff_text if line.startswith("-") and not line.startswith("---")), "")
        print("%-28s %4d/%-4d  %s" % (program, same, total, first[:110]))
        for family, (t, s) in counts.items():
            all_t, all_s = totals.get(family, (0, 0))
            totals[family] = (all_t + t, all_s + s)
    print()
    print("%-10s %9s %9s" % ("family", "identical", "lines"))
    for family in ["memory", "process", "signal", "io", "raw"]:
        t, s = totals.get(family, (0, 0))
        print("%-10s %9d %9d" % (family, s, t))
    t = sum(t for t, _ in totals.values())
    s = sum(s for _, s in totals.values())
    print("%-10s %9d %9d" % ("all", s, t))


if __name__ == "__main__":
    main()
