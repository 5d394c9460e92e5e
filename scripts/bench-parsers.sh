#!/usr/bin/env bash
# How the lesson parser's time grows with its input, in one run: CPU time (this thread's) on
# inputs of 20 000 and 200 000 trailing carriage returns and their ratio, about 10 when linear
# (a quadratic trim once made it 100). Fails when a ratio passes 30. Debug build, like the suite.
# Usage: scripts/bench-parsers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests >&2
status=0
out=$(LESSONS_BENCH_PARSERS=1 swift test --skip-build --filter parserScalingBenchmark 2>&1) || status=$?
grep -E "^bench-parsers:|✘" <<<"$out" || { echo "bench-parsers: the benchmark did not run" >&2; exit 3; }
exit "$status"
