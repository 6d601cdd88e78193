#!/usr/bin/env bash
# Fuzzes the EDGAR parser (ParseFiling, ParseHeader) with libFuzzer under
# AddressSanitizer and UndefinedBehaviorSanitizer.
#
# Usage: scripts/fuzz.sh [SECONDS] [libFuzzer flags...]
#   SECONDS   how long to fuzz (default 60)
#   FIDX_JOBS build parallelism (default 2)
#
# Builds tests/fuzz/fuzz_parser with clang in build-fuzz/, seeds it with the
# files of ../shared/corpus when present (else the bundled corpus/), keeps
# the inputs it finds in build-fuzz/fuzz-corpus/ for the next run, and
# writes any crashing input to build-fuzz/artifacts/. Exit status: 0 if
# nothing was found, non-zero otherwise (libFuzzer's).
# Reproduce a crash: build-fuzz/tests/fuzz/fuzz_parser build-fuzz/artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift

cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DFIDX_FUZZ=ON >/dev/null
cmake --build build-fuzz --target fuzz_parser -j"${FIDX_JOBS:-2}"

seeds=corpus
[ -d ../shared/corpus ] && seeds=../shared/corpus
mkdir -p build-fuzz/fuzz-corpus build-fuzz/artifacts
echo "fuzzing for ${seconds}s, seeds from $seeds" >&2
# -max_len: seeds are cut to 128 KB, enough for every header and several
# documents while keeping executions fast. -timeout: an input taking 10 s
# is a finding (quadratic parsing), as is one needing 2 GB.
exec build-fuzz/tests/fuzz/fuzz_parser \
  -max_total_time="$seconds" -max_len=131072 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix=build-fuzz/artifacts/ -print_final_stats=1 \
  "$@" build-fuzz/fuzz-corpus "$seeds"
