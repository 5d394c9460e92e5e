#!/usr/bin/env bash
# How `lessons check` compares with the bare cost of what it does, side by side in one run
# (release build): for a C file, `cc -O0 -g` + running the program; for a Swift file,
# `swiftc -Onone -g` + running it. Every round runs each contender once, in turn, so the
# machine's noisy phases fall on all of them alike; a ratio is taken within a round, and the
# median of the rounds is printed (with the median milliseconds).
#   cold check: the binary is not in the compile cache (the file changed since the last check)
#   warm check: the same file again (binary cached)
#   aims: warm <= 0.5x the bare compile + run, cold <= 1.2x; `lessons list` and the REPL's
#   first prompt (in a workspace, on a pseudo-terminal) under 30 ms.
# The compile cache is the bench's own (LESSONS_CACHE in a temporary directory), warmed once
# before the rounds (the Swift module cache, the compiler's identity, the sandbox's probe).
# Every command starts after a pause (PAUSE, 0.3 s): a learner's checks are seconds apart, and
# moving a process into a cgroup waits for an RCU grace period (5-20 ms) unless another move
# happened within about one; back to back, a check would find the lock warm from the command
# before it and look faster than it is for a learner.
#
#   scripts/bench-check.sh                  # 7 rounds, C and Swift
#   ROUNDS=3 LANGS=c scripts/bench-check.sh
#   PAUSE=0 scripts/bench-check.sh          # back to back (flatters check: see above)
#   LESSONS_BIN=/tmp/old/lessons scripts/bench-check.sh           # a given binary, not built
#   COMPARE_BIN=/tmp/old/lessons scripts/bench-check.sh           # another build, side by side
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z "${LESSONS_BIN:-}" ]]; then
    swift build -c release --product lessons >&2
    LESSONS_BIN=$(swift build -c release --show-bin-path)/lessons
fi
[[ -x "$LESSONS_BIN" ]] || { echo "bench-check: $LESSONS_BIN is not built; run swift build -c release" >&2; exit 2; }
command -v cc >/dev/null || { echo "bench-check: no cc on PATH" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/lessons-bench-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

python3 - "$WORK" "$PWD" "$LESSONS_BIN" "${COMPARE_BIN:-}" "${ROUNDS:-7}" "${LANGS:-c swift}" <<'EOF'
import os, pty, select, shutil, statistics, subprocess, sys, time, datetime, platform

work, repo, binary, compare, rounds, langs = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6].split()
lessons = os.path.join(repo, "Lessons")
builds = [("this build", os.path.abspath(binary))] + ([("compared", os.path.abspath(compare))] if compare else [])
exercise = "five-small-chunks"
quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def env_for(name):
    env = dict(os.environ)
    env["LESSONS_CACHE"] = os.path.join(work, "cache-" + name.replace(" ", "-"))
    env["LESSONS_PATH"] = lessons
    env.pop("LESSONS_LANG", None)
    env["LANG"] = "C.UTF-8"
    return env

pause = float(os.environ.get("PAUSE", "0.3"))

def timed(argv, cwd=None, env=None, expect=0):
    time.sleep(pause)
    start = time.monotonic()
    code = subprocess.run(argv, cwd=cwd, env=env, **quiet).returncode
    elapsed = time.monotonic() - start
    if expect is not None and code != expect:
        sys.exit(f"bench-check: {' '.join(argv)} exited with {code}")
    return elapsed

def to_prompt(path, env, cwd):
    """Seconds from exec to the REPL's first prompt, on a pseudo-terminal."""
    time.sleep(pause)
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.execve(path, [path], env)
    seen = b""
    deadline = start + 30
    while b"> " not in seen:
        ready, _, _ = select.select([fd], [], [], max(0, deadline - time.monotonic()))
        if not ready:
            sys.exit("bench-check: no prompt within 30 s")
        try:
            seen += os.read(fd, 4096)
        except OSError:
            sys.exit(f"bench-check: the REPL ended before its prompt: {seen[-300:]!r}")
    elapsed = time.monotonic() - start
    os.write(fd, b"quit\n")
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    os.close(fd)
    return elapsed

