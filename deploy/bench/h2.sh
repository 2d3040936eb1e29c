#!/usr/bin/env bash
# HTTP/2 benchmark (issue 22): h2load over h2c (prior knowledge) through goproxy with capture on (uploading to a
# real forwarder) and capture off, against HAProxy (mode tcp, the shared harness's config) and direct, in one
# run, the targets interleaved and their order rotated each round. Scenarios:
#   small  GET /small, 13 B, from nginx (HTTP/2 on a plain listener, nginx-h2c.conf.in)
#   big    GET /static/64k.bin, 65536 B, from the same nginx
#   grpc   unary gRPC calls, 15-byte messages each way, to a grpcio server (grpc_unary_server.py)
# Each run: h2load with CONNS connections x STREAMS concurrent streams (-m) for DUR s, tagged per run with an
# x-bench-run header; req/s and 2xx from h2load, p50/p99 from its per-request log (--log-file), proxy CPU from
# /proc. At the end the forwarder's store is counted per tag: captured streams / requests h2load saw succeed.
#
#   BENCH_HARNESS=/work/shared/bench/bench.sh deploy/bench/h2.sh     # 3 rounds x 3 scenarios x 8 s
#   ROUNDS=5 DUR=10 SCENARIOS='small grpc' CONNS=4 STREAMS=100 deploy/bench/h2.sh
#   GP_BASE_APP=/tmp/gp-old deploy/bench/h2.sh   # A/B: adds goproxy-base, another build's quarkus-app dir (a
#                                                # copy made before the change), capture on, same forwarder
#                                                # (GP_BASE_JAVA_OPTS: flags for it alone, GP_JAVA_OPTS: for all)
#
# Pinning as the shared harness pins (PIN=1): backends and proxies on SERVER_CPUS (0), h2load on CLIENT_CPUS (1)
# with one thread, the forwarder on CLIENT_CPUS under SCHED_IDLE (bench-forwarder.sh). The JVM flags are run.sh's.
# Needs: nghttp2-client (h2load) nginx haproxy python3-grpcio curl (Debian), a JDK 17, the harness's haproxy
# template. Results: OUT (default /tmp/bench-results/h2-<time>): results.tsv, summary.txt, raw/, logs/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source "$ROOT/deploy/bench/goproxy-jvm.sh"
HARNESS_DIR=$(dirname "${BENCH_HARNESS:-$ROOT/../shared/bench/bench.sh}")
[ -f "$HARNESS_DIR/conf/haproxy.cfg.in" ] || { echo "no harness at $HARNESS_DIR (set BENCH_HARNESS)" >&2; exit 2; }
for bin in h2load nginx haproxy curl taskset; do command -v "$bin" >/dev/null || { echo "$bin not found" >&2; exit 2; }; done
PY=/usr/bin/python3 # Debian's, which has python3-grpcio
ROUNDS="${ROUNDS:-3}"
DUR="${DUR:-8}"
WARMUP="${WARMUP:-8}" # per target and scenario, before round 1: the JVMs compile under the new load
CONNS="${CONNS:-4}"
STREAMS="${STREAMS:-100}"
SCENARIOS="${SCENARIOS:-small big grpc}"
SERVER_CPUS="${SERVER_CPUS:-0}"
CLIENT_CPUS="${CLIENT_CPUS:-1}"
OUT="${OUT:-${TMPDIR:-/tmp}/bench-results/h2-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT/raw" "$OUT/logs"
SERVER_PIN=() CLIENT_PIN=()
if [ "${PIN:-1}" = 1 ]; then SERVER_PIN=(taskset -c "$SERVER_CPUS"); CLIENT_PIN=(taskset -c "$CLIENT_CPUS"); fi
export WRK_CPUS=$CLIENT_CPUS # the forwarder's CPU (bench-forwarder.sh)

if [ ! -f goproxy/target/quarkus-app/quarkus-run.jar ] || [ ! -f forwarder/target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q -DskipTests package -pl goproxy,forwarder -am
fi

# ports: away from run.sh's (15000-15108, 15888) so that both can be run on one machine, not at once
NGINX_PORT=15300 GRPC_PORT=15301
declare -A PORT=([direct]=0 [haproxy]=15310 [goproxy]=15311 [goproxy-nocap]=15312 [goproxy-base]=15313)
TARGETS=(direct haproxy goproxy goproxy-nocap)
GOPROXIES=(goproxy goproxy-nocap)
declare -A GP_APP=([goproxy]=goproxy/target/quarkus-app [goproxy-nocap]=goproxy/target/quarkus-app)
if [ -n "${GP_BASE_APP:-}" ]; then # A/B: another build's quarkus-app dir (a copy made before a change), capture on
  [ -f "$GP_BASE_APP/quarkus-run.jar" ] || { echo "GP_BASE_APP: no quarkus-run.jar in $GP_BASE_APP" >&2; exit 2; }
  TARGETS+=(goproxy-base); GOPROXIES+=(goproxy-base); GP_APP[goproxy-base]=$GP_BASE_APP
fi
FWD_GRPC=15788 FWD_HTTP=15789
source "$ROOT/deploy/bench/bench-forwarder.sh"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  stop_bench_forwarder
}
trap cleanup EXIT
log() { echo "[$(date +%H:%M:%S)] $*" | tee -a "$OUT/console.log"; }

