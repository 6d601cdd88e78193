#!/usr/bin/env python3
"""Two fidx builds over the benchmark's query mix, before and after, in one run.

    python3 scripts/bench/ab_queries.py FIDX_A DB_A FIDX_B DB_B [RUNS]

A is "before", B is "after" (each with its own index, since a schema change
needs one). Every query of run.py's QUERY_MIX runs RUNS times (default 9)
per build, A and B alternating query by query, so that a busy machine slows
both alike. Prints per query each build's total and median wall and CPU
time, then p50/p95/p99 over all runs and the B/A ratios. CPU time (user +
system of the whole process) is the steadier figure on a shared machine.
"""

import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure  # noqa: E402
from run import QUERY_MIX, facet_pick, fill  # noqa: E402


def commands(fidx, db, picks):
    out = []
    for cls, fq, _, _, _, facets in QUERY_MIX:
        q = fill(fq, picks)
        cmd = [fidx, "search", "--db", db, "--json"] + (["--facets"] if facets else []) + [q]
        out.append((cls, q + (" --facets" if facets else ""), cmd))
    return out


def total(cmd):
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    return json.loads(out)["total"]


def main():
    if len(sys.argv) not in (5, 6):
        raise SystemExit(__doc__)
    fa, da, fb, db = sys.argv[1:5]
    runs = int(sys.argv[5]) if len(sys.argv) == 6 else 9
    picks = facet_pick(fb, db)  # the same filter values for both
    ca, cb = commands(fa, da, picks), commands(fb, db, picks)
    totals = [(total(a[2]), total(b[2])) for a, b in zip(ca, cb)]
    wall = {"A": [[] for _ in ca], "B": [[] for _ in cb]}
    cpu = {"A": [[] for _ in ca], "B": [[] for _ in cb]}
    for r in range(runs):
        for i, (a, b) in enumerate(zip(ca, cb)):
            order = [("A", a), ("B", b)] if (r + i) % 2 == 0 else [("B", b), ("A", a)]
            for side, (_, _, cmd) in order:
                w, c, rc = measure.timed(cmd)
                if rc != 0:
                    raise SystemExit(f"exit {rc}: {' '.join(cmd)}")
                wall[side][i].append(w * 1000)
                cpu[side][i].append(c * 1000)
    med = lambda v: measure.percentile(v, 50)  # noqa: E731
    print(f"{'class':9} {'query':34} {'total A':>8} {'total B':>8} "
          f"{'wall A':>7} {'wall B':>7} {'cpu A':>7} {'cpu B':>7}   (medians, ms)")
    for i, (cls, label, _) in enumerate(cb):
        print(f"{cls:9} {label:34} {totals[i][0]:>8} {totals[i][1]:>8} "
              f"{med(wall['A'][i]):7.1f} {med(wall['B'][i]):7.1f} "
              f"{med(cpu['A'][i]):7.1f} {med(cpu['B'][i]):7.1f}")
    for name, data in (("wall", wall), ("cpu", cpu)):
        pa = [measure.percentile([x for v in data["A"] for x in v], p) for p in (50, 95, 99)]
        pb = [measure.percentile([x for v in data["B"] for x in v], p) for p in (50, 95, 99)]
        print(f"{name:4} A: p50 {pa[0]:.1f} p95 {pa[1]:.1f} p99 {pa[2]:.1f} ms | "
              f"B: p50 {pb[0]:.1f} p95 {pb[1]:.1f} p99 {pb[2]:.1f} ms | "
              f"B/A: {pb[0] / pa[0]:.2f} {pb[1] / pa[1]:.2f} {pb[2] / pa[2]:.2f}")


if __name__ == "__main__":
    main()
