#!/usr/bin/env python3
"""Indexing a feed-day archive in place against the same files unpacked.

Builds a feed-day archive (YYYYMMDD.nc.tar.gz, a flat tar of submissions,
as EDGAR's Feed/ holds them) from the .nc and .txt filings of a corpus
(default ../shared/corpus), unpacks the same files into a folder, then
times `fidx add --no-compact` into a new index for each, alternating,
with /usr/bin/time -v: wall seconds, CPU seconds (user + system), peak
RSS. Checks that both indexes hold the same filings and documents, and
prints a table (Markdown).

    scripts/bench/archive_bench.py [--fidx build/cli/fidx] [--corpus DIR]
                                   [--work DIR] [--runs N] [--copies N]

--copies N puts each filing in N times (with its accession changed per
copy, like scripts/gen_corpus.py's copies) for a larger archive.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ACCESSION = re.compile(rb"\d{10}-\d{2}-\d{6}")


def collect(corpus):
    out = []
    for dirpath, dirnames, filenames in os.walk(corpus):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith((".nc", ".txt")) and not name.startswith("."):
                out.append(os.path.join(dirpath, name))
    return out


def lay_out(files, folder, copies):
    """Copies `files` flat into `folder` (a feed day is flat), `copies`
    times with the accessions renamed per copy. Returns (count, bytes)."""
    os.makedirs(folder)
    names = set()
    total = 0
    for copy in range(copies):
        for path in files:
            with open(path, "rb") as f:
                data = f.read()
            name = os.path.basename(path)
            if copy:
                prefix = b"%02d" % (copy % 100)
                data = ACCESSION.sub(lambda m: prefix + m.group(0)[2:], data)
                name = "%02d-%s" % (copy, name)
            base, n = name, 1
            while name in names:
                n += 1
                name = "%d-%s" % (n, base)
            names.add(name)
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
            total += len(data)
    return len(names), total


def timed(cmd, env):
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, env=env, capture_output=True, text=True)
    if proc.returncode not in (0, 1):
        sys.exit("archive_bench: %s failed (%d): %s" % (" ".join(cmd), proc.returncode, proc.stderr))
    stats = {}
    for line in proc.stderr.splitlines():
        line = line.strip()
        if line.startswith("User time"):
            stats["user"] = float(line.split(":")[-1])
        elif line.startswith("System time"):
            stats["sys"] = float(line.split(":")[-1])
        elif line.startswith("Maximum resident set size"):
            stats["rss_mb"] = int(line.split(":")[-1]) / 1024.0
        elif line.startswith("Elapsed (wall clock) time"):
            parts = line.split("): ")[-1].split(":")
            wall = 0.0
            for p in parts:
                wall = wall * 60 + float(p)
            stats["wall"] = wall
    stats["cpu"] = stats["user"] + stats["sys"]
    stats["summary"] = json.loads(proc.stdout.strip().splitlines()[-1])
    return stats


def totals(fidx, db):
    out = []
    for extra in ([], ["--per-document"]):
        p = subprocess.run([fidx, "search", "--db", db, "--json", "--limit", "0", "*"] + extra,
                           capture_output=True, text=True)
        out.append(json.loads(p.stdout)["total"])
    return tuple(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fidx", default=os.path.join(ROOT, "build/cli/fidx"))
    ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    ap.add_argument("--work", default=None)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=0, help="fidx add --jobs (0: its default)")
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        sys.exit("archive_bench: no corpus at %s" % args.corpus)
    work = args.work or tempfile.mkdtemp(prefix="fidx-archive-bench-")
    if os.path.exists(os.path.join(work, "unpacked")):
        shutil.rmtree(os.path.join(work, "unpacked"))
    os.makedirs(work, exist_ok=True)

    files = collect(args.corpus)
    unpacked = os.path.join(work, "unpacked")
    count, size = lay_out(files, unpacked, args.copies)
    feed = os.path.join(work, "Feed", "2025", "QTR1")
    os.makedirs(feed, exist_ok=True)
    archive = os.path.join(feed, "20250108.nc.tar.gz")
    with tarfile.open(archive, "w:gz") as tar:
        for name in sorted(os.listdir(unpacked)):
            tar.add(os.path.join(unpacked, name), arcname=name)
    print("corpus: %s: %d files (.nc, .txt), %.1f MB; archive %.1f MB (%s)"
          % (args.corpus, count, size / 1e6, os.path.getsize(archive) / 1e6, archive))

    env = dict(os.environ)
    env.pop("FIDX_DB", None)
    rows = {"archive": [], "unpacked": []}
    seen_totals = {}
    for run in range(args.runs):
        for target, path in (("archive", archive), ("unpacked", unpacked)):
            db = os.path.join(work, "index-%s" % target)
            shutil.rmtree(db, ignore_errors=True)
            cmd = [args.fidx, "add", "--db", db, "--no-compact", "--json"]
            if args.jobs:
                cmd += ["--jobs", str(args.jobs)]
            rows[target].append(timed(cmd + [path], env))
            seen_totals[target] = totals(args.fidx, db)
    same = seen_totals["archive"] == seen_totals["unpacked"]
    print("totals (filings, documents): archive %s, unpacked %s: %s"
          % (seen_totals["archive"], seen_totals["unpacked"], "equal" if same else "DIFFERENT"))
    print()
    print("| input | runs | wall s (median; all) | CPU s (median) | peak RSS MB (max) | MB/s (median wall) |")
    print("|---|---|---|---|---|---|")
    for target in ("archive", "unpacked"):
        r = rows[target]
        walls = [x["wall"] for x in r]
        print("| %s | %d | %.2f (%s) | %.2f | %.0f | %.1f |" % (
            target, len(r), statistics.median(walls), ", ".join("%.2f" % w for w in walls),
            statistics.median(x["cpu"] for x in r), max(x["rss_mb"] for x in r),
            size / 1e6 / statistics.median(walls)))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
