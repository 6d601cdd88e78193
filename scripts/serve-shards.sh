#!/usr/bin/env bash
# Serves each local shard of an fidx index with Xapian's xapian-tcpsrv and
# writes a Xapian stub file listing them as remote databases, so that any
# machine can search them with: fidx search --db STUB QUERY
#
# Usage: scripts/serve-shards.sh [start] INDEX_DIR FIRST_PORT [INTERFACE] [STUB]
#        scripts/serve-shards.sh stop STUB
#        scripts/serve-shards.sh links INDEX_DIR
#   INTERFACE  address to listen on (default 127.0.0.1; the protocol has no
#              authentication or encryption: use a private network, or ssh
#              tunnels / "remote :ssh HOST xapian-progsrv DB" stub lines)
#   STUB       stub file to write (default INDEX_DIR.remote)
#   FIRST_PORT shard N is served on FIRST_PORT+N
#
# links: (re)writes INDEX_DIR.shards/shard-NN, a symbolic link to the
# index's Nth local shard as INDEX_DIR/XAPIANDB lists it now. Compaction
# gives a shard a new folder (shard-00 -> shard-00-c1234) and deletes the
# old one; servers and replication given the links follow it, because
# xapian-tcpsrv and xapian-replicate-server open the path anew for every
# connection. Run it after every `fidx add` or `fidx compact` (start does,
# and deploy/systemd/fidx-add.service does after each run).
#
# start: every server runs in its own session (setsid), so stopping or
# losing one touches nothing else (xapian-tcpsrv answers SIGTERM by
# signalling its whole process group). Each is waited for until it accepts
# connections; if one cannot start, those already started are stopped and
# the status is 1. The servers' pids go to STUB.pids ("PID PORT SHARD"
# lines), their messages to STUB.log. Starting over a STUB.pids whose
# servers still run is refused (stop them first).
# stop: stops exactly the servers listed in STUB.pids (SIGTERM, then
# SIGKILL after 10 s), and removes STUB.pids and STUB. Status 0 when all are
# gone (including ones that had already stopped).
# For a service manager, use deploy/systemd/fidx-shard@.service instead.
# Needs xapian-tools.
set -euo pipefail

usage() {
  sed -n '6,8p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# True while PID is a running xapian-tcpsrv (a pid file may outlive it and
# its pid be reused by another program).
is_server() {
  local cmd
  cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  case "$cmd" in *xapian-tcpsrv*) return 0 ;; esac
  return 1
}

