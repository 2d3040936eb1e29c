#!/usr/bin/env python3
"""The table of a forward.sh run: per scenario and proxy the median req/s, p99 and proxy CPU per request over the
rounds (with the rounds' spread), goproxy's req/s ratio to each other proxy taken round by round (the two ran
back to back), and the captures counted against the requests the client completed.

usage: forward_report.py RESULTS_DIR   (reads results.tsv, captures-*.txt, goproxy-tls-metrics.txt)
"""
import collections
import csv
import os
import statistics
import sys


def spread(values, fmt="{:.0f}"):
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def captures(path):
    """TAG -> (complete, incomplete) from a verify-format file; missing file: empty."""
    out = {}
    if not os.path.exists(path):
        return out
    for line in open(path):
        parts = line.split()
        if len(parts) >= 2 and not line.startswith("#") and parts[1].isdigit():
            out[parts[0]] = (int(parts[1]), int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 0)
    return out


def main(out):
    rows = [r for r in csv.DictReader(open(os.path.join(out, "results.tsv")), delimiter="\t") if r["round"] != "0"]
    by = collections.defaultdict(list)
    for r in rows:
        by[(r["scenario"], r["target"])].append(r)
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    targets = list(dict.fromkeys(r["target"] for r in rows))
    print("median over rounds (min-max)")
    print(f"{'scenario':<10} {'proxy':<12} {'req/s':>22} {'p99 ms':>22} {'proxy us/req':>20} {'errors':>7}")
    for sc in scenarios:
        for t in targets:
            rs = by[(sc, t)]
            if not rs:
                continue
            print(f"{sc:<10} {t:<12} {spread([float(r['rps']) for r in rs]):>22} "
                  f"{spread([float(r['p99_ms']) for r in rs], '{:.2f}'):>22} "
                  f"{spread([float(r['proxy_us_req']) for r in rs], '{:.1f}'):>20} "
                  f"{sum(int(r['errors']) for r in rs):>7}")
    print()
    print("goproxy's req/s over the other proxy's, per round (median, min-max)")
    for sc in scenarios:
        gp = {r["round"]: float(r["rps"]) for r in by[(sc, "goproxy")]}
        for t in targets:
            if t == "goproxy":
                continue
            ratios = [gp[r["round"]] / float(r["rps"]) for r in by[(sc, t)] if r["round"] in gp and float(r["rps"]) > 0]
            if ratios:
                print(f"  {sc:<10} vs {t:<12} {spread(ratios, '{:.2f}')}x")
    print()
    print("captured (complete exchanges) / requests the client completed, per run")
    for t in ("goproxy", "goproxy-base", "mitmdump"):
        # both goproxy builds upload to the one forwarder: their runs' tags tell them apart
        caps = captures(os.path.join(out, f"captures-{t.replace('goproxy-base', 'goproxy')}.txt"))
        if not caps:
            continue
        for sc in scenarios:
            got = [(caps.get(r["tag"], (0, 0)), int(r["requests"])) for r in by[(sc, t)]]
            if not got:
                continue
            pct = [100.0 * c[0] / n for c, n in got if n]
            short = sum(max(0, n - c[0]) for c, n in got)
            print(f"  {t:<12} {sc:<10} {spread(pct, '{:.1f}')} %  (runs short of the count: "
                  f"{sum(1 for c, n in got if c[0] < n)}, exchanges short: {short}, incomplete: "
                  f"{sum(c[1] for c, n in got)})")
    metrics = os.path.join(out, "goproxy-tls-metrics.txt")
    if os.path.exists(metrics):
        print()
        print("goproxy TLS_OUT_UNWRAP counters at the end of the run:")
        for line in open(metrics):
            print("  " + line.rstrip())


if __name__ == "__main__":
    main(sys.argv[1])
