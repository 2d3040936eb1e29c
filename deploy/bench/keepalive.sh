#!/usr/bin/env bash
# Where a keep-alive request's cost goes, per proxy: HAProxy (mode tcp, nbthread 1), goproxy with capture on (a
# real forwarder on the client's CPU under SCHED_IDLE, see FWD_SCHED in forwarder-sched.sh, as in run.sh) and
# goproxy with capture off, interleaved, ROUNDS times. Small requests (nginx "hello world!"), wrk with 50
# connections, pinned as run.sh pins them: proxy and nginx on CPU 0, wrk (and the forwarder) on CPU 1.
#
# For each run, over a window of steady load: requests (nginx's own count, stub_status), the proxy's CPU per
# request, context switches per request of the proxy (voluntary: it waited; involuntary: it was preempted) and of
# nginx, and each CPU's idle time. With SYSCALLS=1, a second window counts the proxy's system calls per request
# (perf trace -s; tracing slows everything, so that window's rate is not a throughput).
#
#   deploy/bench/keepalive.sh                       # 2 rounds
#   ROUNDS=3 SYSCALLS=1 deploy/bench/keepalive.sh
#   SCHED_AB=1 deploy/bench/keepalive.sh            # also capture on with the forwarder at nice 10 (FWD_SCHED=nice
#                                                   # swaps the two), switched on the running forwarder for that run
#
# Needs: wrk nginx haproxy curl python3 (Debian packages), perf for SYSCALLS=1, a JDK 17, the packaged goproxy and
# forwarder. Ports 15320-15329 on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source "$ROOT/deploy/bench/goproxy-jvm.sh"
source "$ROOT/deploy/bench/hello-backend.sh"
ROUNDS="${ROUNDS:-2}"
WINDOW="${WINDOW:-8}"
WARM="${WARM:-15}"
for bin in wrk nginx haproxy curl python3 java; do command -v "$bin" >/dev/null || { echo "$bin not found" >&2; exit 2; }; done
[ "${SYSCALLS:-0}" = 0 ] || command -v perf >/dev/null || { echo "perf not found (SYSCALLS=1)" >&2; exit 2; }
for app in goproxy forwarder; do
  [ -f "$app/target/quarkus-app/quarkus-run.jar" ] || { echo "build first: ./mvnw -B -DskipTests package -pl goproxy,forwarder -am" >&2; exit 2; }
done

source "$ROOT/deploy/bench/forwarder-sched.sh"

