#!/usr/bin/env bash
# One command for a newcomer on Debian 12: install what fidx needs, build it,
# index the bundled corpus/ and run a first search.
#   scripts/setup.sh            (index goes to ./.fidx-index)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
export FIDX_DB="${FIDX_DB:-$PWD/.fidx-index}"
status=0
build/cli/fidx add corpus/ || status=$?
# Exit 1 means "some files had problems, the rest are indexed": still usable.
[ "$status" -le 1 ] || exit "$status"
build/cli/fidx search "orphan drug"
echo
echo "fidx is built at build/cli/fidx; the index of corpus/ is at $FIDX_DB."
echo "To use it from another shell, run:"
echo
printf '  export FIDX_DB=%q PATH=%q:"$PATH"\n' "$FIDX_DB" "$PWD/build/cli"
