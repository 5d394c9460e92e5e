#!/bin/sh
# Records real traces of the reference C programs here (strace, ASLR off) into
# Tests/ExpectationsTests/RecordedTraces/ (test resources: NAME.strace, NAME.stdout, NAME.stderr),
# so matcher tests run on what glibc 2.36 really does. One strace run per program: `-X verbose`
# prints every decoded constant as its raw value and strace's name together
# (`0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */`), so the registers and strace's text come from the
# same run (the tests' StraceLog splits the two apart).
# Usage: scripts/expect-fixtures/record.sh   (needs cc, strace, setarch, python3)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../../Tests/ExpectationsTests/RecordedTraces"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/input.txt" "$work/"
seq 0 99999 > "$work/numbers.txt"
{ echo 100000; cat "$work/numbers.txt"; } > "$work/big.txt"
printf '3\n10\n20\n30\n' > "$work/small.txt"
cc -c -o "$work/marker.o" "$here/marker.c"
record() { # name program stdin-file args...   (program.swift when name ends in -swift)
    name=$1; prog=$2; input=$3; shift 3
    case "$name" in
    *-swift) swiftc -Onone -g -o "$work/$prog" "$here/$prog.swift" "$work/marker.o" ;;
    *) cc -O0 -g -o "$work/$prog" "$here/$prog.c" ;;
    esac
    size=4096; [ "$name" = echo-numbers-big ] && size=16
    ( cd "$work" && SWIFT_BACKTRACE=enable=no setarch "$(uname -m)" -R strace -f -X verbose -s $size -o "$work/$name.strace" "./$prog" "$@" \
        < "$input" 2> "$work/$name.err" | cat > "$work/$name.out" ) || true
    echo "$name" >> "$work/names"
}
record empty empty /dev/null
for p in five-small-chunks five-big-chunks five-big-chunks-freed grow-twice sbrk-page raise-threshold \
         free-returns handle-failure anon-two-pages anon-one-page unaligned-offset read-only-write \
         shared-message private-copy; do
    record "$p" "$p" /dev/null
done
record map-file map-file /dev/null input.txt
record echo-numbers-small echo-numbers "$work/small.txt"
record echo-numbers-big echo-numbers "$work/big.txt"
for p in five-small-chunks free-returns read-only-write shared-message; do
    record "$p-swift" "$p" /dev/null
done
rm -f "$out"/*.strace "$out"/*.raw "$out"/*.pretty "$out"/*.stdout "$out"/*.stderr
mkdir -p "$out"
for n in $(cat "$work/names"); do
    cp "$work/$n.strace" "$out/$n.strace"
    # echo-numbers-big prints 100000 lines: its output is not kept
    if [ "$n" = echo-numbers-big ]; then : > "$out/$n.stdout"; else cp "$work/$n.out" "$out/$n.stdout"; fi
    cp "$work/$n.err" "$out/$n.stderr"
done
echo "wrote $out"
