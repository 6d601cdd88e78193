#!/usr/bin/env python3
"""SQLite FTS5 as a peer of fidx, fed the text fidx itself extracts.

  fts5.py extract --fidx BIN --out DUMP.jsonl --list FILES.txt
      runs `fidx inspect --json --text` over the files (in batches) and writes
      one JSON line per document: [path, accession, form, year, ciks, sic,
      type, company, text]; documents without text are left out.
  fts5.py load DUMP.jsonl DB.sqlite
      loads that dump into a fresh FTS5 table (porter stemmer, like fidx and
      omindex) in one transaction. This is the step the benchmark times.

Searching is done in-process by run.py (see `search()` below).
"""

import json
import os
import sqlite3
import subprocess
import sys

SCHEMA = ("CREATE VIRTUAL TABLE docs USING fts5("
          "company, body, path UNINDEXED, accession UNINDEXED, form UNINDEXED, "
          "year UNINDEXED, ciks UNINDEXED, sic UNINDEXED, type UNINDEXED, "
          "tokenize = 'porter unicode61')")


def extract(fidx, out_path, list_path, batch=100):
    with open(list_path, encoding="utf-8") as f:
        files = [line.rstrip("\n") for line in f if line.strip()]
    docs = filings = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for i in range(0, len(files), batch):
            chunk = files[i:i + batch]
            proc = subprocess.run([fidx, "inspect", "--json", "--text", *chunk],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            for line in proc.stdout.splitlines():
                try:
                    f = json.loads(line)
                except ValueError:
                    continue
                filings += 1
                parties = f.get("parties") or []
                ciks = " ".join(str(p["cik"]) for p in parties if p.get("cik"))
                sic = next((str(p["sic"]) for p in parties if p.get("sic")), "")
                company = " ".join(p.get("name") or "" for p in parties)
                filed = f.get("filed") or ""
                # The text is each document's "text", or (newer fidx) the
                # i-th entry of the filing's "texts" array.
                texts = f.get("texts") or []
                for i, d in enumerate(f.get("documents") or []):
                    text = d.get("text") or (texts[i] if i < len(texts) else "") or ""
                    if not text:
                        continue
                    docs += 1
                    out.write(json.dumps([f["path"], f.get("accession") or f["path"],
                                          f.get("form") or "", filed[:4], f" {ciks} ", sic,
                                          d.get("type") or "", company, text]))
                    out.write("\n")
    print(json.dumps({"filings": filings, "documents": docs}))


def load(dump, db_path):
    if os.path.exists(db_path):
        os.remove(db_path)
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    db.execute(SCHEMA)
    n = 0
    with open(dump, encoding="utf-8") as f:
        db.execute("BEGIN")
        rows = []
        for line in f:
            path, acc, form, year, ciks, sic, dtype, company, text = json.loads(line)
            rows.append((company, text, path, acc, form, year, ciks, sic, dtype))
            if len(rows) >= 500:
                db.executemany("INSERT INTO docs (company, body, path, accession, form, year, "
                               "ciks, sic, type) VALUES (?,?,?,?,?,?,?,?,?)", rows)
                n += len(rows)
                rows = []
        if rows:
            db.executemany("INSERT INTO docs (company, body, path, accession, form, year, "
                           "ciks, sic, type) VALUES (?,?,?,?,?,?,?,?,?)", rows)
            n += len(rows)
        db.execute("COMMIT")
    db.close()
    print(json.dumps({"documents": n}))


FACET_SQL = ("SELECT {col}, count(DISTINCT accession) FROM docs {where} GROUP BY {col} "
             "ORDER BY 2 DESC LIMIT 10")


def search(db, match, where="", params=(), facets=False, snippets=True):
    """One search like `fidx search`: top 10 documents with snippets, the
    number of matching filings and, with facets, counts by form/year/SIC."""
    conds, args = [], []
    if match:
        conds.append("docs MATCH ?")
        args.append(match)
    if where:
        conds.append(where)
        args.extend(params)
    clause = ("WHERE " + " AND ".join(conds)) if conds else ""
    order = "ORDER BY rank" if match else ""
    snip = "snippet(docs, 1, char(2), char(3), '...', 24)" if snippets and match else "''"
    hits = db.execute(f"SELECT accession, form, {snip} FROM docs {clause} {order} LIMIT 10",
                      args).fetchall()
    total = db.execute(f"SELECT count(DISTINCT accession) FROM docs {clause}", args).fetchone()[0]
    out = {"total": total, "hits": hits}
    if facets:
        out["facets"] = {col: db.execute(FACET_SQL.format(col=col, where=clause), args).fetchall()
                         for col in ("form", "year", "sic")}
    return out


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "extract":
        import argparse
        ap = argparse.ArgumentParser()
        ap.add_argument("cmd")
        ap.add_argument("--fidx", required=True)
        ap.add_argument("--out", required=True)
        ap.add_argument("--list", required=True)
        a = ap.parse_args()
        extract(a.fidx, a.out, a.list)
    elif len(sys.argv) == 4 and sys.argv[1] == "load":
        load(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
