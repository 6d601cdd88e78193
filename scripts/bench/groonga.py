#!/usr/bin/env python3
"""Groonga 13 as a peer of fidx, fed the text fidx itself extracts (the dump
`fts5.py extract` writes).

  groonga.py load DUMP.jsonl DB
      makes a fresh Groonga database DB (files DB, DB.0000000, ... beside it),
      loads the dump into a table Docs with `load` (the dump's lines are
      already JSON arrays in the table's column order) and then builds one
      full-text index over company and body (TokenBigram, which keeps runs of
      letters or digits as one token once NormalizerAuto has run, plus
      TokenFilterStem: English Snowball stems, like the porter stemmer of fidx,
      omindex and FTS5). All through one `groonga DB` process reading
      commands on stdin. This is the step the benchmark times.

Searching goes through one `groonga DB` process that reads commands on stdin
(Session: the time is Groonga's own elapsed time from each response's
header), and once per search through a one-shot `groonga DB 'select ...'`, to
time a whole process (`oneshot_cmd()`).
"""

import glob
import json
import os
import re
import subprocess
import sys

COLUMNS = ("path", "accession", "form", "year", "ciks", "sic", "type", "company", "body")
SCHEMA = [
    "plugin_register token_filters/stem",
    "table_create Docs TABLE_NO_KEY",
    *(f"column_create Docs {c} COLUMN_SCALAR ShortText" for c in COLUMNS[:7]),
    "column_create Docs company COLUMN_SCALAR Text",
    "column_create Docs body COLUMN_SCALAR LongText",
]
# Made after the load: Groonga then builds the index in one pass (static
# index construction), faster than updating it record by record.
INDEX = [
    "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram "
    "--normalizer NormalizerAuto --token_filters TokenFilterStem",
    "column_create Terms docs_text COLUMN_INDEX|WITH_POSITION|WITH_SECTION Docs company,body",
]


def db_files(db):
    return [p for p in glob.glob(glob.escape(db) + "*") if os.path.isfile(p)]


def db_bytes(db):
    return sum(os.stat(p).st_blocks * 512 for p in db_files(db))


def check_responses(text):
    """Raises on any response whose return code is not 0."""
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("[["):
            continue
        try:
            head = json.loads(line)[0]
        except ValueError:
            m = re.match(r"\[\[(-?\d+),", line)
            head = [int(m.group(1))] if m else [0]
        if head[0] != 0:
            raise SystemExit(f"groonga: command failed: {line[:2000]}")


def load(dump, db):
    for p in db_files(db):
        os.remove(p)
    os.makedirs(os.path.dirname(os.path.abspath(db)), exist_ok=True)
    out_path = db + ".log"
    n = 0
    with open(out_path, "w") as out:
        proc = subprocess.Popen(["groonga", "-n", db], stdin=subprocess.PIPE, stdout=out,
                                stderr=subprocess.STDOUT)
        w = proc.stdin
        w.write(("\n".join(SCHEMA) + "\n").encode())
        w.write(b"load --table Docs\n[" + json.dumps(list(COLUMNS)).encode())
        with open(dump, "rb") as f:
            for line in f:
                w.write(b",\n" + line.rstrip(b"\n"))
                n += 1
        w.write(b"]\n")
        w.write(("\n".join(INDEX) + "\n").encode())
        w.close()
        rc = proc.wait()
    with open(out_path) as f:
        text = f.read()
    os.remove(out_path)
    if rc:
        raise SystemExit(f"groonga: exit code {rc}: {text[-2000:]}")
    check_responses(text)
    # `load` answers with the number of records it took.
    loaded = None
    for line in text.splitlines():
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if isinstance(r, list) and len(r) == 2 and isinstance(r[1], int) and r[1] is not True:
            loaded = r[1]
    if loaded != n:
        raise SystemExit(f"groonga: load took {loaded} of {n} records")
    print(json.dumps({"documents": n}))


# ---------------------------------------------------------------------------
# Search.


