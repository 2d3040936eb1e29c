#!/usr/bin/env bash
# Where the keep-alive p99 comes from (small answers, or 64 KiB with URL_PATH): for each target, wrk's latency
# percentiles, the young GC pauses, the relay thread's gaps on CPU 0 and what ran in them (perf sched), and
# goproxy's CPU per request by thread.
#
# For each RUNS entry, in order: NAME:haproxy (HAProxy 2.6 mode tcp, one thread, as the harness runs it) or
# NAME:QUARKUS_APP_DIR[:VAR=value,VAR=value] (a fresh goproxy, uploading to one forwarder for the whole script).
# Pinned as run.sh pins: the target and nginx on CPU 0, wrk -t1 -c50 and the forwarder (SCHED_IDLE, FWD_SCHED as
# forwarder-sched.sh) on CPU 1. wrk warms the target for WARM s, then a second wrk measures WINDOW s (--latency)
# while perf sched records CPU 0 and thread_cpu.py reads goproxy's threads. goproxy logs its GCs (-Xlog:gc); the
# pauses inside the window are counted. Alternate the entries and compare within one run.
#
#   RUNS="hap:haproxy on:goproxy/target/quarkus-app off:goproxy/target/quarkus-app:CAPTURE_ENABLED=false" \
#     deploy/bench/tail.sh
#
# CHURN=s: one more wrk of that many s between the two (new connections: the window then starts with the second
# change of connections, not the first; the first makes the JIT recompile the relay, 2026-12-04-jit6-6.md).
# URL_PATH=/64k.bin: 64 KiB responses instead of nginx's "hello world!".
# env: WARM=15 WINDOW=8 URL_PATH=/ FWD_JAR=forwarder/target/quarkus-app/quarkus-run.jar EXTRA_OPTS (more goproxy JVM options;
# goproxy runs with its image's flags, see goproxy-jvm.sh)
# SCHED=1 (0: no perf sched). Needs: wrk nginx haproxy curl python3 perf, a JDK 17. Ports 15440-15449.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WARM=${WARM:-15}
WINDOW=${WINDOW:-8}
[ -n "${RUNS:-}" ] || { echo "set RUNS (see the head of $0)" >&2; exit 2; }
FWD_CPUS=1
source "$ROOT/deploy/bench/goproxy-jvm.sh"
source "$ROOT/deploy/bench/hello-backend.sh"
D=$(mktemp -d "${TMPDIR:-/tmp}/tail.XXXXXX")
PIDS=()
# the targets run in the loop's subshell: each writes its pid to $D/target, so that an early exit stops it too (it
# would otherwise keep the caller's flock on the bench lock open)
cleanup() {
  [ -f "$D/target" ] && kill "$(cat "$D/target")" 2>/dev/null
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if declare -F stop_bench_forwarder >/dev/null; then stop_bench_forwarder; fi
  wait 2>/dev/null || true
}
trap cleanup EXIT
cat > "$D/haproxy.cfg" <<HA
global
    nbthread 1
    maxconn 4096
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    maxconn 4096
frontend fe
    bind 127.0.0.1:15441
    default_backend be
backend be
    server origin 127.0.0.1:15440
HA
chmod 755 "$D" # nginx's workers read the 64 KiB file
head -c 65536 /dev/urandom > "$D/64k.bin"
chmod 644 "$D/64k.bin"
start_hello_backend "$D" 15440 15449 "location = /64k.bin { root $D; }"
FWD_GRPC=15447 FWD_HTTP=15448
source "$ROOT/deploy/bench/bench-forwarder.sh"
FWD=$FWD_PID
echo "dir $D  load $(cut -d' ' -f1-3 /proc/loadavg)  $(date -u +%H:%M:%S)"

# gc_pauses LOG FROM TO: young/full pauses logged between two epoch seconds: count and total ms
gc_pauses() {
  python3 - "$@" <<'PY'
import datetime, re, sys
log, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
n = total = worst = 0
for line in open(log):
    m = re.match(r"\[(\S+)\].*Pause.* ([\d.]+)ms$", line.strip())
    if m and t0 <= datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() <= t1:
        n, total, worst = n + 1, total + float(m.group(2)), max(worst, float(m.group(2)))
print(f"GC pauses in window: {n} ({n / (t1 - t0):.2f}/s), {total:.1f} ms, longest {worst:.2f} ms")
PY
}

