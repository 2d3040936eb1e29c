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
#   GP_BASE_APP=goproxy/target/quarkus-app GP_BASE_JAVA_OPTS=-XX:+UseParallelGC deploy/bench/run.sh -x ...
#                                        # a JVM flag A/B: the same build, goproxy-base with the flag added
#                                        # (GP_JAVA_OPTS adds flags to every goproxy target)
#   TLS=1 deploy/bench/run.sh -x haproxy,goproxy,goproxy-nocap,goproxy-jdk
#                                        # HTTPS (the harness's TLS mode: throwaway CA and certificate, backend on
#                                        # TLS, HAProxy terminating and re-encrypting): goproxy targets get
#                                        # TLS_IN_UNWRAP=true with the harness's cert/key and talk TLS to the backend
#                                        # (REVERSE_PROXY_TLS=true; the backend's certificate is not verified, the
#                                        # product's default, as HAProxy's "ssl verify none"; GP_APP_CA=1 sets
#                                        # REVERSE_PROXY_CA to the harness's CA). Adds goproxy-jdk: capture on with
#                                        # the JDK's TLS provider (-Dtapline.tls.provider=jdk) instead of BoringSSL.
#                                        # Prints the provider each goproxy's start line names. No mitmdump.
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

# the forwarder goproxy's targets upload to (on the client's CPU, SCHED_IDLE: see bench-forwarder.sh)
source "$ROOT/deploy/bench/bench-forwarder.sh"
trap stop_bench_forwarder EXIT

# A JVM keeps compiling for tens of seconds under a new load: give every target a longer warm-up than the
# harness's 2 s default (same for all targets).
export WARMUP="${WARMUP:-8}"

source "$ROOT/deploy/bench/goproxy-jvm.sh"
# gp_java [JVM OPTION] QUARKUS_APP_DIR: the goproxy command line, the same JVM flags for every goproxy target
gp_java() { echo "java $GP_JVM_FLAGS ${GP_JAVA_OPTS:-} ${2:+$1} -jar ${2:-$1}/quarkus-run.jar"; }
GP=$(gp_java "$ROOT/goproxy/target/quarkus-app")
GP_ENV='env PROXY_IN_PORT=$PORT REVERSE_PROXY_HOST=$BACKEND_HOST REVERSE_PROXY_PORT=$BACKEND_PORT APP_POD_NAME=bench'
GP_VERIFY="sleep 3; python3 $ROOT/deploy/bench/count_captures.py $FWD_DIR/captures.db"
TARGETS=haproxy,goproxy,goproxy-4k,goproxy-nocap,mitmdump
SPECS=()
# gp_target NAME PORT SETTINGS COMMAND: a goproxy target uploading to the bench forwarder (METRICS port = PORT+100);
# its captures are counted unless SETTINGS turn capture off
gp_target() {
  SPECS+=(-t "$1=127.0.0.1:$2 $GP_ENV $3 FORWARDER_ADDR=127.0.0.1:$FWD_GRPC METRICS_HTTP_PORT=$(($2 + 100)) $4")
  [[ $3 == *CAPTURE_ENABLED=false* ]] || SPECS+=(-t "$1.verify=$GP_VERIFY")
}
if [ "${TLS:-0}" = 1 ]; then
  # TLS_CERT, TLS_KEY and TLS_CA are exported by the harness to the target commands (expanded there)
  GP_ENV+=' TLS_IN_UNWRAP=true TLS_IN_PUBLIC_KEY=$TLS_CERT TLS_IN_PRIVATE_KEY=$TLS_KEY REVERSE_PROXY_TLS=true'
  [ "${GP_APP_CA:-0}" = 1 ] && GP_ENV+=' REVERSE_PROXY_CA=$TLS_CA'
  TARGETS=haproxy,goproxy,goproxy-4k,goproxy-nocap,goproxy-jdk
fi
gp_target goproxy 15004 APP_LABEL=bench "$GP"
gp_target goproxy-4k 15006 "APP_LABEL=bench-4k CAPTURE_BODY_BYTES=4K" "$GP"
gp_target goproxy-nocap 15005 "APP_LABEL=bench-nocap CAPTURE_ENABLED=false" "$GP"
if [ "${TLS:-0}" = 1 ]; then
  gp_target goproxy-jdk 15008 APP_LABEL=bench-jdk "$(gp_java -Dtapline.tls.provider=jdk "$ROOT/goproxy/target/quarkus-app")"
fi
if [ -n "${GP_BASE_APP:-}" ]; then
  [ -f "$GP_BASE_APP/quarkus-run.jar" ] || { echo "GP_BASE_APP: no quarkus-run.jar in $GP_BASE_APP" >&2; exit 2; }
  gp_target goproxy-base 15007 APP_LABEL=bench-base "$(gp_java "${GP_BASE_JAVA_OPTS:-}" "$GP_BASE_APP")"
  TARGETS+=,goproxy-base
fi
# The results dir: the caller's -o, else one chosen here (the harness's default form), so that the goproxy logs
# can be read after the run
OUT=
prev=
for a in "$@"; do [ "$prev" = -o ] && OUT=$a; prev=$a; done
OUT_ARGS=()
[ -n "$OUT" ] || { OUT=${TMPDIR:-/tmp}/bench-results/$(date +%Y%m%d-%H%M%S); OUT_ARGS=(-o "$OUT"); }
"$HARNESS" -x "$TARGETS" "${OUT_ARGS[@]}" "$@" "${SPECS[@]}"
if [ "${TLS:-0}" = 1 ]; then
  echo "TLS provider per goproxy target (its 'TLS unwrap on' start line):"
  for log in "$OUT"/logs/goproxy*.log; do
    printf '  %s: %s\n' "$(basename "$log" .log)" "$(grep -m1 'TLS unwrap on' "$log" || echo 'no TLS unwrap line')"
  done
fi
