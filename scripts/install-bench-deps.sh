#!/usr/bin/env bash
# Installs what scripts/bench.sh needs beyond the build dependencies
# (scripts/install-deps.sh): omindex and quest (xapian-omega, xapian-tools),
# ripgrep, the sqlite3 CLI and GNU time (handy for ad-hoc runs; the benchmark
# itself reads peak memory from wait4() and /proc), and perf for profiling.
set -euo pipefail
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  xapian-omega xapian-tools ripgrep sqlite3 time python3 linux-perf
