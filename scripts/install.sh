#!/usr/bin/env bash
# Installs lessons for daily use: a release build on the PATH, the bundled lesson pack where the
# installed binary finds it, a man page, and bash/zsh/fish completions where each shell looks.
#
#   scripts/install.sh                      build (swift build -c release, the man page) and install in PREFIX
#   scripts/install.sh --build-only         build only (what `make` does)
#   scripts/install.sh --uninstall          remove exactly what install put in PREFIX
#
# PREFIX: ~/.local for a user (the XDG / systemd file-hierarchy place for a user's programs, also
# pipx's), /usr/local for root (the GNU and FHS convention); --prefix or $PREFIX chooses another.
# DESTDIR (or --destdir) stages the files under another root, as packagers expect: the files
# land in $DESTDIR$PREFIX and still find each other once moved to $PREFIX.
#
# Layout under PREFIX:
#   bin/lessons                                  the release binary, stripped
#   share/lessons/Lessons, share/lessons/Solutions   the lesson pack (found with no flag)
#   share/man/man1/lessons.1                     from swift-argument-parser's generate-manual plugin
#   share/bash-completion/completions/lessons    bash (bash-completion loads it on first Tab)
#   share/zsh/site-functions/_lessons            zsh (in zsh's fpath for /usr/local)
#   share/fish/vendor_completions.d/lessons.fish fish
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${PREFIX:-}
destdir=${DESTDIR:-}
binary=""
build=1
man=1
strip=1
action=install

usage() {
    cat <<'EOF'
usage: scripts/install.sh [--prefix DIR] [--destdir DIR] [--binary FILE] [--no-build] [--no-man] [--no-strip]
       scripts/install.sh --build-only
       scripts/install.sh --uninstall [--prefix DIR] [--destdir DIR]

  --prefix DIR    where to install (default: ~/.local, or /usr/local as root; also $PREFIX)
  --destdir DIR   stage the files under DIR (also $DESTDIR)
  --binary FILE   install this lessons binary instead of building one (no man page then)
  --no-build      install the release build (and man page) already in .build, without building
  --no-man        no man page (it is made with swift-argument-parser's generate-manual plugin)
  --no-strip      keep the binary's debug symbols (86 MB instead of 62 MB)
  --build-only    build the release binary and the man page, install nothing
  --uninstall     remove what install put in PREFIX (workspaces and caches are left alone)
EOF
}

fail() { echo "install.sh: $*" >&2; exit 2; }

while (($#)); do
    case $1 in
        --prefix) (($# > 1)) || fail "--prefix needs a directory"; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#*=}; shift ;;
        --destdir) (($# > 1)) || fail "--destdir needs a directory"; destdir=$2; shift 2 ;;
        --destdir=*) destdir=${1#*=}; shift ;;
        --binary) (($# > 1)) || fail "--binary needs a file"; binary=$2; build=0; man=0; shift 2 ;;
        --binary=*) binary=${1#*=}; build=0; man=0; shift ;;
        --no-build) build=0; shift ;;
        --no-man) man=0; shift ;;
        --no-strip) strip=0; shift ;;
        --uninstall) action=uninstall; shift ;;
        --build-only) action=build; shift ;;
        -h|--help) usage; exit 0 ;;
        *) fail "unknown option '$1'; scripts/install.sh --help lists them" ;;
    esac
done

if [[ -z $prefix ]]; then
    if [[ $(id -u) == 0 ]]; then prefix=/usr/local; else prefix=$HOME/.local; fi
