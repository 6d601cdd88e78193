#!/usr/bin/env python3
"""Load on `fidx serve`: the benchmark's query mix through /api/search.

    python3 scripts/bench/serve_load.py FIDX DB [--clients 8] [--seconds 20]
        [--threads 4] [--words-only]

Starts `fidx serve` on a free loopback port over the existing index DB,
then runs CLIENTS keep-alive clients, each sending run.py's QUERY_MIX
(snippets on, facets where the mix says so) round-robin for SECONDS.
Prints each query's median and worst latency (client-side, and in the
server from its Server-Timing header), then searches per second,
client-side latency p50/p95/p99 over all (which include HTTP and the
client's JSON parsing), the same percentiles in the server (reading the
request, searching, the answer's JSON), and the server's peak RSS.
--words-only keeps the "word" and "and2" classes (the issue's throughput
target is for word queries).
"""

import argparse
import http.client
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import QUERY_MIX, facet_pick, fill  # noqa: E402


def peak_rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            m = re.search(r"VmHWM:\s+(\d+) kB", f.read())
            return int(m.group(1)) if m else 0
    except OSError:
        return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fidx")
    ap.add_argument("db")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--words-only", action="store_true")
    args = ap.parse_args()

    picks = facet_pick(args.fidx, args.db)
    paths, labels = [], []
    for cls, fq, _, _, _, facets in QUERY_MIX:
        if args.words_only and cls not in ("word", "and2"):
            continue
        q = urllib.parse.quote(fill(fq, picks))
        paths.append(f"/api/search?q={q}" + ("&facets=1" if facets else ""))
        labels.append((cls, fill(fq, picks) + (" --facets" if facets else "")))

    server = subprocess.Popen([args.fidx, "serve", "--db", args.db, "--listen", "127.0.0.1:0",
                               "--threads", str(args.threads)],
                              stderr=subprocess.PIPE, text=True)
    port = int(re.search(r":(\d+)/", server.stderr.readline()).group(1))
    latencies, in_server, errors = [], [], [0]
    by_query = [[] for _ in paths]
    by_query_server = [[] for _ in paths]
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds

    def client(offset):
        conn = http.client.HTTPConnection("127.0.0.1", port)
        mine, i = [], offset
        while time.monotonic() < stop:
            start = time.perf_counter()
            conn.request("GET", paths[i % len(paths)])
            r = conn.getresponse()
            r.read()
            timing = re.search(r"dur=([0-9.]+)", r.getheader("Server-Timing") or "")
            mine.append((i % len(paths), time.perf_counter() - start,
                         float(timing.group(1)) / 1000 if timing else None))
            if r.status != 200:
                with lock:
                    errors[0] += 1
            i += 1
        with lock:
            for k, t, st in mine:
                latencies.append(t)
                by_query[k].append(t)
                if st is not None:
                    in_server.append(st)
                    by_query_server[k].append(st)

    t0 = time.monotonic()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - t0
    rss = peak_rss_kb(server.pid)
    server.terminate()
    server.wait()
    def pct(values, p):
        return values[min(len(values) - 1, int(p * len(values)))] * 1000 if values else float("nan")

    for (cls, label), ts, ss in zip(labels, by_query, by_query_server):
        ts.sort()
        ss.sort()
        if ts:
            print(f"{cls:9} {label:36} {len(ts):6} runs  p50 {pct(ts, 0.5):7.1f} ms"
                  f"  max {ts[-1] * 1000:7.1f} ms  in server p50 {pct(ss, 0.5):7.2f} ms")
    latencies.sort()
    in_server.sort()
    print(f"{len(latencies)} searches in {wall:.1f} s by {args.clients} clients, "
          f"{args.threads} server threads: {len(latencies) / wall:.0f}/s; "
          f"p50 {pct(latencies, 0.5):.1f} ms, p95 {pct(latencies, 0.95):.1f} ms, "
          f"p99 {pct(latencies, 0.99):.1f} ms; in server p50 {pct(in_server, 0.5):.2f} ms, "
          f"p95 {pct(in_server, 0.95):.2f} ms, p99 {pct(in_server, 0.99):.2f} ms; "
          f"{errors[0]} errors; server peak RSS {rss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
