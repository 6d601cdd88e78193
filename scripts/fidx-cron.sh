#!/usr/bin/env bash
# Runs `fidx add` from cron: quiet unless something went wrong, every line
# time-stamped, waiting for a running indexer instead of failing at once.
#
# Usage: fidx-cron.sh [--log FILE] [--wait SECONDS] [--fidx PROGRAM] -- ADD-ARGS...
#   --log FILE      append every line, and a start and end line per run, to
#                   FILE (created if needed); without it lines go to stderr
#   --wait SECONDS  how long to wait for another fidx writer (default 600)
#   --fidx PROGRAM  the fidx binary (default: fidx on PATH, else
#                   build/cli/fidx next to this script)
#   ADD-ARGS        given to `fidx add --quiet --wait SECONDS` as they are:
#                   --db INDEX, --jobs N, folders ...
#
# Output: nothing when every file went in, so cron sends no mail. Otherwise
# the time-stamped warnings and errors on stderr (cron mails them) and in
# the log. Exit status: fidx's own -- 0 all indexed, 1 some files failed
# (the rest are indexed), 2 usage error, 3 another writer held the lock for
# all of --wait, 4 fatal (index unwritable, disk full, interrupted).
# SIGTERM/SIGINT/SIGHUP are passed to fidx, which commits what it has done
# and exits 4; the next run completes the work.
#
# Example crontab line (every 15 minutes, low priority):
#   */15 * * * * nice -n 10 /opt/fidx/scripts/fidx-cron.sh --log /var/log/fidx/cron.log -- --db /srv/fidx/index /srv/edgar
set -uo pipefail

log=""
wait_seconds=600
fidx=""

usage() {
  sed -n '2,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case $1 in
    --log) [ $# -ge 2 ] || usage; log=$2; shift 2 ;;
    --wait) [ $# -ge 2 ] || usage; wait_seconds=$2; shift 2 ;;
    --fidx) [ $# -ge 2 ] || usage; fidx=$2; shift 2 ;;
    --) shift; break ;;
    -h|--help) usage ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || usage

if [ -z "$fidx" ]; then
  fidx=$(command -v fidx || true)
  [ -n "$fidx" ] || fidx="$(cd "$(dirname "$0")/.." && pwd)/build/cli/fidx"
fi

stamp() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    printf '%(%Y-%m-%dT%H:%M:%S%z)T %s\n' -1 "$line"
  done
}

work=$(mktemp -d "${TMPDIR:-/tmp}/fidx-cron.XXXXXX") || exit 4
trap 'rm -rf "$work"' EXIT
mkfifo "$work/pipe" || exit 4
stamp <"$work/pipe" >"$work/out" &
stamper=$!

child=""
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT HUP
"$fidx" add --quiet --wait "$wait_seconds" "$@" >"$work/pipe" 2>&1 &
child=$!
# `wait` returns early when a trapped signal arrives: wait until fidx is gone.
while true; do
  wait "$child"
  status=$?
  kill -0 "$child" 2>/dev/null || break
done
wait "$stamper"

if [ -n "$log" ]; then
  mkdir -p "$(dirname "$log")" 2>/dev/null
  {
    printf '%(%Y-%m-%dT%H:%M:%S%z)T %s\n' -1 "fidx add $* (pid $child)"
    cat "$work/out"
    printf '%(%Y-%m-%dT%H:%M:%S%z)T %s\n' -1 "fidx add exited $status"
  } >>"$log" || status=4
fi
if [ "$status" -ne 0 ] || [ -z "$log" ]; then
  cat "$work/out" >&2
fi
exit "$status"
