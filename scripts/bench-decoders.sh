#!/usr/bin/env bash
# What decoding and rendering one syscall costs next to the ptrace stop it happens at, in one
# run: the decoders' CPU time per call (getppid, mmap, munmap through SyscallDecoder and the
# strace line renderer; debug build, like the suite) against one syscall's cost under
# `strace -f -o /dev/null` less its untraced cost (a getppid loop, best of RUNS rounds).
# The ratio should stay well under 1; the script fails above 5 (decoding would then dominate).
# Usage: scripts/bench-decoders.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
command -v strace >/dev/null || { echo "bench-decoders: strace is not installed (apt-get install strace)" >&2; exit 2; }
swift build --build-tests >&2
out=$(LESSONS_BENCH_DECODERS=1 swift test --skip-build --filter decoderCostBenchmark 2>&1) || { echo "$out" >&2; exit 1; }
line=$(grep -E "^bench-decoders:" <<<"$out") || { echo "bench-decoders: the benchmark did not run" >&2; exit 3; }
decode_ns=$(sed -E 's/.*render ([0-9]+) ns.*/\1/' <<<"$line")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/getppid.c" <<'C'
#include <stdlib.h>
#include <unistd.h>
int main(int argc, char **argv) { long n = atol(argv[1]); for (long i = 0; i < n; i++) getppid(); return 0; }
C
cc -O0 -o "$work/getppid" "$work/getppid.c"
n=20000
elapsed() { local start=$EPOCHREALTIME; "$@" >/dev/null 2>&1 || true; echo "$EPOCHREALTIME - $start" | bc -l; }
min() { if [[ -z $1 ]] || (( $(echo "$2 < $1" | bc -l) )); then echo "$2"; else echo "$1"; fi; }
traced="" bare=""
for ((i = 0; i < runs; i++)); do
    traced=$(min "$traced" "$(elapsed strace -f -o /dev/null "$work/getppid" "$n")")
    bare=$(min "$bare" "$(elapsed "$work/getppid" "$n")")
done
stop_ns=$(echo "($traced - $bare) * 1000000000 / $n" | bc -l)
ratio=$(echo "$decode_ns / $stop_ns" | bc -l)
echo "$line"
printf 'bench-decoders: one traced syscall under strace -f: %.0f ns of wall time (best of %d rounds of %d getppid)\n' "$stop_ns" "$runs" "$n"
printf 'bench-decoders: ratio decode+render / traced syscall: %.2f (fails above 5)\n' "$ratio"
(( $(echo "$ratio <= 5" | bc -l) ))
