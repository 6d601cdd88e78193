#!/usr/bin/env bash
# Builds fidx with AddressSanitizer and UndefinedBehaviorSanitizer
# (-DFIDX_SANITIZE=ON) in build-asan/ and runs the unit and end-to-end
# tests against it. Any sanitizer report fails the run: UBSan halts on the
# first error, and a leak makes the leaking fidx exit non-zero, which the
# end-to-end tests see.
#
# Usage: scripts/sanitize.sh [Catch2 test spec...]
#   FIDX_JOBS  build parallelism (default 2)
# The shared-corpus tests are not run (they index all of ../shared/corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFIDX_SANITIZE=ON >/dev/null
cmake --build build-asan -j"${FIDX_JOBS:-2}" --target fidx fidx_tests fidx_e2e_tests

# Inherited by every fidx the end-to-end tests start.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
status=0
for t in fidx_tests fidx_e2e_tests; do
  echo "== $t" >&2
  build-asan/tests/$t "$@" || status=1
done
exit $status
