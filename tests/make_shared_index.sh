#!/usr/bin/env bash
# CTest fixture: indexes ../shared/corpus once for the shared-corpus tests.
# Usage: make_shared_index.sh FIDX_BINARY SHARED_CORPUS INDEX_DIR
set -u
fidx=$1 corpus=$2 index=$3
rm -rf "$index"
# 77: CTest's SKIP_RETURN_CODE (tests/CMakeLists.txt, tests/skip.h).
if [ ! -d "$corpus" ] || [ "${FIDX_TESTS_WITHOUT_SHARED:-0}" != 0 ]; then
  echo "skipped: $corpus is not present; shared-corpus tests will skip too"
  exit 77
fi
"$fidx" add --db "$index" --quiet "$corpus" 2>"$index.warnings"
status=$?
echo "fidx add exited $status; $(wc -l < "$index.warnings") warning lines in $index.warnings"
# 1 = some files had problems (the shared corpus has broken files on purpose).
[ "$status" -le 1 ]