fi
[[ $prefix == /* ]] || fail "PREFIX must be an absolute path, not '$prefix'"
[[ -z $destdir || $destdir == /* ]] || destdir=$PWD/$destdir
[[ -z $binary || $binary == /* ]] || binary=$PWD/$binary
prefix=${prefix%/}
dest=${destdir%/}$prefix

bin_file=$dest/bin/lessons
pack_dir=$dest/share/lessons
man_file=$dest/share/man/man1/lessons.1
bash_file=$dest/share/bash-completion/completions/lessons
zsh_file=$dest/share/zsh/site-functions/_lessons
fish_file=$dest/share/fish/vendor_completions.d/lessons.fish

if [[ $action == uninstall ]]; then
    removed=0
    for file in "$bin_file" "$man_file" "$bash_file" "$zsh_file" "$fish_file"; do
        if [[ -e $file || -L $file ]]; then rm -f -- "$file"; echo "removed $file"; removed=1; fi
    done
    # Only ever our own folder: it holds the pack and nothing of the learner's.
    if [[ -d $pack_dir && ( -d $pack_dir/Lessons || -z $(ls -A "$pack_dir") ) ]]; then
        rm -rf -- "$pack_dir"; echo "removed $pack_dir/"; removed=1
    fi
    if ((removed)); then
        echo "lessons is uninstalled from $prefix; your workspaces and the compile cache (~/.cache/lessons) are left as they are."
    else
        echo "nothing of lessons is installed in $prefix${destdir:+ (under $destdir)}"
    fi
    exit 0
fi

cd "$root"
generated_page=$root/.build/plugins/GenerateManual/outputs/lessons/lessons.1

# The release binary, then the man page: swift-argument-parser's generate-manual plugin builds
# the package in release (already done: nothing to redo) and renders `lessons
# --experimental-dump-help` as mdoc. Both come from the local package mirror; nothing is fetched.
build_all() {
    echo "building: swift build -c release"
    swift build -c release
    if ((man)); then
        echo "building the man page: swift package generate-manual"
        local date log
        date=$(git -C "$root" log -1 --format=%cs 2>/dev/null || date +%F)
        log=$(mktemp "${TMPDIR:-/tmp}/lessons-install-man.$$.XXXXXX")
        if ! swift package generate-manual --date "$date" >"$log" 2>&1 || [[ ! -s $generated_page ]]; then
            echo "install.sh: warning: no man page: 'swift package generate-manual' failed ($(tail -n 1 "$log")); 'lessons --help' says the same" >&2
            rm -f "$generated_page"
        fi
        rm -f "$log"
    fi
}

if [[ $action == build ]]; then
    build_all
    exit 0
fi

if [[ -z $binary ]]; then
    binary=$root/.build/release/lessons
    # Root building in someone else's checkout (sudo make install) would leave root-owned files
    # in their .build/ that their next build cannot write: install what they built instead.
    if ((build)) && [[ $(id -u) == 0 && $(stat -c %u "$root") != 0 ]]; then
        echo "note: not building as root in $(stat -c %U "$root")'s checkout; installing the release build already there"
        build=0
    fi
    ((build)) && build_all
    [[ -x $binary ]] || fail "no release build at $binary; run 'make' (or 'swift build -c release') first"
fi
[[ -f $binary && -x $binary ]] || fail "$binary is not an executable; give the lessons binary to --binary"
[[ -d $root/Lessons ]] || fail "no Lessons/ folder in $root: run this script from a lessons checkout"

page=""
if ((man)); then
    if [[ -s $generated_page ]]; then
        page=$generated_page
    elif ((!build)); then
        echo "install.sh: warning: no man page in $generated_page; run 'make' first to have one" >&2
    fi
fi

# Each file is written beside its place and renamed over it: a lessons that is running keeps
# its old binary, and an interrupted install never leaves half a file.
place() {  # place SOURCE TARGET MODE
    mkdir -p "$(dirname "$2")"
    local temporary
    temporary=$(mktemp "$(dirname "$2")/.$(basename "$2").XXXXXX")
    cp -- "$1" "$temporary"
    chmod "$3" "$temporary"
    mv -f -- "$temporary" "$2"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/lessons-install.$$.XXXXXX")
trap 'rm -rf "$work"' EXIT

cp -- "$binary" "$work/lessons"
if ((strip)) && command -v strip >/dev/null; then strip "$work/lessons"; fi
place "$work/lessons" "$bin_file" 0755

for shell in bash zsh fish; do
    "$work/lessons" --generate-completion-script "$shell" >"$work/completion.$shell" ||
        fail "$binary --generate-completion-script $shell failed"
done
place "$work/completion.bash" "$bash_file" 0644
place "$work/completion.zsh" "$zsh_file" 0644
place "$work/completion.fish" "$fish_file" 0644
[[ -n $page ]] && place "$page" "$man_file" 0644

# The pack is replaced whole, so a lesson removed upstream does not linger.
mkdir -p "$dest/share"
staged=$(mktemp -d "$dest/share/.lessons.XXXXXX")
cp -R -- "$root/Lessons" "$staged/Lessons"
[[ -d $root/Solutions ]] && cp -R -- "$root/Solutions" "$staged/Solutions"
chmod -R u=rwX,go=rX "$staged"
rm -rf -- "$pack_dir"
mv -- "$staged" "$pack_dir"

version=$("$work/lessons" --version 2>/dev/null || echo "?")
echo "installed lessons $version in $prefix${destdir:+ (staged under $destdir)}:"
echo "  $bin_file"
echo "  $pack_dir/Lessons (the lesson pack; found without --lessons)"
if [[ -n $page ]]; then echo "  $man_file (man lessons)"; else echo "  (no man page)"; fi
echo "  completions: $bash_file, $zsh_file, $fish_file"

# What the learner's own shell still needs, said once, only for an install into the live system.
if [[ -z $destdir ]]; then
    case ":$PATH:" in
        *":$prefix/bin:"*) ;;
        *) echo "note: $prefix/bin is not on your PATH; add it, e.g. echo 'export PATH=\"$prefix/bin:\$PATH\"' >> ~/.bashrc" ;;
    esac
    if [[ ! -r /usr/share/bash-completion/bash_completion ]]; then
        echo "note: bash completes 'lessons' once the bash-completion package is installed (apt-get install bash-completion), or with 'source $bash_file' in ~/.bashrc"
    fi
    if command -v zsh >/dev/null && ! zsh -fc 'print -rl -- $fpath' | grep -qxF "$(dirname "$zsh_file")"; then
        echo "note: zsh: add 'fpath=($(dirname "$zsh_file") \$fpath)' before 'compinit' in ~/.zshrc"
    fi
    if command -v fish >/dev/null && ! fish -c 'string join \n -- $fish_complete_path' | grep -qxF "$(dirname "$fish_file")"; then
        echo "note: fish: add 'set -p fish_complete_path $(dirname "$fish_file")' to ~/.config/fish/config.fish"
    fi
fi
