#!/usr/bin/env python3
"""Where the relay's thread was not running, and what ran on its CPU instead (used by tail.sh).

usage: perf sched timehist -i perf-sched.data | sched_gaps.py MAIN_TID SECONDS NAME

Reads perf sched timehist's lines of one CPU (each: the end of a task's run on it, and how long it ran), rebuilds
who ran when, and looks at every gap between two runs of MAIN_TID (the event loop, or HAProxy's thread). A gap is
time the relay did nothing: it slept in epoll_wait with nothing to do, or it had work and something else held the
CPU. A gap longer than a request's usual turn delays every connection waiting on that loop, so the long gaps are
the tail wrk reports. Each gap is charged to the group that ran longest in it. Prints, per group, the gaps of at
least 0.5, 1 and 2 ms it caused per second and their time, and each group's CPU share over the window.
"""
import re
import sys

LINE = re.compile(r"^\s*(\d+\.\d+)\s+\[(\d+)\]\s+(.+?)\[(\d+)(?:/(\d+))?\]\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)")
GROUPS = [  # (group, thread name prefix; /proc shows at most 15 characters)
    ("link", "forwarder-link"),
    ("jit", "C1 CompilerThre"),
    ("jit", "C2 CompilerThre"),
    ("gc", "VM Thread"),
    ("nginx", "nginx"),
    ("idle", "<idle>"),
    ("softirq", "ksoftirqd"),
]


def group(comm, tid, main_pid):
    g = next((g for g, prefix in GROUPS if comm.startswith(prefix)), None)
    if g:
        return g
    return "same process" if main_pid is not None and tid[1] == main_pid else "other processes"


def main():
    main_tid, seconds, name = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
    runs = []  # (start, end, group, is_main)
    main_pid = None
    rows = []
    for line in sys.stdin:
        m = LINE.match(line)
        if not m:
            continue
        t, comm, tid, pid, run_ms = float(m.group(1)), m.group(3).strip(), int(m.group(4)), m.group(5), float(m.group(8))
        pid = int(pid) if pid else tid
        rows.append((t, comm, tid, pid, run_ms))
        if tid == main_tid:
            main_pid = pid
    for t, comm, tid, pid, run_ms in rows:
        runs.append((t - run_ms / 1000, t, group(comm, (tid, pid), main_pid), tid == main_tid))
    runs.sort()
    busy = {}
    for start, end, g, is_main in runs:
        key = "relay" if is_main else g
        busy[key] = busy.get(key, 0.0) + end - start
    span = (runs[-1][1] - runs[0][0]) if runs else seconds
    mains = [(s, e) for s, e, _, is_main in runs if is_main]
    gaps = {}  # group -> [count >= 0.5, >= 1, >= 2 ms, seconds in gaps >= 1 ms]
    longest = []
    j = 0
    for (_, end), (start, _) in zip(mains, mains[1:]):
        length = start - end
        if length < 0.0005:
            continue
        share = {}
        while j < len(runs) and runs[j][1] <= end:
            j += 1
        k = j
        while k < len(runs) and runs[k][0] < start:
            s, e, g, is_main = runs[k]
            if not is_main:
                share[g] = share.get(g, 0.0) + min(e, start) - max(s, end)
            k += 1
        culprit = max(share, key=share.get) if share else "idle"
        c = gaps.setdefault(culprit, [0, 0, 0, 0.0])
        c[0] += 1
        if length >= 0.001:
            c[1] += 1
            c[3] += length
        if length >= 0.002:
            c[2] += 1
        longest.append((length, end, culprit, share))
    per_s = 1 / span
    print(f"== {name}: {span:.1f} s of CPU {sys.argv[4] if len(sys.argv) > 4 else 0}; relay thread {main_tid}")
    print("  CPU share: " + ", ".join(f"{k} {v * per_s * 100:.1f}%" for k, v in sorted(busy.items(), key=lambda kv: -kv[1])))
    print("  relay gaps per second, charged to what ran longest in them:")
    print(f"  {'culprit':16s} {'>=0.5ms':>8s} {'>=1ms':>7s} {'>=2ms':>7s} {'ms/s in >=1ms gaps':>19s}")
    total = [0, 0, 0, 0.0]
    for g, c in sorted(gaps.items(), key=lambda kv: -kv[1][3]):
        print(f"  {g:16s} {c[0] * per_s:8.1f} {c[1] * per_s:7.1f} {c[2] * per_s:7.1f} {c[3] * 1000 * per_s:19.2f}")
        total = [a + b for a, b in zip(total, c)]
    print(f"  {'all':16s} {total[0] * per_s:8.1f} {total[1] * per_s:7.1f} {total[2] * per_s:7.1f}"
          f" {total[3] * 1000 * per_s:19.2f}")
    longest.sort(reverse=True)
    print("  longest gaps: " + "; ".join(
        f"{length * 1000:.2f} ms " + "+".join(f"{g} {v * 1000:.2f}" for g, v in sorted(share.items(), key=lambda kv: -kv[1])[:3])
        for length, _, _, share in longest[:6]))


if __name__ == "__main__":
    main()