# start NAME COMMAND...: a server process on the server CPUs, its output in logs/NAME.log; sets STARTED
start() {
  local name=$1; shift
  "${SERVER_PIN[@]}" "$@" > "$OUT/logs/$name.log" 2>&1 &
  STARTED=$!
  PIDS+=("$STARTED")
}
await_port() { # await_port PORT: until something accepts on it (30 s)
  for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.2; done
  echo "nothing listens on $1" >&2; exit 1
}

# backends: nginx (h2c) and the gRPC server
NDIR="$OUT/nginx"
mkdir -p "$NDIR/www/static" "$NDIR/tmp"
head -c 65536 /dev/urandom > "$NDIR/www/static/64k.bin"
sed -e "s|@DIR@|$NDIR|g" -e "s|@PORT@|$NGINX_PORT|g" deploy/bench/nginx-h2c.conf.in > "$NDIR/nginx.conf"
start nginx nginx -e "$NDIR/error.log" -p "$NDIR" -c "$NDIR/nginx.conf"
start grpc "$PY" deploy/bench/grpc_unary_server.py "$GRPC_PORT"
await_port "$NGINX_PORT"; await_port "$GRPC_PORT"
GRPC_BODY="$OUT/grpc-request.bin"
printf '\x00\x00\x00\x00\x0d\x0a\x0bhello bench' > "$GRPC_BODY" # one uncompressed message: field 1 = "hello bench"

# the proxies of one backend port: HAProxy with the harness's template, goproxy with capture on and off
declare -A TPID
start_targets() { # start_targets BACKEND_PORT PHASE
  local backend=$1 phase=$2 hdir="$OUT/haproxy-$2"
  mkdir -p "$hdir"
  sed -e "s|@HOST@|127.0.0.1|; s|@PORT@|${PORT[haproxy]}|; s|@BIND_SSL@||; s|@BACKEND_HOST@|127.0.0.1|" \
    -e "s|@BACKEND_PORT@|$backend|; s|@SERVER_SSL@||" "$HARNESS_DIR/conf/haproxy.cfg.in" > "$hdir/haproxy.cfg"
  start "haproxy-$phase" haproxy -db -f "$hdir/haproxy.cfg"; TPID[haproxy]=$STARTED
  local t capture
  for t in "${GOPROXIES[@]}"; do
    capture=true; [ "$t" = goproxy-nocap ] && capture=false
    start "$t-$phase" env PROXY_IN_PORT="${PORT[$t]}" REVERSE_PROXY_HOST=127.0.0.1 REVERSE_PROXY_PORT="$backend" \
      APP_POD_NAME=bench APP_LABEL="bench-$t" CAPTURE_ENABLED=$capture FORWARDER_ADDR="127.0.0.1:$FWD_GRPC" \
      METRICS_HTTP_PORT=$((PORT[$t] + 100)) java $GP_JVM_FLAGS ${GP_JAVA_OPTS:-} \
      $([ "$t" = goproxy-base ] && echo "${GP_BASE_JAVA_OPTS:-}") -jar "${GP_APP[$t]}/quarkus-run.jar"
    TPID[$t]=$STARTED
  done
  for t in haproxy "${GOPROXIES[@]}"; do await_port "${PORT[$t]}"; done
  PORT[direct]=$backend
  TPID[direct]=${BACKEND_PID[$phase]}
}
stop_targets() {
  local t
  for t in haproxy "${GOPROXIES[@]}"; do kill "${TPID[$t]}"; wait "${TPID[$t]}" 2>/dev/null || true; done
}

