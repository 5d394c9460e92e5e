#!/usr/bin/env bash
# Tracing speed, side by side in one run (issue 2's targets):
#   full trace (--all -f -o /dev/null) of 20 000 getppid and 5 000 mmap+munmap:
#       ours  vs  taskset -c 0 strace -f -o /dev/null  (target: ratio <= 1.0)  and plain strace -f
#   filtered trace (-e trace=%memory) of 2 000 000 getppid:
#       ours  vs  the untraced program                 (target: ratio <= 1.5)
# Each timing is the best of RUNS rounds (default 5), the contenders taking turns within a round:
# the machines are shared and noisy.
# Usage: scripts/bench-trace.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}

command -v strace >/dev/null || { echo "bench-trace: strace is not installed (apt-get install strace)" >&2; exit 2; }
command -v taskset >/dev/null || { echo "bench-trace: taskset is missing (apt-get install util-linux)" >&2; exit 2; }

echo "building the release binary…" >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build -c release --product lessons >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
lessons=$(swift build -c release --show-bin-path 2>/dev/null)/lessons

cat > "$work/getppid.c" <<'EOF'
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) { long n = atol(argv[1]); for (long i = 0; i < n; i++) getppid(); return 0; }
EOF
cat > "$work/mmap.c" <<'EOF'
#include <stdlib.h>
#include <sys/mman.h>
int main(int argc, char **argv) {
    long n = atol(argv[1]);
    for (long i = 0; i < n; i++) { void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); munmap(p, 4096); }
    return 0;
}
EOF
cc -O0 -g -o "$work/getppid" "$work/getppid.c"
cc -O0 -g -o "$work/mmap" "$work/mmap.c"

# elapsed CMD…: one run's wall time in seconds (bash's clock: no process started to read it).
elapsed() {
    local start=$EPOCHREALTIME
    "$@" >/dev/null 2>&1 || true
    local end=$EPOCHREALTIME
    echo "$end - $start" | bc -l
}
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }
min() { if [[ -z $1 ]] || (( $(echo "$2 < $1" | bc -l) )); then echo "$2"; else echo "$1"; fi; }

# Each round runs every contender once, in turn, so that the machine's noisy phases fall on all
# of them alike; each contender's time is its best round.
printf '%-34s %10s %14s %10s %14s %10s\n' "workload" "lessons" "strace pinned" "ratio" "strace" "ratio"
for workload in "getppid 20000" "mmap 5000"; do
    set -- $workload
    prog="$work/$1"; n=$2
    ours="" pinned="" plain=""
    for ((i = 0; i < runs; i++)); do
        ours=$(min "$ours" "$(elapsed "$lessons" trace --all -f -o /dev/null -- "$prog" "$n")")
        pinned=$(min "$pinned" "$(elapsed taskset -c 0 strace -f -o /dev/null "$prog" "$n")")
        plain=$(min "$plain" "$(elapsed strace -f -o /dev/null "$prog" "$n")")
    done
    printf '%-34s %9.4fs %13.4fs %9s× %13.4fs %9s×\n' "full trace: $1 × $n" "$ours" "$pinned" "$(ratio "$ours" "$pinned")" "$plain" "$(ratio "$ours" "$plain")"
done

printf '\n%-34s %10s %14s %10s\n' "workload" "lessons" "untraced" "ratio"
ours="" bare="" strace_filtered=""
for ((i = 0; i < runs; i++)); do
    ours=$(min "$ours" "$(elapsed "$lessons" trace -e trace=%memory -o /dev/null -- "$work/getppid" 2000000)")
    bare=$(min "$bare" "$(elapsed "$work/getppid" 2000000)")
    strace_filtered=$(min "$strace_filtered" "$(elapsed strace -f --seccomp-bpf -e trace=%memory -o /dev/null "$work/getppid" 2000000)")
done
printf '%-34s %9.4fs %13.4fs %9s×\n' "-e trace=%memory: getppid × 2000000" "$ours" "$bare" "$(ratio "$ours" "$bare")"
printf '%-34s %9.4fs %13.4fs %9s×\n' "  (strace --seccomp-bpf, same)" "$strace_filtered" "$bare" "$(ratio "$strace_filtered" "$bare")"
echo
echo "targets: full trace ≤ 1.00× strace pinned; filtered ≤ 1.50× untraced (best of $runs rounds each)"
