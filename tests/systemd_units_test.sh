#!/usr/bin/env bash
# The systemd units in deploy/systemd pass `systemd-analyze verify` (no
# error and no warning), which needs no running systemd. The installed
# paths they name (/usr/local/bin/fidx, /usr/local/lib/fidx/serve-shards.sh,
# what `cmake --install` puts there) are pointed at the build's fidx and
# the source's script, since verify checks that every command exists.
# Usage: systemd_units_test.sh FIDX SOURCE_DIR. Skipped (77) without
# systemd-analyze (Debian: systemd).
set -uo pipefail
fidx=${1:?usage: systemd_units_test.sh FIDX SOURCE_DIR}
src=${2:?usage: systemd_units_test.sh FIDX SOURCE_DIR}
if ! command -v systemd-analyze >/dev/null; then
  echo "skipped: systemd-analyze not found (Debian package systemd)"
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/fidx-units.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
for f in "$src"/deploy/systemd/*; do
  sed -e "s#/usr/local/bin/fidx#$fidx#g" \
      -e "s#/usr/local/lib/fidx/serve-shards.sh#$src/scripts/serve-shards.sh#g" \
      "$f" >"$work/$(basename "$f")"
done
status=0
# Templates are verified through an instance of each.
units=()
for f in "$work"/*.service "$work"/*.timer; do
  name=$(basename "$f")
  case "$name" in *@.service) name=${name%@.service}@shard-00.service ;; esac
  units+=("$work/$name")
done
out=$(systemd-analyze verify --man=no "${units[@]}" 2>&1) || status=1
if [ -n "$out" ]; then
  echo "$out"
  status=1
fi
for u in "${units[@]}"; do echo "verified: $(basename "$u")"; done
[ $status -eq 0 ] && echo "all units pass systemd-analyze verify" || echo "FAILED"
exit $status
