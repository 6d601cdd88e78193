#!/usr/bin/env bash
# Installs what scripts/bench.sh needs beyond the build dependencies
# (scripts/install-deps.sh): omindex and quest (xapian-omega, xapian-tools),
# ripgrep, the sqlite3 CLI and GNU time (handy for ad-hoc runs; the benchmark
# itself reads peak memory from wait4() and /proc), perf for profiling,
# PostgreSQL 15 with python3-psycopg2, and Groonga 13 with its stemming token
# filter. PostgreSQL refuses to run as root: the benchmark runs its private
# server as the system user fidxbench, made here. Safe to run again.
set -euo pipefail
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  xapian-omega xapian-tools ripgrep sqlite3 time python3 linux-perf \
  postgresql-15 python3-psycopg2 groonga-bin groonga-token-filter-stem
if ! id -u fidxbench >/dev/null 2>&1; then
  $sudo useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
    fidxbench
fi
