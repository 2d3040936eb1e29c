#!/usr/bin/env bash
# Benchmarks goproxy against its peers on loopback, in one interleaved run, with the shared harness
# (../shared/bench/bench.sh: wrk → target → nginx backend). Targets: direct, HAProxy (mode tcp), goproxy with
# capture on (uploading to a real forwarder; also with CAPTURE_BODY_BYTES=4K), goproxy with capture off, mitmdump
# (reverse mode, writing flows).
# After the run, goproxy's captures are counted in the forwarder's store per wrk run (capture completeness).
#
#   deploy/bench/run.sh                  # 3 rounds x 3 scenarios x 8 s
#   deploy/bench/run.sh -r 1 -d 5        # any bench.sh option is passed on
#   BENCH_HARNESS=/path/to/bench.sh deploy/bench/run.sh
#   GP_BASE_APP=/tmp/gp-old deploy/bench/run.sh -x haproxy,goproxy,goproxy-base -s 'small big' -r 4
#                                        # A/B: adds goproxy-base, another build's quarkus-app dir (a copy made
#                                        # before the change), capture on, same settings and forwarder
#
# Needs: wrk nginx libnginx-mod-stream haproxy mitmproxy curl python3 (Debian packages), a JDK 17.
# Writes the harness's results dir (printed at the end); BENCHMARKS.md quotes a run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HARNESS="${BENCH_HARNESS:-$ROOT/../shared/bench/bench.sh}"
[ -x "$HARNESS" ] || { echo "no benchmark harness at $HARNESS (set BENCH_HARNESS)" >&2; exit 2; }

if [ ! -f goproxy/target/quarkus-app/quarkus-run.jar ] || [ ! -f forwarder/target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q -DskipTests package -pl goproxy,forwarder -am
fi

FWD_DIR=$(mktemp -d /tmp/tapline-bench-fwd.XXXXXX)
FWD_GRPC=15888
FWD_HTTP=15889
# In production the forwarder runs on another machine. Here it runs on the client's CPU (FWD_CPUS, default the
# harness's WRK_CPUS) under SCHED_IDLE (FWD_SCHED, see forwarder-sched.sh), off the proxy's core, taking the time
# wrk leaves idle. Its CPU is not in goproxy's us/req figures; the run prints it separately (forwarder CPU
# us/capture).
FWD_CPUS="${FWD_CPUS:-${WRK_CPUS:-1}}"
source "$ROOT/deploy/bench/forwarder-sched.sh"
FWD_PIN=()
[ "${PIN:-1}" = 0 ] || [ "$FWD_CPUS" = none ] || FWD_PIN=(taskset -c "$FWD_CPUS")
SERVICE_PORT=$FWD_GRPC HTTP_PORT=$FWD_HTTP DATA_DIR=$FWD_DIR RETENTION_BYTES=0 RETENTION_AGE=0 \
  "${FWD_PRIORITY[@]}" "${FWD_PIN[@]}" java -Xms512m -Xmx512m -jar forwarder/target/quarkus-app/quarkus-run.jar > "$FWD_DIR/forwarder.log" 2>&1 &
FWD_PID=$!
# the store grows by GBs per run (64 KiB bodies, no retention): removed at the end unless KEEP_FWD_DIR=1
trap 'kill $FWD_PID 2>/dev/null || true; wait $FWD_PID 2>/dev/null || true; [ "${KEEP_FWD_DIR:-0}" = 1 ] || rm -rf "$FWD_DIR"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$FWD_HTTP/q/health/ready" >/dev/null && break; sleep 0.2; done

# A JVM keeps compiling for tens of seconds under a new load: give every target a longer warm-up than the
# harness's 2 s default (same for all targets).
export WARMUP="${WARMUP:-8}"

GP="java -Xms512m -Xmx512m ${GP_JAVA_OPTS:-} -jar $ROOT/goproxy/target/quarkus-app/quarkus-run.jar"
GP_ENV='env PROXY_IN_PORT=$PORT REVERSE_PROXY_HOST=$BACKEND_HOST REVERSE_PROXY_PORT=$BACKEND_PORT APP_POD_NAME=bench'
TARGETS=haproxy,goproxy,goproxy-4k,goproxy-nocap,mitmdump
BASE_SPECS=()
if [ -n "${GP_BASE_APP:-}" ]; then
  [ -f "$GP_BASE_APP/quarkus-run.jar" ] || { echo "GP_BASE_APP: no quarkus-run.jar in $GP_BASE_APP" >&2; exit 2; }
  GP_BASE="java -Xms512m -Xmx512m ${GP_JAVA_OPTS:-} -jar $GP_BASE_APP/quarkus-run.jar"
  BASE_SPECS=(-t "goproxy-base=127.0.0.1:15007 $GP_ENV APP_LABEL=bench-base FORWARDER_ADDR=127.0.0.1:$FWD_GRPC METRICS_HTTP_PORT=15107 $GP_BASE"
              -t "goproxy-base.verify=sleep 3; python3 $ROOT/deploy/bench/count_captures.py $FWD_DIR/captures.db")
  TARGETS+=,goproxy-base
fi
"$HARNESS" -x "$TARGETS" "$@" \
  -t "goproxy=127.0.0.1:15004 $GP_ENV APP_LABEL=bench FORWARDER_ADDR=127.0.0.1:$FWD_GRPC METRICS_HTTP_PORT=15104 $GP" \
  -t "goproxy.verify=sleep 3; python3 $ROOT/deploy/bench/count_captures.py $FWD_DIR/captures.db" \
  -t "goproxy-4k=127.0.0.1:15006 $GP_ENV APP_LABEL=bench-4k CAPTURE_BODY_BYTES=4K FORWARDER_ADDR=127.0.0.1:$FWD_GRPC METRICS_HTTP_PORT=15106 $GP" \
  -t "goproxy-4k.verify=sleep 3; python3 $ROOT/deploy/bench/count_captures.py $FWD_DIR/captures.db" \
  -t "goproxy-nocap=127.0.0.1:15005 $GP_ENV APP_LABEL=bench-nocap CAPTURE_ENABLED=false FORWARDER_ADDR=127.0.0.1:$FWD_GRPC METRICS_HTTP_PORT=15105 $GP" \
  "${BASE_SPECS[@]}"