def quote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def gfilter(where, params):
    """fts5.search()'s SQL condition as a Groonga filter: `col = ?` ->
    col == "v"; `col LIKE ?` with '% v %' -> col @ " v " (ciks is a string
    of CIKs with a space either side of each)."""
    if not where:
        return ""
    parts = []
    params = list(params)
    for cond in re.split(r"\s+AND\s+", where, flags=re.I):
        m = re.fullmatch(r"\s*(\w+)\s*(=|LIKE)\s*\?\s*", cond, flags=re.I)
        if not m:
            raise ValueError(f"groonga: cannot translate {cond!r}")
        col, op, val = m.group(1), m.group(2).upper(), str(params.pop(0))
        if op == "=":
            parts.append(f"{col} == {quote(val)}")
        else:
            parts.append(f"{col} @ {quote(val.replace('%', ''))}")
    return " && ".join(parts)


def select_cmd(query, where="", params=(), facets=False, snippets=True):
    """One `select` like `fidx search`: top 10 documents by score with
    snippet_html snippets, the number of matching filings (the distinct
    accessions: a drilldown's n_hits) and, with facets, counts of filings by
    form/year/SIC (drilldowns over the matching filings).

    query is in Groonga's query syntax (words ANDed, "a phrase", prefix*)."""
    # --cache no: Groonga would otherwise answer a repeated select from its
    # query cache.
    cmd = ["select Docs --cache no"]
    if query:
        cmd += ["--match_columns", quote("company || body"), "--query", quote(query),
                "--sort_keys", "-_score"]
    flt = gfilter(where, params)
    if flt:
        cmd += ["--filter", quote(flt)]
    cols = "accession,form" + (",snippet_html(body)" if snippets and query else "")
    cmd += ["--limit", "10", "--output_columns", quote(cols)]
    if facets:
        cmd += ["--drilldowns[f].keys", "accession,form,year,sic", "--drilldowns[f].limit", "0"]
        for col in ("form", "year", "sic"):
            cmd += [f"--drilldowns[{col}].table", "f", f"--drilldowns[{col}].keys",
                    f"_value.{col}", f"--drilldowns[{col}].sort_keys", "-_nsubrecs",
                    f"--drilldowns[{col}].limit", "10",
                    f"--drilldowns[{col}].output_columns", "_key,_nsubrecs"]
    else:
        cmd += ["--drilldowns[f].keys", "accession", "--drilldowns[f].limit", "0"]
    return " ".join(cmd)


def parse(resp):
    """A select response -> {"total", "hits", "facets"?, "elapsed"}."""
    head, body = resp[0], resp[1] if len(resp) > 1 else None
    if head[0] != 0:
        raise RuntimeError(f"groonga: {head}")
    main, drill = body[0], (body[1] if len(body) > 1 else {})
    out = {"elapsed": head[2], "hits": main[2:], "total": drill["f"][0][0]}
    facets = {k: v[2:] for k, v in drill.items() if k != "f"}
    if facets:
        out["facets"] = facets
    return out


class Session:
    """One `groonga DB` process reading commands on stdin, one response line
    each."""

    def __init__(self, db):
        self.proc = subprocess.Popen(["groonga", db], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def command(self, cmd):
        self.proc.stdin.write(cmd.encode() + b"\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("groonga: process ended")
        return json.loads(line)

    def search(self, *a, **kw):
        return parse(self.command(select_cmd(*a, **kw)))

    def close(self):
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(b"quit\n")
                self.proc.stdin.close()
                self.proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def oneshot_cmd(db, *a, **kw):
    return ["groonga", db, select_cmd(*a, **kw)]


def query_from_fts5(match, fidx_query):
    """The Groonga query for a mix entry: FTS5's match, except that phrases
    are the fidx phrase (Groonga's query syntax takes the hyphen of
    "forward-looking", and TokenBigram gives the hyphen a position)."""
    if not match:
        return None
    if match.startswith('"') and fidx_query.startswith('"'):
        return fidx_query
    return match


def version():
    try:
        out = subprocess.run(["groonga", "--version"], stdout=subprocess.PIPE)
        return out.stdout.decode().split("[")[0].strip()
    except OSError:
        return "?"


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "load":
        load(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
