#!/usr/bin/env bash
# strace's own test programs as a differential corpus for `lessons trace`.
#
# Fetches strace's source as Debian ships it (apt-get source, with a private apt configuration:
# the system's apt configuration and lists are left untouched), builds strace's test programs
# for a chosen set of calls, runs each under both `strace -f` and `lessons trace --all -f`
# (under `setarch -R`, so addresses repeat), and compares the lines after normalising pids and
# random bytes (scripts/strace-corpus-diff.py). Claimed calls are compared with strace's
# decoded lines, every other call with `strace -e raw=all`. Prints a summary per program, per
# family and overall. strace's test code stays in WORK, never in this repository.
#
# Usage: scripts/strace-corpus.sh [-w WORK] [-k] [PROGRAM ...]
#   -w WORK   where the source, the build and the traces go (default /var/tmp/lessons-strace-corpus)
#   -k        keep going: do not rebuild lessons (use the binary already built)
#   PROGRAM   strace test programs to run (default: the set below)
# Needs: strace (the version compared against), gcc, make, python3, setarch, unshare (root); autoconf, automake
# and gawk only when the source has no configure script (they are installed from Debian then).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=/var/tmp/lessons-strace-corpus
rebuild=1
while getopts "w:k" option; do
    case $option in
        w) work=$OPTARG ;;
        k) rebuild=0 ;;
        *) echo "usage: $0 [-w WORK] [-k] [PROGRAM ...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))

