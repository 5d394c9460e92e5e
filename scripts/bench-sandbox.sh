#!/usr/bin/env bash
# The sandbox's cost, side by side in one run: a trivial C program traced by Tracer.run alone
# and run through Sandbox.run (scratch directory, namespaces, Landlock, seccomp, cgroup, uid
# sweep), and one small C and Swift compile by the bare compiler and by Compiler.compile
# (confined, uncached). Medians and bests of ROUNDS rounds (default 10; Swift: a third of them);
# the machines are shared and noisy.
# Usage: scripts/bench-sandbox.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
swift build --build-tests >&2
LESSONS_BENCH_SANDBOX=$rounds swift test --skip-build --filter sandboxBenchmark 2>&1 \
    | sed -n '/^sandbox benchmark/,/swift   Compiler.compile/p'
