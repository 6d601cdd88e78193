#!/usr/bin/env bash
# The fidx benchmark: indexing and search against omindex, SQLite FTS5 and rg,
# on the same input in the same run. See docs/benchmarks.md.
#
#   scripts/bench.sh                       # the whole shared corpus (../shared/corpus)
#   scripts/bench.sh --quick               # a ~25 MB sample, a few minutes
#   scripts/bench.sh --corpus DIR          # e.g. one made by scripts/gen_corpus.py
#
# Other options (passed to scripts/bench/run.py): --work DIR (default
# /tmp/fidx-bench), --runs N, --batch N, --no-increments, --fidx-only, --keep.
# Builds fidx in build-bench/ (Release) unless FIDX=/path/to/fidx is set.
# Needs omindex, quest, xapian-delve, rg and python3: scripts/install-bench-deps.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

corpus="$root/../shared/corpus"
work="${TMPDIR:-/tmp}/fidx-bench"
pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --corpus=*) corpus="${1#*=}"; shift ;;
    --work) work="$2"; shift 2 ;;
    --work=*) work="${1#*=}"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) pass+=("$1"); shift ;;
  esac
done

[ -d "$corpus" ] || { echo "bench: no corpus at $corpus" >&2; exit 2; }
missing=()
for tool in omindex quest xapian-delve rg python3; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench: missing ${missing[*]}: run scripts/install-bench-deps.sh" >&2
  exit 2
fi

if [ -z "${FIDX:-}" ]; then
  build="$root/build-bench"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" -j"$(nproc)" --target fidx >/dev/null
  FIDX="$build/cli/fidx"
fi

exec python3 "$here/bench/run.py" --fidx "$FIDX" --corpus "$corpus" --work "$work" "${pass[@]}"
