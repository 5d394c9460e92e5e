#!/bin/sh
# Fuzz the lesson parser and the expectation parser: 100 000 random and mutated inputs
# (mutations of the real lessons and their expect blocks) from a seeded generator, each fed
# to both parsers; fails on a crash, a hang, a slow input or a diagnostic outside its input.
# The fuzz target is a test that `swift test` skips unless LESSONS_FUZZ=1, so it never slows
# the normal test run.
# Usage: scripts/fuzz-parsers.sh [COUNT [SEED [START]]]   (defaults 100000 1 0)
#   FUZZ_CONFIG=release scripts/fuzz-parsers.sh   builds in release mode (faster inputs, slower build)
# On a crash it names the input and writes it to /tmp/lessons-fuzz-input-N.md for replay.
set -u
cd "$(dirname "$0")/.."
count=${1:-100000}
seed=${2:-1}
start=${3:-0}
config=${FUZZ_CONFIG:-debug}
extra=""
[ "$config" = release ] && extra="-Xswiftc -enable-testing"
rm -f /tmp/lessons-fuzz-current
log=$(mktemp /tmp/lessons-fuzz-log.XXXXXX)
LESSONS_FUZZ=1 LESSONS_FUZZ_COUNT=$count LESSONS_FUZZ_SEED=$seed LESSONS_FUZZ_START=$start \
    swift test -c "$config" $extra --filter fuzzLessonAndExpectationParsers >"$log" 2>&1
status=$?
grep -E "^fuzz:|error:|Fatal error|✘|✔ Test fuzz" "$log"
if [ $status -ne 0 ]; then
    if ! grep -q "✘ Test fuzz\|^fuzz: HANG" "$log" && [ -s /tmp/lessons-fuzz-current ]; then
        index=$(cat /tmp/lessons-fuzz-current)
        echo "fuzz-parsers: the test process died (crash) on input $index (seed $seed); its output is in $log" >&2
        LESSONS_FUZZ=1 LESSONS_FUZZ_SEED=$seed LESSONS_FUZZ_DUMP=$index \
            swift test -c "$config" $extra --filter fuzzLessonAndExpectationParsers 2>&1 | grep "^fuzz:"
    else
        echo "fuzz-parsers: failed; full output in $log" >&2
    fi
    exit 1
fi
rm -f "$log"
