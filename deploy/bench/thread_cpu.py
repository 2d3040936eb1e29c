#!/usr/bin/env python3
"""CPU per request of goproxy's threads, grouped, and of the forwarder, over a window (used by threads.sh).

usage: thread_cpu.py GOPROXY_PID FORWARDER_PID WINDOW_S NAME

Reads every thread's CPU time (/proc/<pid>/task/<tid>/schedstat, ns) and voluntary switches at the start and end
of the window, nginx's request count (stub_status on 127.0.0.1:15449) and goproxy's capture counters (its metrics
on 127.0.0.1:15442). Prints one line: µs per request of each group (event loop, forwarder link, JIT compilers, GC,
the rest, the whole process), the link's voluntary switches per second, captures sent and dropped per request, and
the link's and the forwarder's CPU per capture sent.
"""
import os
import re
import sys
import time
import urllib.request

GROUPS = [  # (group, thread name prefix as /proc shows it: 15 characters at most)
    ("loop", "vert.x-eventloo"),
    ("link", "forwarder-link-"),
    ("jit", "C1 CompilerThre"),
    ("jit", "C2 CompilerThre"),
    ("gc", "VM Thread"),
]


def group(comm):
    return next((g for g, prefix in GROUPS if comm.startswith(prefix)), "other")


def threads(pid):
    """tid -> (name, CPU ns, voluntary switches), for the threads alive now."""
    out = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            comm = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
            ns = int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0])
            status = open(f"/proc/{pid}/task/{tid}/status").read()
        except (FileNotFoundError, ProcessLookupError):
            continue  # ended meanwhile
        voluntary = int(re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1))
        out[tid] = (comm, ns, voluntary)
    return out


def requests():
    status = urllib.request.urlopen("http://127.0.0.1:15449/").read().decode()
    return int(status.split("\n")[2].split()[2])  # "accepts handled requests"


def captures():
    """goproxy's counters of captures sent and dropped (queue full)."""
    text = urllib.request.urlopen("http://127.0.0.1:15442/q/metrics").read().decode()
    sent = re.search(r"^goproxy_captures_sent_total (\S+)", text, re.M)
    dropped = re.search(r'^goproxy_captures_dropped_total\{reason="queue_full"\} (\S+)', text, re.M)
    return float(sent.group(1)) if sent else 0.0, float(dropped.group(1)) if dropped else 0.0


def main():
    gp, fwd, window, name = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    c0, g0, f0, r0, t0 = captures(), threads(gp), threads(fwd), requests(), time.time()
    time.sleep(window)
    c1, g1, f1, r1, t1 = captures(), threads(gp), threads(fwd), requests(), time.time()
    n, seconds = r1 - r0, t1 - t0
    cpu, switches = {}, {}
    for tid, (comm, ns, voluntary) in g1.items():
        _, ns0, voluntary0 = g0.get(tid, (comm, 0, 0))
        g = group(comm)
        cpu[g] = cpu.get(g, 0) + ns - ns0
        switches[g] = switches.get(g, 0) + voluntary - voluntary0
    fwd_ns = sum(ns - f0.get(tid, (comm, 0, 0))[1] for tid, (comm, ns, _) in f1.items())
    sent, dropped = c1[0] - c0[0], c1[1] - c0[1]

    def us(ns, per):
        return ns / 1000 / max(per, 1)

    print(f"{name:10s} req/s {n / seconds:7.0f} | µs/req: loop {us(cpu.get('loop', 0), n):6.2f}"
          f" link {us(cpu.get('link', 0), n):5.3f} jit {us(cpu.get('jit', 0), n):5.3f} gc {us(cpu.get('gc', 0), n):5.3f}"
          f" other {us(cpu.get('other', 0), n):5.3f} all {us(sum(cpu.values()), n):6.2f} forwarder {us(fwd_ns, n):6.2f}"
          f" | link switches/s {switches.get('link', 0) / seconds:4.0f} | per req: sent {sent / max(n, 1):5.3f}"
          f" dropped {dropped / max(n, 1):5.3f} | µs per capture sent: link {us(cpu.get('link', 0), sent):6.2f}"
          f" forwarder {us(fwd_ns, sent):6.2f} | load {open('/proc/loadavg').read().split()[0]}", flush=True)


if __name__ == "__main__":
    main()