# Sources: the curriculum's solution, in a folder named like the exercise (outside any workspace).
sources = {}
for lang in langs:
    ext = {"c": "c", "swift": "swift"}[lang]
    folder = os.path.join(work, "files", "brk")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{exercise}.{ext}")
    shutil.copy(os.path.join(repo, "Solutions", "brk", f"{exercise}.{ext}"), path)
    sources[lang] = path
original = {lang: open(path).read() for lang, path in sources.items()}

def bare(lang, path):
    out = os.path.join(work, "bare-" + lang)
    compile_ = ["cc", "-O0", "-g", "-o", out, path] if lang == "c" else ["swiftc", "-Onone", "-g", "-module-name", "main", "-module-cache-path", os.path.join(work, "swift-modules"), "-o", out, path]
    # swiftc's driver leaves a TemporaryDirectory.* behind per compile: keep them in the work
    # folder (removed at the end), as the tool's confined compile keeps them in its private /tmp.
    scratch_env = dict(os.environ, TMPDIR=work)
    return timed(compile_, cwd=work, env=scratch_env) + timed([out], cwd=work)

# A workspace for `list` and the prompt.
workspace = os.path.join(work, "ws")
for name, path in builds:
    env = env_for(name)
    subprocess.run([path, "init", workspace], cwd=work, env=env, check=True, **quiet)
    break

# Warm-up: the Swift module cache, the compiler's identity and whatever else the tool keeps.
for name, path in builds:
    env = env_for(name)
    for lang, source in sources.items():
        timed([path, "check", source], cwd=work, env=env)
    timed([path, "list"], cwd=workspace, env=env)
for lang, source in sources.items():
    bare(lang, source)

results = {}  # (row, build) -> [seconds]
ratios = {}   # (row, build) -> [ratio to bare within the round]
def add(table, key, value):
    table.setdefault(key, []).append(value)

nonce = 0
started = datetime.datetime.now(datetime.timezone.utc)
for round_ in range(rounds):
    for lang, source in sources.items():
        for name, path in builds:
            env = env_for(name)
            nonce += 1
            # A changed file: the compile cache has no binary for it (a comment changes the key).
            with open(source, "w") as f:
                f.write(original[lang] + f"\n// round {nonce}\n")
            base = bare(lang, source)
            cold = timed([path, "check", source], cwd=work, env=env)
            warm = timed([path, "check", source], cwd=work, env=env)
            add(results, (f"{lang} bare compile + run", name), base)
            add(results, (f"{lang} cold check", name), cold)
            add(results, (f"{lang} warm check", name), warm)
            add(ratios, (f"{lang} cold check", name), cold / base)
            add(ratios, (f"{lang} warm check", name), warm / base)
    for name, path in builds:
        env = env_for(name)
        add(results, ("lessons list", name), timed([path, "list"], cwd=workspace, env=env))
        add(results, ("start to prompt", name), to_prompt(path, env, workspace))

def ms(values):
    return f"{statistics.median(values) * 1000:7.1f} ms"

load = open("/proc/loadavg").read().split()[0]
print(f"lessons check benchmark, {started:%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
      f"{rounds} rounds (medians), load {load}; file: {exercise}")
aims = {"cold check": "<= 1.20", "warm check": "<= 0.50"}
header = f"{'':28}" + "".join(f"{name:>28}" for name, _ in builds)
print(header)
rows = []
for lang in sources:
    rows += [f"{lang} bare compile + run", f"{lang} cold check", f"{lang} warm check"]
rows += ["lessons list", "start to prompt"]
for row in rows:
    line = f"{row:28}"
    for name, _ in builds:
        cell = ms(results[(row, name)])
        if (row, name) in ratios:
            cell += f" {statistics.median(ratios[(row, name)]):5.2f}x"
        line += f"{cell:>28}"
    aim = next((f"  (aim: ratio {a})" for k, a in aims.items() if row.endswith(k)), "")
    if row in ("lessons list", "start to prompt"):
        aim = "  (aim: < 30 ms)"
    print(line + aim)
EOF
