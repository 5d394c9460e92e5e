#!/usr/bin/env bash
# The differential fuzzer: Tests/Fixtures/trace/syscall_fuzz.c makes COUNT calls that lessons
# decodes, with random and boundary arguments from SEED (NULL, -1, pointers that wrap past 2^64,
# unaligned lengths, unknown flag bits, unmapped and PROT_NONE pages); it is traced by both
# `strace -f` and `lessons trace --all -f` (in a pid namespace, without address randomisation)
# and the lines between its markers are compared (scripts/strace-corpus-diff.py). Prints each
# difference and a summary per family. The suite runs a short run (TracingTests).
# Usage: scripts/strace-fuzz.sh [COUNT [SEED [ROUNDS]]]   (defaults 5000 1 1; ROUNDS runs seeds SEED, SEED+1, …)
#   scripts/strace-fuzz.sh -k …   do not rebuild lessons
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rebuild=1
[[ ${1:-} == -k ]] && { rebuild=0; shift; }
count=${1:-5000}
seed=${2:-1}
rounds=${3:-1}
for tool in strace gcc python3 unshare; do
    command -v "$tool" >/dev/null || { echo "strace-fuzz: $tool is not installed" >&2; exit 2; }
done
if ((rebuild)); then
    (cd "$repo" && swift build --product lessons >/dev/null 2>&1) || { echo "strace-fuzz: swift build failed" >&2; exit 1; }
fi
lessons="$(cd "$repo" && swift build --show-bin-path)/lessons"
work=$(mktemp -d /tmp/lessons-strace-fuzz.XXXXXX)
gcc -O1 -o "$work/syscall_fuzz" "$repo/Tests/Fixtures/trace/syscall_fuzz.c"
isolated() { unshare --pid --fork --mount-proc sh -c 'echo 20000 > /proc/sys/kernel/ns_last_pid && exec "$@"' sh "$@"; }
programs=()
started=$(date +%s)
for ((round = 0; round < rounds; round++)); do
    s=$((seed + round))
    name="seed-$s"
    programs+=("$name")
    mkdir -p "$work/$name"
    for tracer in strace lessons; do
        rm -rf "$work/cwd" && mkdir "$work/cwd"
        case $tracer in
            strace) command=(strace -f -o "$work/$name/strace.trace") ;;
            lessons) command=("$lessons" trace --all -f -o "$work/$name/lessons.trace") ;;
        esac
        (cd "$work/cwd" && isolated timeout 120 "${command[@]}" -- "$work/syscall_fuzz" "$s" "$count" >/dev/null 2>&1 </dev/null) || true
    done
done
echo "strace-fuzz: $rounds run(s) of $count calls from seed $seed in $(( $(date +%s) - started )) s (traces in $work)"
python3 "$repo/scripts/strace-corpus-diff.py" --between-markers "$work" "${programs[@]}"
for name in "${programs[@]}"; do
    grep -E '^[-+][a-z]' "$work/$name/diff.txt" | grep -vE '^(---|\+\+\+) ' | sed "s/^/$name: /" | head -40 || true
done
