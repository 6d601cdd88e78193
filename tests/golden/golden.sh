#!/usr/bin/env bash
# Golden tests of the command line: the text and JSON output (and exit
# status) of every command over the bundled corpus/, compared with the
# expected files beside this script.
#
#   tests/golden/golden.sh FIDX_BINARY            compare (CTest: cli_golden)
#   tests/golden/golden.sh FIDX_BINARY --update   rewrite the expected files
#
# After an intended change of output, run with --update and review the diff
# (git diff tests/golden) before committing it. Paths, times, sizes and
# speeds are replaced by placeholders so the files hold on any machine.
set -uo pipefail
fidx=$(readlink -f "$1")
mode=${2:-check}
here=$(cd "$(dirname "$0")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/fidx-golden-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
cp -r "$source_dir/corpus/." "$work/corpus/"
rm -f "$work/corpus/SOURCES.md"
# Fixed modification times: nothing below depends on when the copy was made.
find "$work/corpus" -type f -exec touch -d '2020-01-02 03:04:05' {} +
export FIDX_DB="$work/index"
export NO_COLOR=1 TZ=UTC
unset COLUMNS
cd "$work"

normalize() {
  sed -E \
    -e "s#$work#\$ROOT#g" \
    -e 's#[0-9]+\.[0-9] MB read in [0-9]+\.[0-9]+ s \([0-9]+\.[0-9] MB/s\)#N MB read in T s (R MB/s)#' \
    -e 's#"seconds":[0-9.e+-]+#"seconds":0#' \
    -e 's#"commits":[0-9]+#"commits":0#' \
    -e 's#[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}( UTC|Z)#TIME#g' \
    -e 's#"unix_time":[0-9]+#"unix_time":0#' \
    -e 's#"disk_bytes":[0-9]+#"disk_bytes":0#' \
    -e 's#^size:( +)[0-9]+ (KB|MB)$#size:\1N#' \
    -e 's#[0-9.]+ MB -> [0-9.]+ MB#X MB -> Y MB#' |
  # One JSON value per line is unreadable in a diff: indent it.
  python3 -c '
import json, sys
for line in sys.stdin:
    try:
        value = json.loads(line)
    except ValueError:
        sys.stdout.write(line)
        continue
    if not isinstance(value, (dict, list)):
        sys.stdout.write(line)
        continue
    sys.stdout.write(json.dumps(value, indent=1, ensure_ascii=False) + "\n")
'
}

failed=0
# run NAME ARGS...: one expected file per command line.
run() {
  local name=$1
  shift
  local out="$work/$name.out"
  {
    echo "\$ fidx $*"
    "$fidx" "$@" 2>"$work/stderr"
    echo "# exit $?"
    if [ -s "$work/stderr" ]; then
      echo "# stderr:"
      cat "$work/stderr"
    fi
  } | normalize > "$out"
  local expected="$here/$name.out"
  if [ "$mode" = --update ]; then
    cp "$out" "$expected"
  elif ! diff -u "$expected" "$out"; then
    echo "golden: $name differs (tests/golden/golden.sh FIDX --update if intended)" >&2
    failed=1
  fi
}

acc=0001144204-17-013452
letter=corpus/2017/cellectar-comment-letter-2017-07-31.txt
run add-text add corpus
run add-json add --json corpus
run search-text search "orphan drug"
run search-json search --json "orphan drug"
run search-facets-text search '*' --facets -n 3
run search-facets-json search '*' --facets --json -n 3 --no-snippets
run search-per-document-json search --per-document --json --no-snippets -n 5 'type:EX-99.1 OR form:8-K'
run search-none search "zyzzyva"
run search-bad-query search 'form:'
run show-text show "$acc"
run show-json show --json "$acc"
run show-document show "$acc" --document 2
run show-path show "$work/$letter"
run files-text files
run files-json files --json corpus/2017
run stats-text stats
run stats-json stats --json
run inspect-text inspect "$letter" corpus/2026/0001104659-26-017097.txt
run inspect-json inspect --json corpus/2024/0000019617-24-000012.txt
run compact compact
run remove-text remove corpus/2017
run remove-json remove --json --missing
run help-top --help
run help-search help search
run help-show show --help
run unknown-command serch orphan

if [ "$mode" = --update ]; then
  echo "golden: updated $(ls "$here"/*.out | wc -l) files in tests/golden"
fi
exit $failed
