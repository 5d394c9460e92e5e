#!/bin/sh
# Benchmark of the expectation matcher: 1 000 000 trace events against a 20-line block,
# release build. The benchmark is a test that `swift test` skips unless LESSONS_BENCH=1,
# so it never slows the normal test run. Prints the measured time; fails above 1 second.
# Usage: scripts/bench-match.sh
set -eu
cd "$(dirname "$0")/.."
LESSONS_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter ExpectationsBenchmark 2>&1 |
    grep -E "^bench:|error:|✘|✔ Test Expectations" || { echo "bench-match: the benchmark did not run (see swift test -c release output)" >&2; exit 3; }
