#!/usr/bin/env bash
# Tracing speed, side by side in one run (issue 2's targets):
#   full trace (--all -f -o /dev/null) of 20 000 getppid and 5 000 mmap+munmap:
#       ours  vs  taskset -c 0 strace -f -o /dev/null  (target: ratio <= 1.0)  and plain strace -f
#   filtered trace (-e trace=%memory) of 2 000 000 getppid:
#       ours  vs  the untraced program                 (target: ratio <= 1.5)
# Each timing is the best of RUNS runs (default 5): the machines are shared and noisy.
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

# best_of CMD…: the fastest wall time of $runs runs, in seconds.
best_of() {
    local best="" t
    for ((i = 0; i < runs; i++)); do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null 2>&1 || true
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc -l)
        if [[ -z $best ]] || (( $(echo "$t < $best" | bc -l) )); then best=$t; fi
    done
    printf '%.4f' "$best"
}
ratio() { printf '%.2f' "$(echo "$1 / $2" | bc -l)"; }

printf '%-34s %10s %14s %10s %14s %10s\n' "workload" "lessons" "strace pinned" "ratio" "strace" "ratio"
for workload in "getppid 20000" "mmap 5000"; do
    set -- $workload
    prog="$work/$1"; n=$2
    ours=$(best_of "$lessons" trace --all -f -o /dev/null -- "$prog" "$n")
    pinned=$(best_of taskset -c 0 strace -f -o /dev/null "$prog" "$n")
    plain=$(best_of strace -f -o /dev/null "$prog" "$n")
    printf '%-34s %9ss %13ss %9s× %13ss %9s×\n' "full trace: $1 × $n" "$ours" "$pinned" "$(ratio "$ours" "$pinned")" "$plain" "$(ratio "$ours" "$plain")"
done

printf '\n%-34s %10s %14s %10s\n' "workload" "lessons" "untraced" "ratio"
ours=$(best_of "$lessons" trace -e trace=%memory -o /dev/null -- "$work/getppid" 2000000)
bare=$(best_of "$work/getppid" 2000000)
printf '%-34s %9ss %13ss %9s×\n' "-e trace=%memory: getppid × 2000000" "$ours" "$bare" "$(ratio "$ours" "$bare")"
strace_filtered=$(best_of strace -f --seccomp-bpf -e trace=%memory -o /dev/null "$work/getppid" 2000000)
printf '%-34s %9ss %13ss %9s×\n' "  (strace --seccomp-bpf, same)" "$strace_filtered" "$bare" "$(ratio "$strace_filtered" "$bare")"
echo
echo "targets: full trace ≤ 1.00× strace pinned; filtered ≤ 1.50× untraced (best of $runs runs each)"
