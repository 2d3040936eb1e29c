#!/usr/bin/env python3
"""The tables of an h2.sh run (deploy/bench/h2.sh): reads OUT/results.tsv, the per-request logs OUT/raw/TAG.log
(h2load --log-file: start time in us, status, us until the end of the response) and OUT/capture.txt
(count_captures.py: TAG COMPLETE INCOMPLETE), prints one row per run, then per scenario and target the medians
over rounds with the ratios to HAProxy taken within the same round (median, min-max).

    python3 h2_report.py OUT
"""
import csv
import statistics
import sys
from pathlib import Path


def percentiles(log: Path):
    """p50 and p99 in ms of the requests in an h2load --log-file, or (nan, nan) when it has none."""
    times = []
    if log.exists():
        for line in log.read_text().splitlines():
            cols = line.split("\t")
            if len(cols) >= 3:
                times.append(int(cols[2]))
    if not times:
        return float("nan"), float("nan")
    times.sort()
    pick = lambda q: times[min(len(times) - 1, int(q * len(times)))] / 1000.0
    return pick(0.50), pick(0.99)


def captures(path: Path):
    counts = {}
    if path.exists():
        for line in path.read_text().splitlines():
            tag, complete, incomplete = line.split()
            counts[tag] = (int(complete), int(incomplete))
    return counts


def spread(values):
    return f"{statistics.median(values):.2f}× ({min(values):.2f}–{max(values):.2f})" if values else "-"


def main(out: Path):
    rows = list(csv.DictReader((out / "results.tsv").open(), delimiter="\t"))
    captured = captures(out / "capture.txt")
    print("round scenario target          req/s  succeeded  failed  p50 ms  p99 ms  proxy us/req  captured")
    for r in rows:
        r["rps"] = float(r["rps"])
        r["p50"], r["p99"] = percentiles(out / "raw" / (r["tag"] + ".log"))
        complete, incomplete = captured.get(r["tag"], (0, 0))
        ok = int(r["succeeded"])
        r["captured"] = complete / ok if ok and r["target"] in ("goproxy", "goproxy-base") else None
        shown = f"{complete}+{incomplete} = {100 * r['captured']:.2f} %" if r["captured"] is not None else ""
        print(f"{r['round']:>5} {r['scenario']:<8} {r['target']:<14} {r['rps']:>8.0f} {ok:>10} {r['failed']:>7} "
              f"{r['p50']:>7.2f} {r['p99']:>7.2f} {r['proxy_cpu_us_req']:>13} {shown}")
    print()
    print("medians over rounds; ratios to HAProxy within each round: median (min–max)")
    print("scenario target          req/s  req/s ratio            p99 ms  p99 ratio              us/req  captured")
    for scenario in dict.fromkeys(r["scenario"] for r in rows):
        of = [r for r in rows if r["scenario"] == scenario]
        rounds = sorted({r["round"] for r in of})
        base = {r["round"]: r for r in of if r["target"] == "haproxy"}
        for target in dict.fromkeys(r["target"] for r in of):
            mine = {r["round"]: r for r in of if r["target"] == target}
            rps_ratio = [mine[k]["rps"] / base[k]["rps"] for k in rounds if k in mine and k in base and base[k]["rps"]]
            p99_ratio = [mine[k]["p99"] / base[k]["p99"] for k in rounds if k in mine and k in base and base[k]["p99"]]
            capt = [r["captured"] for r in mine.values() if r["captured"] is not None]
            print(f"{scenario:<8} {target:<14} {statistics.median(r['rps'] for r in mine.values()):>8.0f}  "
                  f"{spread(rps_ratio):<22} {statistics.median(r['p99'] for r in mine.values()):>6.2f}  "
                  f"{spread(p99_ratio):<22} {statistics.median(float(r['proxy_cpu_us_req']) for r in mine.values()):>6.1f}  "
                  + (f"{100 * min(capt):.2f}–{100 * max(capt):.2f} %" if capt else ""))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
