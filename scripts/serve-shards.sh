#!/usr/bin/env bash
# Serves each local shard of an fidx index with Xapian's xapian-tcpsrv and
# writes a Xapian stub file listing them as remote databases, so that any
# machine can search them with: fidx search --db STUB QUERY
#
# Usage: scripts/serve-shards.sh INDEX_DIR FIRST_PORT [INTERFACE] [STUB]
#   INTERFACE  address to listen on (default 127.0.0.1; the protocol has no
#              authentication or encryption: use a private network, or ssh
#              tunnels / "remote :ssh HOST xapian-progsrv DB" stub lines)
#   STUB       stub file to write (default INDEX_DIR.remote)
# Prints the server pids; stop them with kill. Needs xapian-tools.
set -euo pipefail
index=${1:?usage: serve-shards.sh INDEX_DIR FIRST_PORT [INTERFACE] [STUB]}
port=${2:?usage: serve-shards.sh INDEX_DIR FIRST_PORT [INTERFACE] [STUB]}
iface=${3:-127.0.0.1}
stub=${4:-$index.remote}
index=$(cd "$index" && pwd)
host=$iface
[ "$host" = "0.0.0.0" ] && host=$(hostname -f 2>/dev/null || hostname)
tmp="$stub.tmp"
echo "# fidx: remote shards of $index (written by serve-shards.sh)" > "$tmp"
while read -r type where _; do
  case "$type" in auto|glass) ;; *) continue ;; esac
  case "$where" in /*) db=$where ;; *) db=$index/$where ;; esac
  xapian-tcpsrv --interface "$iface" --port "$port" "$db" >/dev/null 2>&1 &
  echo "serving $db on $iface:$port (pid $!)"
  echo "remote $host:$port" >> "$tmp"
  port=$((port + 1))
done < "$index/XAPIANDB"
mv "$tmp" "$stub"
echo "stub: $stub"
