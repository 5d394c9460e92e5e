#!/usr/bin/env bash
# The test suite asserts what the tool decides, not what this machine happens to have: install a
# small Debian library that nothing here uses (which rewrites /etc/ld.so.cache and so changes the
# size the loader maps and unmaps before main), run the suites that compare against recorded
# snapshots and traces, then remove the library again if it was not there before.
#
# Usage: scripts/check-machine-independence.sh [PACKAGE] [-- SWIFT-TEST-ARGUMENTS…]
#   PACKAGE    the unrelated library to install (default libsnappy1v5)
#   after --   what to pass to `swift test` instead of the snapshot suites (e.g. `--` alone for
#              the whole suite)
# Needs root (apt-get) and network access to the Debian mirror. Exits with swift test's status.
set -euo pipefail
cd "$(dirname "$0")/.."

package=libsnappy1v5
if (($#)) && [[ $1 != -- ]]; then package=$1; shift; fi
# The suites that hold snapshots or recorded traces, and the ones that trace real programs.
tests=(--filter 'EndToEndTests|LessonEvidenceTests|MemoryPictureTests|ExpectationsTests|TracingTests')
if (($#)) && [[ $1 == -- ]]; then shift; tests=("$@"); fi

if [[ $(id -u) != 0 ]]; then
    echo "check-machine-independence: needs root to install $package (run it with sudo)" >&2
    exit 2
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
cache_size() { stat -c %s /etc/ld.so.cache 2>/dev/null || echo none; }

export DEBIAN_FRONTEND=noninteractive
before=$(cache_size)
added=no
if installed "$package"; then
    echo "check-machine-independence: $package is already installed; removing it for the run instead"
    apt-get remove -y -qq "$package" >/dev/null
    trap 'apt-get install -y -qq --no-install-recommends "$package" >/dev/null' EXIT
else
    apt-get install -y -qq --no-install-recommends "$package" >/dev/null || {
        apt-get update -qq && apt-get install -y -qq --no-install-recommends "$package" >/dev/null
    }
    added=yes
    trap 'apt-get remove -y -qq "$package" >/dev/null' EXIT
fi
after=$(cache_size)
echo "check-machine-independence: /etc/ld.so.cache $before -> $after bytes ($package $([[ $added == yes ]] && echo installed || echo removed))"
if [[ $before == "$after" ]]; then
    echo "check-machine-independence: the loader cache kept its size; the check proves less than it should" >&2
fi

swift build --build-tests >&2
status=0
swift test --skip-build "${tests[@]}" || status=$?
echo "check-machine-independence: swift test exited $status with the machine changed"
exit "$status"
