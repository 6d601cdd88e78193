#!/usr/bin/env python3
"""The fidx benchmark driver (scripts/bench.sh runs it; see docs/benchmarks.md).

On one input and in one run it measures:
  1. indexing: `fidx add` (1 shard and --shards 2), omindex, and SQLite FTS5,
     PostgreSQL 15 full-text search and Groonga 13 loading the text
     `fidx inspect --json --text` extracts: wall and CPU time, MB/s of raw
     input, filings/s, peak RSS, index size;
  2. a no-op re-run of `fidx add` and of omindex over the same tree;
  3. search latency (p50/p95/p99) over a fixed query mix for `fidx search
     --json`, `quest` on omindex's database, FTS5 MATCH (in-process),
     PostgreSQL (over one connection, and one psql process per search),
     Groonga (its own elapsed time, and one groonga process per search) and
     rg (phrases over the raw files), plus each tool's process start cost;
  4. indexing throughput per batch of filings, from `fidx add`'s progress
     and from incremental runs, to see whether it stays flat as the index grows.
It prints the tables and writes WORK/results.json and WORK/results.md.
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fts5  # noqa: E402
import groonga  # noqa: E402
import measure  # noqa: E402
import pg  # noqa: E402

# Extensions `fidx add` skips (indexer/src/walker.cc), plus the generator's
# manifest: the benchmark input is exactly the files fidx indexes.
FIDX_SKIP = {".pdf", ".jpg", ".jpeg", ".gif", ".png", ".bmp", ".zip", ".xlsx", ".xls", ".csv",
             ".idx", ".json", ".js", ".css", ".xsd", ".md", ".tar", ".tmp", ".lock", ".py",
             ".sh", ".tsv"}
# How omindex is told to read each extension (it skips what it cannot map).
OMINDEX_TYPES = {"txt": "text/plain", "nc": "text/plain", "htm": "text/html",
                 "html": "text/html", "xml": "text/html", "sgml": "text/plain",
                 "hdr": "text/plain"}

# The query mix: (class, fidx query, quest query or None, FTS5 (match, where,
# params) or None, rg phrase or None, facets). {cik} {year} {sic} are filled
# from the index's own facets so the filters always select something.
# PostgreSQL and Groonga run FTS5's entry, translated (pg.tsquery(),
# groonga.query_from_fts5() and groonga.gfilter()).
QUERY_MIX = [
    ("word", "revenue", "revenue", ("revenue", "", ()), None, False),
    ("word", "goodwill", "goodwill", ("goodwill", "", ()), None, False),
    ("word", "cybersecurity", "cybersecurity", ("cybersecurity", "", ()), None, False),
    ("word", "litigation", "litigation", ("litigation", "", ()), None, False),
    ("and2", "orphan drug", "orphan drug", ("orphan drug", "", ()), None, False),
    ("and2", "interest rate", "interest rate", ("interest rate", "", ()), None, False),
    ("and2", "credit facility", "credit facility", ("credit facility", "", ()), None, False),
    ("phrase", '"material adverse effect"', '"material adverse effect"',
     ('"material adverse effect"', "", ()), "material adverse effect", False),
    ("phrase", '"going concern"', '"going concern"', ('"going concern"', "", ()),
     "going concern", False),
    ("phrase", '"forward-looking statements"', '"forward-looking statements"',
     ('"forward looking statements"', "", ()), "forward-looking statements", False),
    ("phrase", '"board of directors"', '"board of directors"',
     ('"board of directors"', "", ()), "board of directors", False),
    ("field", "form:8-K dividend", None, ("dividend", "form = ?", ("8-K",)), None, False),
    ("field", "form:10-K goodwill", None, ("goodwill", "form = ?", ("10-K",)), None, False),
    ("field", "cik:{cik}", None, (None, "ciks LIKE ?", ("% {cik} %",)), None, False),
    ("field", "year:{year} revenue", None, ("revenue", "year = ?", ("{year}",)), None, False),
    ("field", "sic:{sic} risk", None, ("risk", "sic = ?", ("{sic}",)), None, False),
    ("facets", "revenue", None, ("revenue", "", ()), None, True),
    ("facets", "form:10-K", None, (None, "form = ?", ("10-K",)), None, True),
    ("facets", "*", None, (None, "", ()), None, True),
    ("wildcard", "pharma*", "pharma*", ("pharma*", "", ()), None, False),
    ("wildcard", "cyber*", "cyber*", ("cyber*", "", ()), None, False),
    ("wildcard", "derivativ*", "derivativ*", ("derivativ*", "", ()), None, False),
]
CLASSES = ["word", "and2", "phrase", "field", "facets", "wildcard"]
# Called at exit, also on errors and SIGTERM (stops the PostgreSQL server).
CLEANUP = []


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Input.


def select_files(corpus, quick_mb):
    """Relative paths (sorted) of the files fidx would index under corpus.
    With quick_mb, a deterministic sample of about that many MB."""
    files = []
    for root, dirs, names in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            base = name[:-3] if name.lower().endswith(".gz") else name
            if os.path.splitext(base)[1].lower() in FIDX_SKIP:
                continue
            path = os.path.join(root, name)
            if os.path.isfile(path):
                files.append((os.path.relpath(path, corpus), os.path.getsize(path)))
    if quick_mb:
        ranked = sorted(files, key=lambda f: hashlib.md5(f[0].encode()).hexdigest())
        picked, total = [], 0
        for rel, size in ranked:
            if size > 4e6:
                continue
            picked.append((rel, size))
            total += size
            if total >= quick_mb * 1e6:
                break
        files = sorted(picked)
    return files


def stage(corpus, files, stage_dir):
    """Hard links (copies across file systems) of the selected files, so that
    every tool reads exactly the same tree."""
    if os.path.isdir(stage_dir):
        shutil.rmtree(stage_dir)
    for rel, _ in files:
        src, dst = os.path.join(corpus, rel), os.path.join(stage_dir, rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)


# ---------------------------------------------------------------------------
# Indexing.

SUMMARY_RE = re.compile(r"(\d+) filings \((\d+) documents\) written from (\d+) files.*?"
                        r"([\d.]+) MB read in ([\d.]+) s")


def index_row(name, res, raw_bytes, filings, size_bytes, note="", peer=False):
    return {"tool": name, "peer": peer, "wall": res.wall, "cpu": res.cpu, "rss_mb": res.peak_rss_mb,
            "mb_s": raw_bytes / 1e6 / res.wall if res.wall else 0,
            "filings_s": filings / res.wall if res.wall else 0,
            "size_mb": size_bytes / 1e6 if size_bytes is not None else None,
            "rc": res.rc, "note": note}


def combined(ext, res):
    """The extraction row's and a load's measurements added up (peak memory:
    the larger, as the two run one after the other)."""
    both = measure.Result()
    both.wall, both.user, both.sys = ext["wall"] + res.wall, ext["cpu"] + res.cpu, 0
    both.peak_rss_mb = max(ext["rss_mb"], res.peak_rss_mb)
    return both


class measure_peak:
    """`with measure_peak(f) as peak:` polls f() every 50 ms; peak[0] is the
    largest value seen."""

    def __init__(self, f):
        self.f, self.peak, self.stop = f, [0.0], threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self):
        while not self.stop.is_set():
            self.peak[0] = max(self.peak[0], self.f())
            self.stop.wait(0.05)

    def __enter__(self):
        self.thread.start()
        return self.peak

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def check(res, what, ok=(0,)):
    if res.rc not in ok:
        sys.stderr.write(res.stderr.decode("utf-8", "replace")[-3000:])
        raise SystemExit(f"bench: {what} failed with exit code {res.rc}")


NOOP_RUNS = 15


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return (xs[n // 2] + xs[(n - 1) // 2]) / 2 if xs else 0.0


def run_fidx_add(fidx, db, roots, extra=(), progress=False):
    cmd = [fidx, "add", "--db", db, *extra]
    if not progress:
        cmd.append("--json")
    res = measure.run(cmd + list(roots), tty_stderr=progress)
    check(res, "fidx add", ok=(0, 1))
    if progress:
        m = SUMMARY_RE.search(res.stdout.decode("utf-8", "replace"))
        info = {"filings": int(m.group(1)), "documents": int(m.group(2)),
                "bytes_read": float(m.group(4)) * 1e6} if m else {}
    else:
        info = json.loads(res.stdout.decode("utf-8").strip().splitlines()[-1])
    warnings = res.stderr.decode("utf-8", "replace").count("warning:")
    return res, info, warnings


def omindex_cmd(db, stage_dir, exts):
    cmd = ["omindex", "--db", db, "--url", "/"]
    for ext in sorted(exts):
        cmd.append(f"-M{ext}:{OMINDEX_TYPES.get(ext, 'text/plain')}")
    return cmd + [stage_dir]


def xapian_doccount(db):
    out = subprocess.run(["xapian-delve", db], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout.decode()
    m = re.search(r"number of documents = (\d+)", out)
    return int(m.group(1)) if m else None


def progress_batches(samples, batch):
    """Per-batch throughput from `fidx add` progress samples: the time at which
    the processed-file count crossed each multiple of `batch`."""
    if not samples:
        return []
    marks = [(0.0, 0, 0.0)]
    target = batch
    prev = (0.0, 0, 0.0)
    for t, done, _, mb in samples:
        while done >= target:
            # Interpolate within the 0.2 s sampling interval.
            frac = (target - prev[1]) / max(1, done - prev[1])
            marks.append((prev[0] + frac * (t - prev[0]), target,
                          prev[2] + frac * (mb - prev[2])))
            target += batch
        prev = (t, done, mb)
    rows = []
    for (t0, n0, mb0), (t1, n1, mb1) in zip(marks, marks[1:]):
        dt = max(t1 - t0, 1e-9)
        rows.append({"from": n0, "to": n1, "seconds": dt, "filings_s": (n1 - n0) / dt,
                     "mb_s": (mb1 - mb0) / dt})
    return rows


def incremental_batches(fidx, db, stage_dir, files, batch, seed, on_batch=None):
    """Indexes the files in `batch`-sized increments (seeded random order, so
    every batch has the same mix) into one index; one `fidx add` per batch."""
    order = [rel for rel, _ in files]
    random.Random(seed).shuffle(order)
    rows = []
    for i in range(0, len(order), batch):
        chunk = [os.path.join(stage_dir, rel) for rel in order[i:i + batch]]
        if len(chunk) < batch // 2:
            break
        res, info, _ = run_fidx_add(fidx, db, chunk, extra=["--no-delete"])
        mb = info.get("bytes_read", 0) / 1e6
        rows.append({"from": i, "to": i + len(chunk), "seconds": res.wall,
                     "filings_s": info.get("filings", 0) / res.wall, "mb_s": mb / res.wall,
                     "cpu": res.cpu, "mb_cpu_s": mb / res.cpu if res.cpu else 0,
                     "rss_mb": res.peak_rss_mb})
        log(f"  increment {i + len(chunk)}: {res.wall:.1f} s, {mb / res.wall:.2f} MB/s, "
            f"{res.cpu:.1f} CPU-s, {res.peak_rss_mb:.0f} MB")
        if on_batch:
            on_batch(rows)
    return rows


def flatness(rows):
    """first and last batches' MB/s (mean of up to 3 each) and their ratio."""
    if len(rows) < 2:
        return None
    k = min(3, len(rows) // 2)
    first = sum(r["mb_s"] for r in rows[:k]) / k
    last = sum(r["mb_s"] for r in rows[-k:]) / k
    vals = sorted(r["mb_s"] for r in rows)
    med = vals[len(vals) // 2]
    out = {}
    if all(r.get("mb_cpu_s") for r in rows):
        fc = sum(r["mb_cpu_s"] for r in rows[:k]) / k
        lc = sum(r["mb_cpu_s"] for r in rows[-k:]) / k
        out = {"first_mb_cpu_s": fc, "last_mb_cpu_s": lc, "cpu_last_over_first": lc / fc}
    return {**out, "first_mb_s": first, "last_mb_s": last, "last_over_first": last / first,
            "min_over_median": vals[0] / med, "max_over_median": vals[-1] / med, "batches_avg": k}


# ---------------------------------------------------------------------------
# Search.


def facet_pick(fidx, db):
    """The most common CIK, year and SIC in the index (for the filter queries);
    never the "(unknown)" bucket."""
    out = subprocess.run([fidx, "search", "--db", db, "--json", "--facets", "--no-snippets",
                          "-n", "1", "*"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL).stdout
    facets = json.loads(out)["facets"]

    def top(name, default):
        vals = {k: v for k, v in (facets.get(name) or {}).items() if not k.startswith("(")}
        if not vals:
            return default
        return sorted(vals.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]

    return {"cik": top("cik", "320193"), "year": top("year", "2023"), "sic": top("sic", "2834")}


def fill(text, picks):
    return text.format(**picks) if isinstance(text, str) else text


def quest_total(out):
    m = re.search(rb"(?:Exactly|About|Between) (\d+)", out)
    return int(m.group(1)) if m else None


def search_bench(args, dbs, om_db, fts_db, stage_dir, picks, pg_srv=None, gr_db=None):
    """Latencies (seconds) by engine and class, plus totals per query.

    PostgreSQL: "pg" is the wall time of the search's statements over one
    psycopg2 connection (the server's work plus the round trips), "psql" one
    psql process per search. Groonga: "groonga" is the elapsed time Groonga
    reports in its response header (a `groonga DB` process reading commands
    on stdin), "groonga CLI" one `groonga DB 'select ...'` process per search."""
    lat = {}
    totals = []
    fts = sqlite3.connect(fts_db) if fts_db else None
    pgc = pg_srv.connect() if pg_srv else None
    grs = groonga.Session(gr_db) if gr_db else None
    runs = args.runs
    for cls, fq, qq, fts_q, rg_q, facets in QUERY_MIX:
        fq = fill(fq, picks)
        row = {"class": cls, "query": fq + (" --facets" if facets else "")}
        for name, db in dbs:
            cmd = [args.fidx, "search", "--db", db, "--json"] + (["--facets"] if facets else [])
            cmd.append(fq)
            out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
            try:
                row[name] = json.loads(out)["total"]
            except ValueError:
                row[name] = "error"
            samples = [measure.timed(cmd) for _ in range(runs)]
            lat.setdefault(name, {}).setdefault(cls, []).extend(w for w, _, _ in samples)
            lat.setdefault(name + " CPU", {}).setdefault(cls, []).extend(c for _, c, _ in samples)
        if qq and om_db:
            cmd = ["quest", "-d", om_db, "-m", "10", "-o", "and", "-f", "default,wildcard", qq]
            exact = cmd[:1] + ["-c", "100000000"] + cmd[1:]
            row["quest"] = quest_total(subprocess.run(exact, stdout=subprocess.PIPE).stdout)
            samples = [measure.timed(cmd) for _ in range(runs)]
            lat.setdefault("quest", {}).setdefault(cls, []).extend(w for w, _, _ in samples)
            lat.setdefault("quest CPU", {}).setdefault(cls, []).extend(c for _, c, _ in samples)
        if fts_q and fts:
            match, where, params = fts_q
            params = tuple(fill(p, picks) for p in params)
            r = fts5.search(fts, match, where, params, facets=facets)
            row["fts5"] = r["total"]
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                fts5.search(fts, match, where, params, facets=facets)
                times.append(time.perf_counter() - t)
            lat.setdefault("fts5", {}).setdefault(cls, []).extend(times)
        if fts_q and pgc:
            match, where, params = fts_q
            params = tuple(fill(p, picks) for p in params)
            row["pg"] = pg.search(pgc, match, where, params, facets=facets)["total"]
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                pg.search(pgc, match, where, params, facets=facets)
                times.append(time.perf_counter() - t)
            lat.setdefault("pg", {}).setdefault(cls, []).extend(times)
            cmd = pg.psql_cmd(pgc, pg_srv.sock, match, where, params, facets=facets)
            check(measure.run(cmd, poll=False), "psql")
            lat.setdefault("psql", {}).setdefault(cls, []).extend(
                measure.timed(cmd)[0] for _ in range(runs))
        if fts_q and grs:
            match, where, params = fts_q
            params = tuple(fill(p, picks) for p in params)
            gq = groonga.query_from_fts5(match, fq)
            row["groonga"] = grs.search(gq, where, params, facets=facets)["total"]
            lat.setdefault("groonga", {}).setdefault(cls, []).extend(
                grs.search(gq, where, params, facets=facets)["elapsed"] for _ in range(runs))
            cmd = groonga.oneshot_cmd(gr_db, gq, where, params, facets=facets)
            check(measure.run(cmd, poll=False), "groonga select")
            lat.setdefault("groonga CLI", {}).setdefault(cls, []).extend(
                measure.timed(cmd)[0] for _ in range(runs))
        if rg_q and args.rg:
            cmd = ["rg", "-l", "-i", "-F", "--no-messages", rg_q, stage_dir]
            out = subprocess.run(cmd, stdout=subprocess.PIPE).stdout
            row["rg"] = len(out.splitlines())
            lat.setdefault("rg", {}).setdefault(cls, []).extend(
                measure.timed(cmd)[0] for _ in range(runs))
        totals.append(row)
        log(f"  {cls:8} {row['query']}: " + ", ".join(
            f"{k}={v}" for k, v in row.items() if k not in ("class", "query")))
    # Process start cost: a query that matches nothing, without snippets.
    start = {}
    for name, db in dbs:
        cmd = [args.fidx, "search", "--db", db, "--json", "--no-snippets", "zzqxjvnomatch"]
        samples = [measure.timed(cmd) for _ in range(max(runs, 10))]
        start[name] = [w for w, _, _ in samples]
        start[name + " CPU"] = [c for _, c, _ in samples]
    if om_db:
        cmd = ["quest", "-d", om_db, "zzqxjvnomatch"]
        start["quest"] = [measure.timed(cmd)[0] for _ in range(max(runs, 10))]
    if pgc:
        cmd = pg.psql_cmd(pgc, pg_srv.sock, "zzqxjvnomatch", snippets=False)
        start["psql"] = [measure.timed(cmd)[0] for _ in range(max(runs, 10))]
        pgc.close()
    if grs:
        cmd = groonga.oneshot_cmd(gr_db, "zzqxjvnomatch", snippets=False)
        start["groonga CLI"] = [measure.timed(cmd)[0] for _ in range(max(runs, 10))]
        grs.close()
    if fts:
        fts.close()
    return lat, totals, start


# ---------------------------------------------------------------------------
# Output.


def fmt(v, digits=1):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def table(headers, rows):
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


def report(R):
    m = R["machine"]
    s = []
    s.append(f"Machine: {m['nproc']} cores, {m['cpu']}, {m['ram_gb']} GB RAM; Debian {m['debian']}, "
             f"kernel {m['kernel']}; {m['date']}; load average at start {m['loadavg']}, "
             f"at end {R.get('loadavg_end', '?')}")
    inp = R["input"]
    s.append(f"Input: {inp['corpus']}: {inp['files']} files, {inp['mb']:.1f} MB; fidx wrote "
             f"{inp['filings']} filings ({inp['documents']} documents); "
             f"fidx: {R['fidx_version']} (source {R.get('source', '?')}); {R['omindex_version']}; sqlite {R['sqlite_version']}; "
             f"{R['rg_version']}"
             + "".join(f"; {R[k]}" for k in ("pg_version", "groonga_version") if R.get(k)))
    s.append("")
    s.append("Indexing (fresh index; throughput = raw input MB / wall s):")
    ref = next((r for r in R["indexing"] if r["tool"] == "fidx add"), None)
    rows = []
    for r in R["indexing"]:
        peer = ref and r.get("peer")
        speed = ref["mb_s"] / r["mb_s"] if peer and r["mb_s"] else None
        size = ref["size_mb"] / r["size_mb"] if peer and r["size_mb"] else None
        rss = ref["rss_mb"] / r["rss_mb"] if peer and r["rss_mb"] else None
        mb_cpu = r["mb_s"] * r["wall"] / r["cpu"] if r["cpu"] else None
        rows.append([r["tool"], fmt(r["wall"]), fmt(r["cpu"]), fmt(r["mb_s"], 2), fmt(mb_cpu, 2),
                     fmt(r["filings_s"]), fmt(r["rss_mb"], 0), fmt(r["size_mb"]),
                     fmt(speed, 2) if speed else "", fmt(rss, 2) if rss else "",
                     fmt(size, 2) if size else "", r["note"]])
    s.append(table(["tool", "wall s", "CPU s", "MB/s", "MB/CPU-s", "filings/s", "peak RSS MB", "index MB",
                    "fidx speed-up ×", "fidx/peer RSS", "fidx/peer size", "note"], rows))
    s.append("")
    if R.get("rerun"):
        runs = R["rerun"][0].get("runs")
        s.append("No-op re-run over the same tree" +
                 (f" (median of {runs} interleaved runs):" if runs else ":"))
        rows = [[r["tool"], fmt(r["wall"] * 1000, 1), fmt(r["cpu"] * 1000, 1),
                 fmt(r["rss_mb"], 0)] for r in R["rerun"]]
        s.append(table(["tool", "wall ms", "CPU ms", "peak RSS MB"], rows))
        fr = next((r for r in R["rerun"] if r["tool"] == "fidx add"), None)
        om = next((r for r in R["rerun"] if r["tool"] == "omindex"), None)
        if fr and om:
            s.append(f"fidx's no-op re-run takes {fr['wall'] / om['wall']:.1f}× omindex's time "
                     f"(fidx found {fr.get('unchanged')} files unchanged)")
        s.append("")
    s.append(f"Search latency, ms (each query {R['runs']}× after one warm-up run; one process per "
             "query for fidx, quest and rg; FTS5 in-process through python sqlite3; "
             "pg: PostgreSQL over one psycopg2 connection, psql: one psql process per "
             "search; groonga: Groonga's own elapsed time, groonga CLI: one groonga "
             "process per search; "
             "'CPU' columns: user+sys CPU time of the search process, less sensitive to "
             "other load on the machine):")
    peers = ("quest", "fts5", "pg", "psql", "groonga", "groonga CLI", "rg")
    engines = [e for e in ["fidx", "fidx 2 shards", "quest", "fts5", "pg", "psql", "groonga",
                           "groonga CLI", "rg", "fidx CPU", "quest CPU"] if e in R["latency"]]
    rows = []
    for cls in CLASSES + ["all"]:
        cells = [cls]
        for e in engines:
            vals = (sum(R["latency"][e].values(), []) if cls == "all"
                    else R["latency"][e].get(cls, []))
            if not vals:
                cells.append("n/a")
                continue
            p = [measure.percentile(vals, q) * 1000 for q in (50, 95, 99)]
            cells.append(f"{p[0]:.1f} / {p[1]:.1f} / {p[2]:.1f}")
        fvals = R["latency"]["fidx"].get(cls) if cls != "all" else sum(
            R["latency"]["fidx"].values(), [])
        for e in peers:
            if e not in engines:
                continue
            pv = (R["latency"][e].get(cls) if cls != "all" else None)
            if cls == "all":
                # Like for like: only the classes both engines ran.
                common = [c for c in CLASSES if R["latency"][e].get(c)]
                fv = sum((R["latency"]["fidx"][c] for c in common), [])
                pv = sum((R["latency"][e][c] for c in common), [])
            else:
                fv = fvals
            if pv and fv:
                cells.append(f"{measure.percentile(fv, 50) / measure.percentile(pv, 50):.2f}")
            else:
                cells.append("")
        rows.append(cells)
    heads = ["class"] + [f"{e} p50/p95/p99" for e in engines] + [
        f"fidx/{e} p50" for e in peers if e in engines]
    s.append(table(heads, rows))
    st = R["start"]
    s.append("Process start + open + no-match query (ms, p50/p95): " + "; ".join(
        f"{k} {measure.percentile(v, 50) * 1000:.1f} / {measure.percentile(v, 95) * 1000:.1f}"
        for k, v in st.items()))
    if "fidx" in st:
        base = measure.percentile(st["fidx"], 50)
        allv = sum(R["latency"]["fidx"].values(), [])
        s.append(f"fidx in-process estimate (p50 minus start cost): "
                 f"{(measure.percentile(allv, 50) - base) * 1000:.1f} ms; p99 minus start: "
                 f"{(measure.percentile(allv, 99) - base) * 1000:.1f} ms")
    s.append("")
    s.append("Hits per query (fidx/quest/rg: filings or files; fts5, pg, groonga: filings, "
             "i.e. distinct accessions of the matching documents):")
    keys = ["fidx", "fidx 2 shards", "quest", "fts5", "pg", "groonga", "rg"]
    rows = [[t["class"], t["query"]] + [fmt(t.get(k)) for k in keys if k in engines]
            for t in R["totals"]]
    s.append(table(["class", "query"] + [k for k in keys if k in engines], rows))
    s.append("")
    for key, title in (("progress_batches", "fidx add throughput per batch (from progress)"),
                       ("increment_batches", "fidx add throughput per incremental run")):
        rows = R.get(key) or []
        if not rows:
            continue
        s.append(f"{title}:")
        s.append(table(["filings", "seconds", "filings/s", "MB/s", "MB/CPU-s", "peak RSS MB"],
                       [[f"{r['from']}-{r['to']}", fmt(r["seconds"], 2), fmt(r["filings_s"]),
                         fmt(r["mb_s"], 2), fmt(r.get("mb_cpu_s"), 2), fmt(r.get("rss_mb"), 0)]
                        for r in rows]))
        fl = R.get(key + "_flat")
        if fl:
            s.append(f"first {fl['batches_avg']} batches {fl['first_mb_s']:.2f} MB/s, last "
                     f"{fl['batches_avg']} {fl['last_mb_s']:.2f} MB/s: last/first "
                     f"{fl['last_over_first']:.2f}; min/median {fl['min_over_median']:.2f}, "
                     f"max/median {fl['max_over_median']:.2f}")
            if "cpu_last_over_first" in fl:
                s.append(f"per CPU-second: first {fl['first_mb_cpu_s']:.2f} MB, last "
                         f"{fl['last_mb_cpu_s']:.2f} MB: last/first {fl['cpu_last_over_first']:.2f}")
        s.append("")
    c = R.get("compact")
    if c:
        om = next((r for r in R["indexing"] if r["tool"] == "omindex"), None)
        s.append(f"fidx compact (on the incrementally built index): {c['before_mb']:.1f} MB -> "
                 f"{c['after_mb']:.1f} MB in {c['wall']:.1f} s, peak RSS {c['rss_mb']:.0f} MB"
                 + (f"; {c['after_mb'] / om['size_mb']:.2f}× omindex's index" if om else ""))
        s.append("")
    s.append("Targets:")
    for t in R["targets"]:
        s.append(f"  [{'met' if t['met'] else 'NOT MET' if t['met'] is False else 'n/a'}] "
                 f"{t['target']}: {t['value']}")
    return "\n".join(s)


def targets(R):
    out = []
    idx = {r["tool"]: r for r in R["indexing"]}
    f1, f2, om = idx.get("fidx add"), idx.get("fidx add --shards 2"), idx.get("omindex")
    if f1 and om:
        best = max(f1["mb_s"], f2["mb_s"] if f2 else 0)
        out.append({"target": "indexing ≥ 5× omindex's MB/s",
                    "met": best >= 5 * om["mb_s"],
                    "value": f"fidx {f1['mb_s']:.2f} MB/s (1 shard), "
                             f"{f2['mb_s'] if f2 else 0:.2f} (2 shards) vs omindex "
                             f"{om['mb_s']:.2f}: {best / om['mb_s']:.2f}×"})
        out.append({"target": "index size ≤ omindex's", "met": f1["size_mb"] <= om["size_mb"],
                    "value": f"{f1['size_mb']:.1f} MB vs {om['size_mb']:.1f} MB "
                             f"({f1['size_mb'] / om['size_mb']:.2f}×)"})
    rss = max(r["rss_mb"] for r in R["indexing"] if r["tool"].startswith("fidx add"))
    out.append({"target": "peak memory < 1 GB (fidx add)", "met": rss < 1024,
                "value": f"{rss:.0f} MB"})
    # Judged on the incremental runs, whose batches have the same mix; progress
    # batches follow the walk order (by year, by source), whose mix changes.
    for key in ("increment_batches_flat",) if R.get("increment_batches_flat") else (
            "progress_batches_flat",):
        fl = R.get(key)
        if fl:
            out.append({"target": f"throughput flat within 20% ({key.replace('_flat', '')}; "
                                  "judged per CPU-second when measured)",
                        # Per CPU-second when known: on a shared machine the wall
                        # rate also follows the neighbours' load.
                        "met": abs(fl.get("cpu_last_over_first",
                                          fl["last_over_first"]) - 1) <= 0.2,
                        "value": f"MB/s last/first {fl['last_over_first']:.2f}"
                                 + (f", MB per CPU-s last/first {fl['cpu_last_over_first']:.2f}"
                                    if "cpu_last_over_first" in fl else "") + " "
                                 f"(min/median {fl['min_over_median']:.2f}, max/median "
                                 f"{fl['max_over_median']:.2f})"})
    allv = sum(R["latency"]["fidx"].values(), [])
    p50, p99 = measure.percentile(allv, 50) * 1000, measure.percentile(allv, 99) * 1000
    out.append({"target": "search p50 < 20 ms (fidx search, whole process, snippets on)",
                "met": p50 < 20, "value": f"{p50:.1f} ms"})
    out.append({"target": "search p99 < 200 ms", "met": p99 < 200, "value": f"{p99:.1f} ms"})
    cpu = sum(R["latency"].get("fidx CPU", {}).values(), [])
    if cpu:
        out.append({"target": "(for reference) fidx search CPU time p50 / p99", "met": None,
                    "value": f"{measure.percentile(cpu, 50) * 1000:.1f} / "
                             f"{measure.percentile(cpu, 99) * 1000:.1f} ms"})
    return out


def save_partial(work, R):
    """What is measured so far, in case a long run is stopped."""
    with open(os.path.join(work, "results.partial.json"), "w") as f:
        json.dump(R, f, indent=1, default=str)


def version(cmd):
    try:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout
        return out.decode().strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description="fidx benchmark driver")
    ap.add_argument("--fidx")
    ap.add_argument("--corpus")
    ap.add_argument("--work")
    ap.add_argument("--quick", action="store_true", help="a ~25 MB sample, 3 runs per query")
    ap.add_argument("--runs", type=int, default=0, help="runs per query (default 15, quick 3)")
    ap.add_argument("--batch", type=int, default=1000, help="filings per throughput batch")
    ap.add_argument("--no-increments", action="store_true",
                    help="skip the incremental-run throughput test")
    ap.add_argument("--fidx-only", action="store_true",
                    help="skip omindex, FTS5, PostgreSQL, Groonga and rg")
    ap.add_argument("--no-pg", action="store_true", help="skip PostgreSQL")
    ap.add_argument("--no-groonga", action="store_true", help="skip Groonga")
    ap.add_argument("--no-shards", action="store_true", help="skip the --shards 2 build")
    ap.add_argument("--keep", action="store_true", help="keep indexes and the staged input")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--report", metavar="RESULTS_JSON",
                    help="only print the report of an earlier run's results.json")
    args = ap.parse_args()
    if args.report:
        with open(args.report) as f:
            R = json.load(f)
        R["targets"] = targets(R)
        print(report(R))
        return
    if not (args.fidx and args.corpus and args.work):
        ap.error("--fidx, --corpus and --work are required")
    args.runs = args.runs or (3 if args.quick else 15)
    args.rg = not args.fidx_only and shutil.which("rg") is not None
    args.pg = not (args.fidx_only or args.no_pg)
    args.groonga = not (args.fidx_only or args.no_groonga)
    args.fidx = os.path.abspath(args.fidx)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    R = {"machine": measure.machine(), "runs": args.runs,
         "fidx_version": version([args.fidx, "--version"]),
         "omindex_version": version(["omindex", "--version"]),
         "sqlite_version": sqlite3.sqlite_version, "rg_version": version(["rg", "--version"]),
         "pg_version": pg.version() if args.pg else None,
         "groonga_version": groonga.version() if args.groonga else None,
         "command": " ".join(sys.argv),
         "source": version(["git", "-C", os.path.dirname(os.path.abspath(__file__)),
                            "describe", "--always", "--dirty"])}

    files = select_files(args.corpus, 25 if args.quick else 0)
    if not files:
        raise SystemExit(f"bench: no files to index under {args.corpus}")
    stage_dir = os.path.join(work, "input")
    log(f"staging {len(files)} files ({sum(s for _, s in files) / 1e6:.1f} MB) in {stage_dir}")
    stage(args.corpus, files, stage_dir)
    raw = sum(s for _, s in files)
    exts = {os.path.splitext(r[:-3] if r.endswith(".gz") else r)[1].lstrip(".").lower()
            for r, _ in files}
    exts.discard("")
    # Warm the page cache for every tool alike.
    subprocess.run(f"find '{stage_dir}' -type f -print0 | xargs -0 cat > /dev/null", shell=True)

    dbs = {k: os.path.join(work, k) for k in ("fidx1", "fidx2", "omega", "fidx-inc")}
    for d in dbs.values():
        shutil.rmtree(d, ignore_errors=True)
    R["indexing"], R["rerun"] = [], []

    log("fidx add (1 shard)")
    res, info, warns = run_fidx_add(args.fidx, dbs["fidx1"], [stage_dir], progress=True)
    filings = info.get("filings", 0)
    R["input"] = {"corpus": os.path.abspath(args.corpus), "files": len(files), "mb": raw / 1e6,
                  "filings": filings, "documents": info.get("documents", 0),
                  "fidx_warnings": warns}
    R["indexing"].append(index_row("fidx add", res, raw, filings,
                                   measure.dir_bytes(dbs["fidx1"]), f"{warns} warnings"))
    R["progress_batches"] = progress_batches(res.progress,
                                             args.batch if len(files) >= 3 * args.batch
                                             else max(50, len(files) // 5))
    R["progress_batches_flat"] = flatness(R["progress_batches"])

    if not args.no_shards:
        log("fidx add --shards 2")
        res, info, _ = run_fidx_add(args.fidx, dbs["fidx2"], [stage_dir],
                                    extra=["--shards", "2"])
        R["indexing"].append(index_row("fidx add --shards 2", res, raw, filings,
                                       measure.dir_bytes(dbs["fidx2"])))

    om_db = None
    if not args.fidx_only:
        log("omindex")
        om_db = dbs["omega"]
        cmd = omindex_cmd(om_db, stage_dir, exts)
        R["omindex_command"] = " ".join(cmd)
        res = measure.run(cmd)
        check(res, "omindex")
        R["indexing"].append(index_row("omindex", res, raw, filings, measure.dir_bytes(om_db),
                                       f"{xapian_doccount(om_db)} docs", peer=True))

    fts_db = None
    if not args.fidx_only:
        log("FTS5: extracting text with fidx inspect --json --text")
        listing = os.path.join(work, "files.txt")
        with open(listing, "w") as f:
            f.writelines(os.path.join(stage_dir, r) + "\n" for r, _ in files)
        dump = os.path.join(work, "text.jsonl")
        here = os.path.dirname(os.path.abspath(__file__))
        res = measure.run([sys.executable, os.path.join(here, "fts5.py"), "extract", "--fidx",
                           args.fidx, "--out", dump, "--list", listing])
        check(res, "text extraction")
        ext_info = json.loads(res.stdout.decode().strip().splitlines()[-1])
        if not ext_info["documents"]:
            raise SystemExit("bench: fidx inspect --json --text gave no text (format changed?)")
        R["indexing"].append(index_row("(fidx inspect --text: extraction for FTS5" +
                                       (", PostgreSQL" if args.pg else "") +
                                       (", Groonga" if args.groonga else "") + ")", res, raw,
                                       filings, None, f"{os.path.getsize(dump) / 1e6:.0f} MB "
                                       f"JSON, {ext_info['documents']} docs"))
        ext_row = len(R["indexing"]) - 1
        log("FTS5: loading")
        fts_db = os.path.join(work, "fts5.sqlite")
        res = measure.run([sys.executable, os.path.join(here, "fts5.py"), "load", dump, fts_db])
        check(res, "FTS5 load")
        R["indexing"].append(index_row("SQLite FTS5 load", res, raw, filings,
                                       measure.dir_bytes(fts_db), "text from fidx inspect",
                                       peer=True))
        ext = R["indexing"][-2]
        both = measure.Result()
        both.wall, both.user, both.sys = ext["wall"] + res.wall, ext["cpu"] + res.cpu, 0
        both.peak_rss_mb = max(ext["rss_mb"], res.peak_rss_mb)
        R["indexing"].append(index_row("FTS5 extract + load", both, raw, filings,
                                       measure.dir_bytes(fts_db), "", peer=True))

    pg_srv = None
    if args.pg:
        log("PostgreSQL: starting a private server")
        pg_srv = pg.Server(work, keep=args.keep)
        CLEANUP.append(pg_srv.stop)
        pg_srv.start()
        log("PostgreSQL: loading")
        cpu0 = pg_srv.cpu()
        with measure_peak(pg_srv.pss_mb) as server_peak:
            res = measure.run([sys.executable, os.path.join(here, "pg.py"), "load", dump,
                               pg_srv.sock])
            check(res, "PostgreSQL load")
            pg_srv.settle()
        server_cpu = pg_srv.cpu() - cpu0
        client_cpu = res.cpu
        # The load's CPU is the loader's (python reading the dump and sending
        # COPY) plus the server's (parsing, to_tsvector, GIN build, ANALYZE,
        # CHECKPOINT); peak memory likewise: the loader's peak RSS plus the
        # server's peak proportional set size.
        res.user, res.sys = res.user + server_cpu, res.sys
        res.peak_rss_mb = res.peak_rss_mb + server_peak[0]
        R["indexing"].append(index_row("PostgreSQL load", res, raw, filings,
                                       pg_srv.table_bytes(),
                                       f"CPU: loader {client_cpu:.1f} s + server "
                                       f"{server_cpu:.1f} s; pg_total_relation_size",
                                       peer=True))
        R["indexing"].append(index_row("PostgreSQL extract + load",
                                       combined(R["indexing"][ext_row], res), raw, filings,
                                       pg_srv.table_bytes(), "", peer=True))

    gr_db = None
    if args.groonga:
        log("Groonga: loading")
        gr_db = os.path.join(work, "groonga", "db")
        res = measure.run([sys.executable, os.path.join(here, "groonga.py"), "load", dump,
                           gr_db])
        check(res, "Groonga load")
        R["indexing"].append(index_row("Groonga load", res, raw, filings,
                                       groonga.db_bytes(gr_db), "text from fidx inspect",
                                       peer=True))
        R["indexing"].append(index_row("Groonga extract + load",
                                       combined(R["indexing"][ext_row], res), raw, filings,
                                       groonga.db_bytes(gr_db), "", peer=True))

    log("no-op re-runs")
    # One run, for the summary and memory; then NOOP_RUNS more of each tool,
    # interleaved, whose medians are the figures (one run lasts ~10 ms on
    # small trees: too short to time alone).
    res, info, _ = run_fidx_add(args.fidx, dbs["fidx1"], [stage_dir])
    fidx_row = {"tool": "fidx add", "rss_mb": res.peak_rss_mb,
                "unchanged": info.get("unchanged")}
    rows = [(fidx_row, [args.fidx, "add", "--quiet", "--db", dbs["fidx1"], stage_dir])]
    if om_db:
        res = measure.run(omindex_cmd(om_db, stage_dir, exts))
        rows.append(({"tool": "omindex", "rss_mb": res.peak_rss_mb},
                     omindex_cmd(om_db, stage_dir, exts)))
    samples = [([], []) for _ in rows]
    for _ in range(NOOP_RUNS):
        for (row, cmd), (walls, cpus) in zip(rows, samples):
            wall, cpu, _ = measure.timed(cmd)
            walls.append(wall)
            cpus.append(cpu)
    for (row, _), (walls, cpus) in zip(rows, samples):
        row["wall"], row["cpu"] = median(walls), median(cpus)
        row["runs"] = NOOP_RUNS
        R["rerun"].append(row)

    log("search")
    picks = facet_pick(args.fidx, dbs["fidx1"])
    R["picks"] = picks
    engines = [("fidx", dbs["fidx1"])] + ([] if args.no_shards else
                                          [("fidx 2 shards", dbs["fidx2"])])
    R["latency"], R["totals"], R["start"] = search_bench(args, engines, om_db, fts_db,
                                                         stage_dir, picks, pg_srv, gr_db)
    if pg_srv:
        pg_srv.stop()

    save_partial(work, R)
    if not args.no_increments:
        batch = args.batch if len(files) >= 3 * args.batch else max(50, len(files) // 5)
        log(f"incremental runs of {batch} filings")
        R["increment_batches"] = incremental_batches(args.fidx, dbs["fidx-inc"], stage_dir,
                                                     files, batch, args.seed,
                                                     lambda rows: save_partial(
                                                         work, {**R, "increment_batches": rows}))
        R["increment_batches_flat"] = flatness(R["increment_batches"])
        # The incremental index has the same content as the others: compact it
        # to see what `fidx compact` (e.g. after a cron run) does to the size.
        before = measure.dir_bytes(dbs["fidx-inc"])
        res = measure.run([args.fidx, "compact", "--db", dbs["fidx-inc"]])
        if res.rc == 0:
            R["compact"] = {"wall": res.wall, "cpu": res.cpu, "rss_mb": res.peak_rss_mb,
                            "before_mb": before / 1e6,
                            "after_mb": measure.dir_bytes(dbs["fidx-inc"]) / 1e6}

    R["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    R["targets"] = targets(R)
    text = report(R)
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump(R, f, indent=1, default=str)
    with open(os.path.join(work, "results.md"), "w") as f:
        f.write(text + "\n")
    print(text)
    if not args.keep:
        for d in list(dbs.values()) + [stage_dir, os.path.join(work, "text.jsonl"),
                                       os.path.join(work, "fts5.sqlite"),
                                       os.path.join(work, "groonga")]:
            if os.path.isdir(d):
                shutil.rmtree(d, ignore_errors=True)
            elif os.path.exists(d):
                os.remove(d)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        main()
    finally:
        for stop in reversed(CLEANUP):
            stop()