DIR=$(mktemp -d /tmp/tapline-keepalive.XXXXXX)
PIDS=()
PROXY_PID= # the proxy being measured
cleanup() {
  for p in "${PIDS[@]}" $PROXY_PID; do kill "$p" 2>/dev/null || true; done
  if declare -F stop_bench_forwarder >/dev/null; then stop_bench_forwarder; fi
  wait 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT

start_hello_backend "$DIR" 15320 15329
sleep 0.5
NGINX_WORKER=$(pgrep -P "${PIDS[0]}" | head -1)

FWD_GRPC=15327 FWD_HTTP=15328 FWD_CPUS=1
source "$ROOT/deploy/bench/bench-forwarder.sh"

cat > "$DIR/haproxy.cfg" <<EOF
global
  nbthread 1
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
listen relay
  bind 127.0.0.1:15321
  server app 127.0.0.1:15320
EOF

# proxy PID, name, then prints one result line
measure() {
  local pid=$1 name=$2
  taskset -c 1 wrk -t1 -c50 -d$((WARM + WINDOW + 2 + ${SYSCALLS:-0} * 7))s http://127.0.0.1:15321/ > "$DIR/wrk.txt" &
  local wrk=$!
  sleep "$WARM"
  python3 - "$pid" "$NGINX_WORKER" "$WINDOW" "$name" <<'PY'
import os, re, sys, time, urllib.request
pid, nginx, window, name = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
def requests():
    text = urllib.request.urlopen("http://127.0.0.1:15329/").read().decode()
    return int(text.split("\n")[2].split()[2])
def process(p):  # CPU ticks and switches over all threads
    ticks = vol = invol = 0
    for tid in os.listdir(f"/proc/{p}/task"):
        try:
            stat = open(f"/proc/{p}/task/{tid}/stat").read()
            f = stat[stat.rindex(")") + 2:].split()
            ticks += int(f[11]) + int(f[12])
            status = open(f"/proc/{p}/task/{tid}/status").read()
            vol += int(re.search(r"^voluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1))
            invol += int(re.search(r"^nonvoluntary_ctxt_switches:\s+(\d+)", status, re.M).group(1))
        except (FileNotFoundError, ProcessLookupError):
            pass
    return ticks, vol, invol
def cpus():
    return {l.split()[0]: list(map(int, l.split()[1:9])) for l in open("/proc/stat") if re.match(r"cpu\d", l)}
r0, p0, n0, c0 = requests(), process(pid), process(nginx), cpus()
time.sleep(window)
r1, p1, n1, c1 = requests(), process(pid), process(nginx), cpus()
n = r1 - r0 - 1  # the stub_status request itself
hz = os.sysconf("SC_CLK_TCK")
idle = []
for c in sorted(c0):
    d = [b - a for a, b in zip(c0[c], c1[c])]
    idle.append(f"{100 * (d[3] + d[4]) / max(1, sum(d)):.1f}")
print(f"{name:16s} {n / window:9,.0f} {1e6 * (p1[0] - p0[0]) / hz / n:9.1f} {(p1[1] - p0[1]) / n:8.3f} "
      f"{(p1[2] - p0[2]) / n:8.3f} {(n1[1] - n0[1]) / n:8.3f} {(n1[2] - n0[2]) / n:8.3f}   {' / '.join(idle)}")
PY
  if [ "${SYSCALLS:-0}" = 1 ]; then
    # nginx is traced over the same window: its responses (one writev each) count the requests
    perf trace -s -p "$NGINX_WORKER" -o "$DIR/nginx-trace.txt" -- sleep 5 >/dev/null 2>&1 &
    local nginx_trace=$!
    perf trace -s -p "$pid" -o "$DIR/trace.txt" -- sleep 5 >/dev/null 2>&1 || true
    wait "$nginx_trace" || true
    python3 - "$DIR/trace.txt" "$DIR/nginx-trace.txt" "$name" >> "$DIR/syscalls.txt" <<'PY'
import re, sys, collections
def calls(path):
    counted = collections.Counter()
    try:
        lines = open(path).readlines()
    except FileNotFoundError:  # perf trace failed
        lines = []
    for line in lines:
        m = re.match(r"\s+(\w+)\s+(\d+)\s+\d+\s+[\d.]+", line)
        if m:
            counted[m.group(1)] += int(m.group(2))
    return counted
proxy, nginx = calls(sys.argv[1]), calls(sys.argv[2])
n = nginx["writev"] + nginx["write"] + nginx["sendfile"]
if n == 0:
    print(f"{sys.argv[3]:16s} no nginx responses traced: perf trace failed (perf_event_paranoid? run as root)")
    sys.exit(0)
work = {k: v for k, v in proxy.items() if k not in ("futex", "epoll_wait", "epoll_pwait", "epoll_pwait2")}
waits = sum(v for k, v in proxy.items() if k.startswith("epoll_"))
top = ", ".join(f"{k} {v / n:.3f}" for k, v in sorted(work.items(), key=lambda kv: -kv[1])[:4])
print(f"{sys.argv[3]:16s} {sum(work.values()) / n:6.2f} per request ({top}); epoll waits {waits / n:.3f}; "
      f"nginx's epoll waits {sum(v for k, v in nginx.items() if k.startswith('epoll_')) / n:.3f}")
PY
  fi
  wait "$wrk"
}

# The forwarder's scheduling, switched on every thread of the running forwarder: idle (SCHED_IDLE) or nice.
forwarder_sched() {
  local tid
  for tid in $(ls "/proc/$FWD_PID/task"); do
    if [ "$1" = idle ]; then
      chrt --idle -p 0 "$tid" > /dev/null 2>&1 || true
    else
      chrt --other -p 0 "$tid" > /dev/null 2>&1 || true
      renice -n "${FWD_NICE:-10}" -p "$tid" > /dev/null 2>&1 || true
    fi
  done
}
# goproxy runs per round: capture on (forwarder as FWD_SCHED says), capture off; with SCHED_AB=1 also capture on
# with the forwarder under the other scheduling, switched for that run only
GOPROXY_RUNS=(goproxy goproxy-nocap)
if [ "${SCHED_AB:-0}" = 1 ]; then
  GOPROXY_RUNS=(goproxy "goproxy-fwd-$([ "${FWD_SCHED:-idle}" = idle ] && echo nice || echo idle)" goproxy-nocap)
fi

echo "date: $(date -u +%FT%TZ)  host: $(uname -r)  cpus: $(nproc)"
echo "window ${WINDOW}s after ${WARM}s of load; switches and CPU per request; idle % of CPU 0 / CPU 1"
printf '%-16s %9s %9s %8s %8s %8s %8s   %s\n' target "req/s" "cpu us" "vol" "invol" "ngx vol" "ngx inv" "idle cpu0 / cpu1"
for round in $(seq 1 "$ROUNDS"); do
  taskset -c 0 haproxy -db -f "$DIR/haproxy.cfg" > "$DIR/haproxy.log" 2>&1 &
  PROXY_PID=$!
  sleep 0.5
  measure "$PROXY_PID" haproxy
  kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true
  for run in "${GOPROXY_RUNS[@]}"; do
    capture=true
    case "$run" in
      goproxy-nocap) capture=false ;;
      goproxy-fwd-*) forwarder_sched "${run#goproxy-fwd-}" ;;
    esac
    PROXY_IN_PORT=15321 REVERSE_PROXY_HOST=127.0.0.1 REVERSE_PROXY_PORT=15320 APP_POD_NAME=keepalive APP_LABEL=keepalive \
      FORWARDER_ADDR=127.0.0.1:15327 METRICS_HTTP_PORT=15322 CAPTURE_ENABLED=$capture \
      taskset -c 0 java $GP_JVM_FLAGS -jar "$ROOT/goproxy/target/quarkus-app/quarkus-run.jar" > "$DIR/goproxy.log" 2>&1 &
    PROXY_PID=$!
    for _ in $(seq 1 100); do curl -sf http://127.0.0.1:15322/q/health/ready >/dev/null && break; sleep 0.2; done
    measure "$PROXY_PID" "$run"
    kill "$PROXY_PID"; wait "$PROXY_PID" 2>/dev/null || true
    forwarder_sched "${FWD_SCHED:-idle}"
  done
done
if [ -f "$DIR/syscalls.txt" ]; then
  echo "system calls of the proxy per request (futex and epoll waits left out; perf trace -s, ${WARM}s into the load)"
  cat "$DIR/syscalls.txt"
fi
