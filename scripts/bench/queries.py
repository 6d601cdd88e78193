#!/usr/bin/env python3
"""fidx search latency over the benchmark's query mix, on an existing index.

    python3 scripts/bench/queries.py FIDX DB [RUNS]

Runs every query of run.py's QUERY_MIX (snippets on, --facets where the mix
says so) RUNS times (default 15), interleaved, and prints per query the
total, median and worst wall time, then p50/p95/p99 over all runs. run.py
does the same inside its full run; this is for an index built separately
(e.g. the 100,000-filing corpus, too big to benchmark whole every time).
"""

import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure  # noqa: E402
from run import QUERY_MIX, facet_pick, fill  # noqa: E402


def main():
    if len(sys.argv) not in (3, 4):
        raise SystemExit(__doc__)
    fidx, db = sys.argv[1:3]
    runs = int(sys.argv[3]) if len(sys.argv) == 4 else 15
    picks = facet_pick(fidx, db)
    cmds = []
    for cls, fq, _, _, _, facets in QUERY_MIX:
        cmd = [fidx, "search", "--db", db, "--json"] + (["--facets"] if facets else [])
        cmds.append((cls, fill(fq, picks) + (" --facets" if facets else ""),
                     cmd + [fill(fq, picks)]))
    totals = {}
    for _, label, cmd in cmds:
        out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
        totals[label] = json.loads(out)["total"]
    times = {label: [] for _, label, _ in cmds}
    for _ in range(runs):
        for _, label, cmd in cmds:
            wall, _, rc = measure.timed(cmd)
            if rc != 0:
                raise SystemExit(f"exit {rc}: {' '.join(cmd)}")
            times[label].append(wall)
    print(f"{'class':9} {'query':34} {'total':>8} {'p50 ms':>8} {'max ms':>8}")
    for cls, label, _ in cmds:
        t = times[label]
        print(f"{cls:9} {label:34} {totals[label]:>8} "
              f"{measure.percentile(t, 50) * 1000:8.1f} {max(t) * 1000:8.1f}")
    allv = [w for t in times.values() for w in t]
    p = [measure.percentile(allv, q) * 1000 for q in (50, 95, 99)]
    print(f"all {len(allv)} runs: p50 {p[0]:.1f} ms, p95 {p[1]:.1f} ms, p99 {p[2]:.1f} ms")


if __name__ == "__main__":
    main()