# The claimed calls' test programs (memory, process, signals, I/O), with their variants.
default_programs=(
    brk mmap mmap-Xabbrev mmap-Xraw mmap-Xverbose madvise mincore mlock mlock2 mlockall munlockall
    remap_file_pages remap_file_pages-Xabbrev remap_file_pages-Xraw remap_file_pages-Xverbose
    pkey_alloc pkey_free pkey_mprotect
    clone-flags clone3 clone3-Xabbrev clone3-Xraw clone3-Xverbose clone_parent execve execve-v fork-f vfork-f
    threads-execve wait4 wait4-v waitid waitid-v
    kill tkill tgkill rt_sigaction rt_sigprocmask siginfo sigreturn
    read-write open openat access lseek getrandom fstat newfstatat pipe pipe2 dup dup2 dup3 fcntl
    arch_prctl arch_prctl-Xabbrev arch_prctl-Xraw arch_prctl-Xverbose futex nanosleep clock_nanosleep prlimit64
)
programs=("$@")
((${#programs[@]})) || programs=("${default_programs[@]}")

say() { echo "strace-corpus: $*" >&2; }
die() { say "$*"; exit 1; }
for tool in strace gcc make python3 setarch apt-get; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install $tool), then run $0 again"
done
mkdir -p "$work"
work=$(cd "$work" && pwd)

# 1. strace's source, through a private apt configuration.
apt="$work/apt"
if ! ls "$work"/strace_*.orig.tar.* >/dev/null 2>&1; then
    mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$apt/cache/archives/partial"
    if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
        # The first stanza's URIs and first suite, as one deb-src entry.
        awk 'BEGIN { RS = ""; FS = "\n" } NR == 1 {
                 for (i = 1; i <= NF; i++) {
                     if ($i ~ /^URIs:/) uris = $i
                     if ($i ~ /^Suites:/) { split($i, s, " "); suite = s[2] }
                     if ($i ~ /^Signed-By:/) key = $i
                 }
                 print "Types: deb-src"; print uris; print "Suites: " suite; print "Components: main"; if (key) print key
             }' /etc/apt/sources.list.d/debian.sources >"$apt/sources.list.d/strace-src.sources"
    elif [[ -r /etc/apt/sources.list ]]; then
        awk '$1 == "deb" && !done { $1 = "deb-src"; print; done = 1 }' /etc/apt/sources.list >"$apt/sources.list.d/strace-src.list"
    else
        die "no Debian source entry found in /etc/apt (sources.list.d/debian.sources or sources.list)"
    fi
    private=(-o "Dir::Etc::SourceList=/dev/null" -o "Dir::Etc::SourceParts=$apt/sources.list.d"
             -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache")
    say "fetching strace's source (private apt configuration in $apt)"
    apt-get -q "${private[@]}" update >"$work/apt.log" 2>&1 || die "apt-get update failed: see $work/apt.log"
    (cd "$work" && apt-get -q "${private[@]}" source --download-only strace >>"$work/apt.log" 2>&1) \
        || die "apt-get source strace failed: see $work/apt.log"
fi
src=$(ls -d "$work"/src/strace-* 2>/dev/null | head -1 || true)
if [[ -z $src ]]; then
    mkdir -p "$work/src"
    tar -C "$work/src" -xf "$(ls "$work"/strace_*.orig.tar.* | grep -v '\.asc$' | head -1)"
    src=$(ls -d "$work"/src/strace-* | head -1)
fi
installed=$(strace -V | sed -n '1s/.*version //p')
[[ $src == *"-$installed" ]] || say "warning: the source is $(basename "$src"), the installed strace is $installed"

# 2. Build strace's test library and the chosen programs.
if [[ ! -f $src/config.status ]]; then
    if [[ ! -x $src/configure ]]; then
        need=()
        for pkg in autoconf automake gawk; do dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg"); done
        ((${#need[@]})) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
        (cd "$src" && ./bootstrap) >"$work/build.log" 2>&1 || die "bootstrap failed: see $work/build.log"
    fi
    say "configuring strace's tests"
    (cd "$src" && ./configure --enable-mpers=no) >>"$work/build.log" 2>&1 || die "configure failed: see $work/build.log"
fi
say "building ${#programs[@]} test programs"
make -C "$src/tests" scno.h ksysent.h >>"$work/build.log" 2>&1 || die "make scno.h ksysent.h failed: see $work/build.log"
make -C "$src/tests" -j"$(nproc)" libtests.a >>"$work/build.log" 2>&1 || die "make libtests.a failed: see $work/build.log"
make -C "$src/tests" -k -j"$(nproc)" "${programs[@]}" >>"$work/build.log" 2>&1 || say "some programs did not build: see $work/build.log"

# 3. lessons.
if ((rebuild)); then
    (cd "$repo" && swift build --product lessons >"$work/swift-build.log" 2>&1) || die "swift build failed: see $work/swift-build.log"
fi
lessons="$(cd "$repo" && swift build --show-bin-path)/lessons"
[[ -x $lessons ]] || die "no lessons binary at $lessons: run swift build"
export LESSONS_CACHE="$work/lessons-cache"

# 4. Run each program under each tracer in the same fresh directory (the tests make files; the
# same path keeps $PWD, and so the stack's layout, the same), in a new pid namespace whose pids
# start at 20001 (so both runs' pids have as many digits), without address randomisation.
runs="$work/runs"
rm -rf "$runs"
mkdir -p "$runs"
isolated() { unshare --pid --fork --mount-proc sh -c 'echo 20000 > /proc/sys/kernel/ns_last_pid && exec "$@"' sh "$@"; }
for program in "${programs[@]}"; do
    binary="$src/tests/$program"
    [[ -x $binary ]] || { say "skipped $program: not built"; continue; }
    for tracer in strace raw lessons; do
        dir="$runs/$program/cwd"
        rm -rf "$dir"
        mkdir -p "$dir"
        case $tracer in
            strace) command=(strace -f -o "$runs/$program/$tracer.trace") ;;
            raw) command=(strace -f -e raw=all -o "$runs/$program/$tracer.trace") ;;
            lessons) command=("$lessons" trace --all -f -o "$runs/$program/$tracer.trace") ;;
        esac
        (cd "$dir" && isolated timeout 60 setarch -R "${command[@]}" -- "$binary" >/dev/null 2>"$runs/$program/$tracer.stderr" </dev/null) || true
    done
    rm -rf "$runs/$program/cwd"
done

# 5. Compare.
python3 "$repo/scripts/strace-corpus-diff.py" "$runs" "${programs[@]}"
