#!/usr/bin/env python3
"""No-op re-run timing of fidx against omindex on an already indexed tree.

    python3 scripts/bench/noop.py FIDX FIDX_DB OMEGA_DB TREE EXT:MIME[,EXT:MIME...]

Both databases must already hold TREE (fidx add / omindex run once). Runs each
tool RUNS times, interleaved, and prints the median wall and CPU time of each
and the ratio. scripts/bench.sh does the same inside its run; this is for an
index built separately (e.g. a corpus too big to benchmark whole again).
"""

import os
import statistics
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure  # noqa: E402

RUNS = 15


def main():
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    fidx, fidx_db, omega_db, tree, types = sys.argv[1:]
    tools = {
        "fidx": [fidx, "add", "--quiet", "--db", fidx_db, tree],
        "omindex": ["omindex", "--db", omega_db, "--url", "/"] +
                   [f"-M{t}" for t in types.split(",")] + [tree],
    }
    wall = {name: [] for name in tools}
    cpu = {name: [] for name in tools}
    for _ in range(RUNS):
        for name, cmd in tools.items():
            w, c, rc = measure.timed(cmd)
            if rc != 0:
                raise SystemExit(f"{name} exited {rc}: {' '.join(cmd)}")
            wall[name].append(w)
            cpu[name].append(c)
    for name in tools:
        print(f"{name}: median wall {1000 * statistics.median(wall[name]):.1f} ms, "
              f"CPU {1000 * statistics.median(cpu[name]):.1f} ms ({RUNS} runs)")
    print(f"fidx / omindex wall: "
          f"{statistics.median(wall['fidx']) / statistics.median(wall['omindex']):.2f}")


if __name__ == "__main__":
    main()