# Waits up to 10 s for PID to accept connections on HOST:PORT.
wait_listening() {
  local pid=$1 host=$2 port=$3 i
  for ((i = 0; i < 100; i++)); do
    is_server "$pid" || return 1
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

stop_servers() {
  local pids=$1 status=0 pid port shard i alive
  [ -f "$pids" ] || { echo "serve-shards.sh: no $pids: nothing to stop" >&2; return 0; }
  alive=()
  while read -r pid port shard; do
    [[ "$pid" =~ ^[0-9]+$ ]] || continue
    if is_server "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      alive+=("$pid")
      echo "stopping $shard on port $port (pid $pid)"
    else
      echo "$shard on port $port (pid $pid) was not running"
    fi
  done <"$pids"
  for ((i = 0; i < 100; i++)); do
    local left=()
    for pid in "${alive[@]+"${alive[@]}"}"; do is_server "$pid" && left+=("$pid"); done
    alive=("${left[@]+"${left[@]}"}")
    [ ${#alive[@]} -eq 0 ] && break
    sleep 0.1
  done
  for pid in "${alive[@]+"${alive[@]}"}"; do
    echo "pid $pid ignored SIGTERM for 10 s: killing it" >&2
    kill -KILL "$pid" 2>/dev/null || status=1
  done
  rm -f "$pids"
  return $status
}

# Points INDEX.shards/shard-NN at the index's current shard folders;
# prints the links' folder.
write_links() {
  local index links n=0 type where target
  index=$(cd "$1" && pwd)
  [ -f "$index/XAPIANDB" ] || { echo "serve-shards.sh: $1 is not an fidx index (no XAPIANDB)" >&2; exit 2; }
  links="$index.shards"
  mkdir -p "$links"
  while read -r type where _; do
    case "$type" in auto|glass) ;; *) continue ;; esac
    case "$where" in /*) target=$where ;; *) target=$index/$where ;; esac
    # A new link renamed over the old one: never a moment without it.
    ln -sfn "$target" "$links/.shard-$n.tmp"
    mv -T "$links/.shard-$n.tmp" "$links/$(printf 'shard-%02d' "$n")"
    n=$((n + 1))
  done <"$index/XAPIANDB"
  # Shards merged away (fidx compact --merge): their links go too.
  for target in "$links"/shard-*; do
    [ -L "$target" ] || continue
    local k=${target##*/shard-}
    [ $((10#$k)) -ge $n ] && rm -f "$target"
  done
  echo "$links"
}

case "${1:-}" in
  start) shift ;;
  stop)
    [ $# -eq 2 ] || usage
    status=0
    stop_servers "$2.pids" || status=$?
    rm -f "$2"
    exit $status
    ;;
  links)
    [ $# -eq 2 ] || usage
    write_links "$2"
    exit 0
    ;;
  ""|-h|--help) usage ;;
esac
if [ $# -lt 2 ] || [ $# -gt 4 ]; then usage; fi
index=$1
port=$2
iface=${3:-127.0.0.1}
stub=${4:-$index.remote}
[[ "$port" =~ ^[0-9]+$ ]] || usage
[ -f "$index/XAPIANDB" ] || { echo "serve-shards.sh: $index is not an fidx index (no XAPIANDB)" >&2; exit 2; }
command -v xapian-tcpsrv >/dev/null || { echo "serve-shards.sh: xapian-tcpsrv not found (Debian: xapian-tools)" >&2; exit 2; }
index=$(cd "$index" && pwd)
links=$(write_links "$index")
pids="$stub.pids"
if [ -f "$pids" ]; then
  while read -r pid _; do
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_server "$pid"; then
      echo "serve-shards.sh: servers from $pids still run: serve-shards.sh stop $stub" >&2
      exit 1
    fi
  done <"$pids"
fi
host=$iface
[ "$host" = "0.0.0.0" ] && host=$(hostname -f 2>/dev/null || hostname)
probe=$iface
[ "$probe" = "0.0.0.0" ] && probe=127.0.0.1
log="$stub.log"
tmp="$stub.tmp"
: >"$pids.tmp"
echo "# fidx: remote shards of $index (written by serve-shards.sh)" >"$tmp"
shopt -s nullglob
shards=("$links"/shard-*)
[ ${#shards[@]} -gt 0 ] || { echo "serve-shards.sh: $index has no local shards" >&2; rm -f "$tmp" "$pids.tmp"; exit 2; }
# In shard order (shard-100 after shard-99, not after shard-10): shard N
# on FIRST_PORT+N, and the remote stub in the local stub's order.
mapfile -t shards < <(printf '%s\n' "${shards[@]}" | sort -V)
for db in "${shards[@]}"; do
  # Something else answering there would pass for our server.
  if (exec 3<>"/dev/tcp/$probe/$port") 2>/dev/null; then
    echo "serve-shards.sh: port $port on $iface is in use" >&2
    mv "$pids.tmp" "$pids"
    stop_servers "$pids" >/dev/null
    rm -f "$tmp"
    exit 1
  fi
  pidfile=$(mktemp)
  # setsid: a session (and process group) of its own. The child writes its
  # own pid (setsid forks when it must, so $! would not be the server's).
  # shellcheck disable=SC2016
  setsid -f sh -c 'echo $$ >"$0"; exec xapian-tcpsrv --quiet --interface "$1" --port "$2" "$3"' \
    "$pidfile" "$iface" "$port" "$db" </dev/null >>"$log" 2>&1
  pid=""
  for ((i = 0; i < 50 && ${#pid} == 0; i++)); do pid=$(cat "$pidfile"); [ -n "$pid" ] || sleep 0.1; done
  rm -f "$pidfile"
  if [ -z "$pid" ] || ! wait_listening "$pid" "$probe" "$port"; then
    echo "serve-shards.sh: $db: xapian-tcpsrv did not start on $iface:$port (see $log)" >&2
    [ -n "$pid" ] && is_server "$pid" && echo "$pid $port $db" >>"$pids.tmp"
    mv "$pids.tmp" "$pids"
    stop_servers "$pids" >/dev/null
    rm -f "$tmp"
    exit 1
  fi
  echo "$pid $port $db" >>"$pids.tmp"
  echo "serving $db on $iface:$port (pid $pid)"
  echo "remote $host:$port" >>"$tmp"
  port=$((port + 1))
done
mv "$pids.tmp" "$pids"
mv "$tmp" "$stub"
echo "stub: $stub"
echo "stop: $0 stop $stub"
