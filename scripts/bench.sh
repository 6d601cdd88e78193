#!/usr/bin/env bash
# The fidx benchmark: indexing and search against omindex, SQLite FTS5,
# PostgreSQL 15 full-text search, Groonga 13 and rg, on the same input in the
# same run. See docs/benchmarks.md.
#
#   scripts/bench.sh                       # the whole shared corpus (../shared/corpus)
#   scripts/bench.sh --quick               # a ~25 MB sample, a few minutes
#   scripts/bench.sh --corpus DIR          # e.g. one made by scripts/gen_corpus.py
#
# Other options (passed to scripts/bench/run.py): --work DIR (default
# /tmp/fidx-bench), --runs N, --batch N, --no-increments, --fidx-only,
# --no-pg, --no-groonga, --keep.
# Builds fidx in build-bench/ (Release) unless FIDX=/path/to/fidx is set.
# Needs omindex, quest, xapian-delve, rg, python3 and, unless skipped,
# PostgreSQL 15 with python3-psycopg2 and groonga (with its stem token filter):
# scripts/install-bench-deps.sh. PostgreSQL runs as an unprivileged user
# (fidxbench, made by that script, or nobody), in a private temporary cluster.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

corpus="$root/../shared/corpus"
work="${TMPDIR:-/tmp}/fidx-bench"
pass=()
no_pg=""
no_groonga=""
while [ $# -gt 0 ]; do
  case "$1" in
    --corpus) corpus="$2"; shift 2 ;;
    --corpus=*) corpus="${1#*=}"; shift ;;
    --work) work="$2"; shift 2 ;;
    --work=*) work="${1#*=}"; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --no-pg) no_pg=1; pass+=("$1"); shift ;;
    --no-groonga) no_groonga=1; pass+=("$1"); shift ;;
    --fidx-only) no_pg=1; no_groonga=1; pass+=("$1"); shift ;;
    *) pass+=("$1"); shift ;;
  esac
done

[ -d "$corpus" ] || { echo "bench: no corpus at $corpus" >&2; exit 2; }
missing=()
# Debian's python3 (it sees Debian's python3-psycopg2), unless PYTHON is set.
py="${PYTHON:-}"
[ -n "$py" ] || { [ -x /usr/bin/python3 ] && py=/usr/bin/python3 || py=python3; }
for tool in omindex quest xapian-delve rg "$py"; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ -z "$no_pg" ]; then
  [ -x /usr/lib/postgresql/15/bin/pg_ctl ] || missing+=("postgresql-15")
  "$py" -c 'import psycopg2' 2>/dev/null || missing+=("python3-psycopg2")
fi
if [ -z "$no_groonga" ]; then
  command -v groonga >/dev/null || missing+=("groonga")
  ls /usr/lib/*/groonga/plugins/token_filters/stem.so >/dev/null 2>&1 ||
    missing+=("groonga-token-filter-stem")
fi
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

exec "$py" "$here/bench/run.py" --fidx "$FIDX" --corpus "$corpus" --work "$work" "${pass[@]}"