for spec in $RUNS; do
  IFS=: read -r name app extra <<< "$spec"
  extra=${extra//,/ }
  if [ "$app" = haproxy ]; then
    taskset -c 0 haproxy -db -f "$D/haproxy.cfg" > "$D/haproxy-$name.log" 2>&1 &
    TGT=$!
    echo "$TGT" > "$D/target"
    sleep 1
  else
    # shellcheck disable=SC2086 # the flags, EXTRA_OPTS and the settings are lists
    PROXY_IN_PORT=15441 REVERSE_PROXY_HOST=127.0.0.1 REVERSE_PROXY_PORT=15440 APP_POD_NAME="tail-$name" \
      APP_LABEL=tail FORWARDER_ADDR=127.0.0.1:15447 METRICS_HTTP_PORT=15442 env $extra \
      taskset -c 0 java $GP_JVM_FLAGS "-Xlog:gc:file=$D/gc-$name.log:time" ${EXTRA_OPTS:-} \
      -jar "$app/quarkus-run.jar" > "$D/goproxy-$name.log" 2>&1 &
    TGT=$!
    echo "$TGT" > "$D/target"
    for _ in $(seq 1 100); do curl -sf http://127.0.0.1:15442/q/health/ready >/dev/null && break; sleep 0.2; done
  fi
  taskset -c 1 wrk -t1 -c50 -d"${WARM}s" "http://127.0.0.1:15441${URL_PATH:-/}" > "$D/wrk-warm-$name.txt"
  if [ "${CHURN:-0}" != 0 ]; then
    taskset -c 1 wrk -t1 -c50 -d"${CHURN}s" "http://127.0.0.1:15441${URL_PATH:-/}" > "$D/wrk-churn-$name.txt"
  fi
  taskset -c 1 wrk -t1 -c50 -d"${WINDOW}s" --latency "http://127.0.0.1:15441${URL_PATH:-/}" > "$D/wrk-$name.txt" &
  WRK=$!
  sleep 0.5
  t0=$(date +%s.%N)
  if [ "$app" = haproxy ]; then
    relay=$TGT
  else
    relay=$(for t in /proc/$TGT/task/*; do # the busiest event loop
      if [[ $(cat "$t/comm") == vert.x-eventloo* ]]; then echo "$(cut -d' ' -f1 "$t/schedstat") ${t##*/}"; fi
    done | sort -n | tail -1 | cut -d' ' -f2)
    python3 "$ROOT/deploy/bench/thread_cpu.py" "$TGT" "$FWD" "$((WINDOW - 2))" "$name" > "$D/threads-$name.txt" &
    TC=$!
  fi
  if [ "${SCHED:-1}" = 1 ]; then
    perf sched record -C 0 -o "$D/sched-$name.data" -- sleep "$((WINDOW - 2))" > /dev/null 2>&1 || true
  else
    sleep "$((WINDOW - 2))"
  fi
  t1=$(date +%s.%N)
  wait "$WRK"
  [ "$app" = haproxy ] || wait "$TC"
  echo "== $name ($app ${extra}) $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
  grep -E 'Requests/sec|^ +(50|90|99)%' "$D/wrk-$name.txt" | tr -s ' ' | tr '\n' ' '
  echo
  [ "$app" = haproxy ] || { cat "$D/threads-$name.txt"; gc_pauses "$D/gc-$name.log" "$t0" "$t1"; }
  if [ "${SCHED:-1}" = 1 ]; then
    perf sched timehist -i "$D/sched-$name.data" 2>/dev/null |
      python3 "$ROOT/deploy/bench/sched_gaps.py" "$relay" "$((WINDOW - 2))" "$name" | tail -n +2
    rm -f "$D/sched-$name.data"
  fi
  kill "$TGT"
  wait "$TGT" 2>/dev/null || true
  rm -f "$D/target"
done 2>&1 | tee "$D/tail.txt"
echo "dir $D  load $(cut -d' ' -f1-3 /proc/loadavg)  $(date -u +%H:%M:%S)"
