#!/bin/sh
# Fuzz everything a traced program's values flow through: random registers, return values,
# memory and siginfo through every syscall decoder, the strace and JSON Lines renderers, the
# memory picture and the expectation matcher, and the tracer's memory reader on wrapping
# addresses (Tests/DecoderFuzzTests). The suite runs 1500 inputs with seed 1; this runs more.
# Usage: scripts/fuzz-decoders.sh [COUNT [SEED [START]]]   (defaults 200000 1 0)
#   FUZZ_CONFIG=release scripts/fuzz-decoders.sh   builds in release mode (faster inputs, slower build)
# On a crash it names the input (replay: scripts/fuzz-decoders.sh 1 SEED INDEX) and shows the trap.
set -u
cd "$(dirname "$0")/.."
count=${1:-200000}
seed=${2:-1}
start=${3:-0}
config=${FUZZ_CONFIG:-debug}
extra=""
[ "$config" = release ] && extra="-Xswiftc -enable-testing"
progress=$(mktemp /tmp/lessons-decoder-fuzz-progress.XXXXXX)
log=$(mktemp /tmp/lessons-decoder-fuzz-log.XXXXXX)
started=$(date +%s)
LESSONS_DECODER_FUZZ_COUNT=$count LESSONS_DECODER_FUZZ_SEED=$seed LESSONS_DECODER_FUZZ_START=$start \
LESSONS_DECODER_FUZZ_PROGRESS=$progress \
    swift test -c "$config" $extra --filter DecoderFuzzTests >"$log" 2>&1
status=$?
echo "fuzz-decoders: $count inputs from $start, seed $seed, $(( $(date +%s) - started )) s"
grep -E "^fuzz:|error:|Fatal error|✘|✔ Test random" "$log"
if [ $status -ne 0 ]; then
    if ! grep -q "✘ Test random" "$log" && [ -s "$progress" ]; then
        index=$(cat "$progress")
        echo "fuzz-decoders: the test process died (a trap) on input $index (seed $seed); replay: $0 1 $seed $index" >&2
        grep -E " at /.*/Sources/" "$log" | head -8 >&2
    fi
    echo "fuzz-decoders: failed; full output in $log" >&2
    rm -f "$progress"
    exit 1
fi
rm -f "$log" "$progress"
