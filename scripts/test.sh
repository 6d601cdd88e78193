#!/usr/bin/env bash
# Builds fidx (if needed) and runs the whole test suite with CTest.
# Tests that need ../shared/corpus say so and skip when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
cd build
ctest --output-on-failure -j"$(nproc)" "$@"