cpu_ticks() { # CPU ticks used so far by a process and its children (nginx's worker, env's java)
  local p t=0
  for p in "$1" $(pgrep -P "$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done
  echo "$t"
}

# h2run TAG TARGET SCENARIO SECONDS: one h2load run, its output in raw/TAG.txt, its per-request log in raw/TAG.log
h2run() {
  local tag=$1 target=$2 scenario=$3 secs=$4 url args=()
  case $scenario in
    small) url=/small ;;
    big) url=/static/64k.bin ;;
    grpc) url=/bench.Echo/Say; args=(-d "$GRPC_BODY" -H 'content-type: application/grpc' -H 'te: trailers') ;;
  esac
  "${CLIENT_PIN[@]}" h2load -t 1 -c "$CONNS" -m "$STREAMS" -D "$secs" --log-file "$OUT/raw/$tag.log" \
    -H "x-bench-run: $tag" "${args[@]}" "http://127.0.0.1:${PORT[$target]}$url" > "$OUT/raw/$tag.txt" 2>&1 || true
}

printf 'round\tscenario\ttarget\ttag\trps\tsucceeded\tfailed\tproxy_cpu_us_req\n' > "$OUT/results.tsv"
measure() { # measure ROUND SCENARIO TARGET
  local tag="r$1.$2.$3" pid=${TPID[$3]} c0 c1 rps ok failed
  c0=$(cpu_ticks "$pid")
  h2run "$tag" "$3" "$2" "$DUR"
  c1=$(cpu_ticks "$pid")
  rps=$(sed -n 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$OUT/raw/$tag.txt")
  ok=$(sed -n 's/^requests: .* \([0-9]*\) succeeded, \([0-9]*\) failed.*/\1/p' "$OUT/raw/$tag.txt")
  failed=$(sed -n 's/^requests: .* \([0-9]*\) failed.*/\1/p' "$OUT/raw/$tag.txt")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$tag" "${rps:-0}" "${ok:-0}" "${failed:-0}" \
    "$(awk -v d=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" -v n="${ok:-0}" 'BEGIN { printf "%.1f", n ? d / hz * 1e6 / n : 0 }')" \
    >> "$OUT/results.tsv"
  log "$tag: ${rps:-?} req/s, ${ok:-?} ok, ${failed:-?} failed"
}

{ echo "date: $(date -u +%FT%TZ)"; echo "h2load: $(h2load --version)"; echo "nginx: $(nginx -v 2>&1)"
  echo "haproxy: $(haproxy -v | head -1)"; echo "grpcio: $("$PY" -c 'import grpc; print(grpc.__version__)')"
  echo "java: $(java -version 2>&1 | head -1)"; echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo)"
  echo "load before: $(cat /proc/loadavg)"
  echo "rounds=$ROUNDS dur=$DUR warmup=$WARMUP conns=$CONNS streams=$STREAMS pin=${PIN:-1} server=$SERVER_CPUS client=$CLIENT_CPUS"
} > "$OUT/env.txt"
cat "$OUT/env.txt"

declare -A BACKEND_PID=([http]=${PIDS[0]} [grpc]=${PIDS[1]})
for phase in http grpc; do
  phase_scenarios=()
  for s in $SCENARIOS; do
    s_phase=http; [ "$s" = grpc ] && s_phase=grpc
    [ "$s_phase" = "$phase" ] && phase_scenarios+=("$s")
  done
  [ ${#phase_scenarios[@]} -gt 0 ] || continue
  backend=$NGINX_PORT; [ "$phase" = grpc ] && backend=$GRPC_PORT
  log "phase $phase (backend :$backend): starting the targets"
  start_targets "$backend" "$phase"
  for s in "${phase_scenarios[@]}"; do
    for t in "${TARGETS[@]}"; do log "warm-up $s $t"; h2run "r0.$s.$t" "$t" "$s" "$WARMUP"; done
  done
  for r in $(seq 1 "$ROUNDS"); do
    for s in "${phase_scenarios[@]}"; do
      # the order rotates each round, so that no target always runs first or right after a given one
      for i in "${!TARGETS[@]}"; do
        measure "$r" "$s" "${TARGETS[$(((i + r - 1) % ${#TARGETS[@]}))]}"
      done
    done
  done
  stop_targets
done

log "waiting for the forwarder to store the last captures"
prev=-1
for _ in $(seq 1 60); do
  n=$("$PY" deploy/bench/count_captures.py "$FWD_DIR/captures.db" | awk '{ s += $2 + $3 } END { print s + 0 }')
  [ "$n" = "$prev" ] && break
  prev=$n; sleep 2
done
"$PY" deploy/bench/count_captures.py "$FWD_DIR/captures.db" > "$OUT/capture.txt"
"$PY" deploy/bench/h2_report.py "$OUT" | tee "$OUT/summary.txt"
log "results: $OUT"
