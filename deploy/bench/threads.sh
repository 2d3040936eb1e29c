#!/usr/bin/env bash
# goproxy's CPU per request split by thread, capture on, builds or settings side by side: the event loop (relay,
# decode, encode, batching), the forwarder link (the upload), the JIT compilers, the GC; and the forwarder's CPU per
# request. The end-to-end bench (run.sh) cannot resolve a few tenths of a µs on a loaded machine; one thread's
# CPU time can.
#
# For each RUNS entry, NAME:QUARKUS_APP_DIR[:VAR=value,VAR=value], in order: a fresh goproxy (capture on, uploading
# to one forwarder for the whole script) gets WARM s of load, then over WINDOW s every thread's CPU time
# (/proc/<pid>/task/<tid>/schedstat) and voluntary switches, the forwarder's CPU time, goproxy's capture counters
# and nginx's request count are read. Pinned as run.sh pins: goproxy and nginx on CPU 0, wrk -t1 -c50 and the
# forwarder (SCHED_IDLE) on CPU 1. Alternate the entries (A B A B) and compare within one run.
#
#   RUNS="base:/tmp/gp-old new:goproxy/target/quarkus-app base:/tmp/gp-old new:goproxy/target/quarkus-app" \
#     deploy/bench/threads.sh
#   RUNS="a:goproxy/target/quarkus-app b:goproxy/target/quarkus-app:CAPTURE_BATCH_RECORDS=4096" deploy/bench/threads.sh
#   URL_PATH=/64k.bin ...     # 64 KiB responses instead of nginx's "hello world!"
#   PERF=1 EXTRA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PreserveFramePointer" ...
#                             # then perf record -g of goproxy for another WINDOW s (perf-NAME.data in the run dir)
#
# env: WARM=15 WINDOW=8 URL_PATH=/ FWD_JAR=forwarder/target/quarkus-app/quarkus-run.jar EXTRA_OPTS PERF=0
# Needs: wrk nginx curl python3 (perf for PERF=1), a JDK 17, the packaged forwarder. Ports 15440-15449 on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source "$ROOT/deploy/bench/goproxy-jvm.sh"
source "$ROOT/deploy/bench/hello-backend.sh"
WARM=${WARM:-15}
WINDOW=${WINDOW:-8}
[ -n "${RUNS:-}" ] || { echo "set RUNS (see the head of $0)" >&2; exit 2; }
D=$(mktemp -d "${TMPDIR:-/tmp}/threads.XXXXXX")
chmod 755 "$D" # nginx's workers read the 64 KiB file
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; if declare -F stop_bench_forwarder >/dev/null; then stop_bench_forwarder; fi; wait 2>/dev/null || true; }
trap cleanup EXIT
head -c 65536 /dev/urandom > "$D/64k.bin"
chmod 644 "$D/64k.bin"
start_hello_backend "$D" 15440 15449 "location = /64k.bin { root $D; }"
FWD_GRPC=15447 FWD_HTTP=15448 FWD_CPUS=1
source "$ROOT/deploy/bench/bench-forwarder.sh"
FWD=$FWD_PID
echo "dir $D  load $(cut -d' ' -f1-3 /proc/loadavg)  $(date -u +%H:%M:%S)"
for spec in $RUNS; do
  IFS=: read -r name app extra <<< "$spec"
  extra=${extra//,/ }
  # shellcheck disable=SC2086 # EXTRA_OPTS and the settings are lists
  PROXY_IN_PORT=15441 REVERSE_PROXY_HOST=127.0.0.1 REVERSE_PROXY_PORT=15440 APP_POD_NAME="threads-$name" \
    APP_LABEL=threads FORWARDER_ADDR=127.0.0.1:15447 METRICS_HTTP_PORT=15442 env $extra \
    taskset -c 0 java $GP_JVM_FLAGS ${EXTRA_OPTS:-} -jar "$app/quarkus-run.jar" > "$D/goproxy-$name.log" 2>&1 &
  GP=$!
  for _ in $(seq 1 100); do curl -sf http://127.0.0.1:15442/q/health/ready >/dev/null && break; sleep 0.2; done
  taskset -c 1 wrk -t1 -c50 -d$((WARM + WINDOW + 1 + ${PERF:-0} * (WINDOW + 1)))s "http://127.0.0.1:15441${URL_PATH:-/}" \
    > "$D/wrk-$name.txt" &
  WRK=$!
  sleep "$WARM"
  python3 "$ROOT/deploy/bench/thread_cpu.py" "$GP" "$FWD" "$WINDOW" "$name" | tee -a "$D/threads.txt"
  if [ "${PERF:-0}" = 1 ]; then
    perf record -F 1999 -g -p "$GP" -o "$D/perf-$name.data" -- sleep "$WINDOW" > /dev/null 2>&1 || true
  fi
  wait "$WRK"
  kill "$GP"
  wait "$GP" 2>/dev/null || true
done
echo "dir $D  load $(cut -d' ' -f1-3 /proc/loadavg)  $(date -u +%H:%M:%S)"
