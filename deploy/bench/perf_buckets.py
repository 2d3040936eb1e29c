#!/usr/bin/env python3
"""goproxy's CPU per request split by component, from a `perf record -g` of its process.

usage: perf_buckets.py PERF_DATA US_PER_REQ

Record with frame pointers and a perf map, so that JIT-compiled Java frames have names and callers:
  GP_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" deploy/bench/forward.sh
  perf record -F 999 -g -p <goproxy pid> -o goproxy.perf.data -- sleep 14     # during a measured run
and pass the run's "proxy us/req" (the bench's CPU per request) as US_PER_REQ: each bucket's share of the samples
is shown as that many microseconds per request.

Why not JFR: its execution samples cover only threads running Java code. Time in the kernel (socket writes on
loopback also run the receiver's TCP path) and in BoringSSL does not show there, so Java components look several
times bigger than their share of the CPU.

A sample goes to the component that owns the innermost part of its stack: the capture (decoding and encoding,
wherever it is called from), the TLS engine (JNI and BoringSSL), a system call; otherwise the first Java frame
from the leaf decides (Netty's SslHandler, buffers, the relay, Vert.x, the rest of Netty). Threads other than the
event loops are shown by name (the forwarder link uploads the captures; C1/C2 compile; the VM thread collects).
"""
import collections
import re
import subprocess
import sys

OWNED = [  # (component, any of these in the stack), first match wins
    ("capture: decode + encode (event loop)", ("CaptureTap.onBytes", "tapline.goproxy.capture", "tapline.goproxy.outbox")),
    ("TLS engine: JNI + BoringSSL", ("ReferenceCountedOpenSslEngine", "tcnative")),
    ("kernel: send (with the loopback receiver's TCP path)", ("sendto", "__send")),
    ("kernel: recv", ("recvfrom", "__libc_recv")),
    ("kernel: epoll_wait", ("epoll_pwait", "Native.epollWait")),
]
BY_LEAF_JAVA = [  # first Java frame from the leaf
    ("Netty SslHandler (Java)", "io.netty.handler.ssl"),
    ("Netty buffers", "io.netty.buffer"),
    ("Netty buffers", "Recycler"),
    ("relay (Pipe, Relay)", "tapline.goproxy.relay"),
    ("Vert.x + metrics", "io.vertx"),
    ("Vert.x + metrics", "micrometer"),
    ("Netty channel, pipeline, event loop", "io.netty"),
]


def component(comm, frames):
    if not comm.startswith("vert.x-eventloo"):
        return "thread " + re.sub(r"[-\s]*\d*$", "", comm)
    stack = "\n".join(frames)
    for name, marks in OWNED:
        if any(m in stack for m in marks):
            return name
    for frame in frames:
        for name, mark in BY_LEAF_JAVA:
            if mark in frame:
                return name
    return "other (JVM, interpreter, unresolved)"


def main(data, us_per_req):
    script = subprocess.run(["perf", "script", "-i", data, "-F", "comm,tid,ip,sym"], capture_output=True, text=True,
                            check=True).stdout
    counts = collections.Counter()
    for sample in script.split("\n\n"):
        lines = [line.strip() for line in sample.strip().split("\n") if line.strip()]
        if not lines:
            continue
        head = re.match(r"(.*?)\s+\d+$", lines[0])
        counts[component(head.group(1) if head else lines[0], lines[1:])] += 1
    total = sum(counts.values())
    print(f"{total} samples; {us_per_req} us of goproxy CPU per request")
    for name, n in counts.most_common():
        print(f"{n * 100 / total:5.1f} %  {n * us_per_req / total:6.2f} us/req  {name}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], float(sys.argv[2]))
