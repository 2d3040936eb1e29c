#!/usr/bin/env bash
# goproxy as a forward proxy (PROXY_TYPE=forward, capture on, TLS_OUT_UNWRAP=true) against Squid and mitmproxy's
# regular mode (mitmdump), in one run, alternating: each round runs every scenario through every proxy in turn.
#
#   plain      13 B over plain HTTP, keep-alive: wrk with absolute-form request lines (proxy-path.lua), as an app
#              with HTTP_PROXY sends them. wrk itself cannot speak CONNECT.
#   tls        13 B over HTTPS through CONNECT tunnels, keep-alive: hey (Go's net/http client, a real proxy client:
#              CONNECT, then TLS and HTTP/1.1 inside, connections reused). goproxy and mitmdump end the app's TLS
#              with a certificate they mint and open their own TLS connection to the backend (verified against the
#              bench CA: TLS_OUT_CA, ssl_verify_upstream_trusted_ca); Squid has no ssl-bump here: it relays the
#              tunnel's bytes (it does not see inside, so it does less work than the two others).
#   tls-close  as tls with a new connection (CONNECT + two TLS handshakes at an unwrapping proxy) per request
#              (hey -disable-keepalive): shows that minting a certificate is not on the per-connection path.
#
#   deploy/bench/forward.sh                        # 3 rounds x "plain tls" x 8 s
#   ROUNDS=5 DURATION=10 SCENARIOS='plain tls tls-close' deploy/bench/forward.sh
#   GP_APP=/tmp/gp-copy deploy/bench/forward.sh    # another goproxy build's quarkus-app dir
#   GP_BASE_APP=/tmp/gp-old deploy/bench/forward.sh  # A/B: also target goproxy-base, that build, in the same run
#   GP_BASE_APP=goproxy/target/quarkus-app GP_BASE_ENV='CAPTURE_ENABLED=false' deploy/bench/forward.sh
#                                                  # A/B of a setting: goproxy-base gets these variables too
#
# Backend: nginx, one worker, /small (13 B) on 127.0.0.1:15100 (plain) and 15101 (TLS, a certificate for
# localhost from a throwaway CA). Pinned as run.sh pins: backend and proxies on CPU 0, the load client on CPU 1 with
# the forwarder under SCHED_IDLE (forwarder-sched.sh). goproxy uploads to a real forwarder; its captures are counted
# per run in the forwarder's store (count_captures.py), mitmdump's in its flow file (the shared harness's
# count_flows.py). At the end goproxy's certificate counters are read from /q/metrics: minted leaves against TLS
# handshakes with the app.
#
# Needs: wrk hey nginx squid mitmproxy curl openssl python3 (Debian packages), a JDK 17, the packaged goproxy and
# forwarder. Ports 15100-15112, 15188-15189, 15210 on 127.0.0.1. Prints a table and the results dir.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
source "$ROOT/deploy/bench/goproxy-jvm.sh"
# the shared harness's folder (report.lua, count_flows.py): next to the clone, else /work/shared's
SHARED="${BENCH_SHARED:-$ROOT/../shared/bench}"
[ -d "$SHARED" ] || [ -n "${BENCH_SHARED:-}" ] || SHARED=/work/shared/bench
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-8}"
WARMUP="${WARMUP:-8}"
CONNS="${CONNS:-50}"
SCENARIOS="${SCENARIOS:-plain tls}"
# GP_BASE_APP: another goproxy build's quarkus-app dir, run as target goproxy-base (A/B in one run)
GP_BASE_APP="${GP_BASE_APP:-}"
# GP_BASE_ENV: VAR=value words added to goproxy-base's environment only (e.g. CAPTURE_ENABLED=false)
read -r -a GP_BASE_ENV <<< "${GP_BASE_ENV:-}"
TARGETS="${TARGETS:-goproxy${GP_BASE_APP:+ goproxy-base} squid mitmdump}"
for bin in wrk hey nginx squid mitmdump curl openssl python3 java taskset chrt; do
  command -v "$bin" >/dev/null || { echo "$bin not found" >&2; exit 2; }
done
for f in lib/report.lua lib/count_flows.py; do
  [ -f "$SHARED/$f" ] || { echo "no $SHARED/$f (set BENCH_SHARED to the shared bench folder)" >&2; exit 2; }
done
for app in goproxy forwarder; do
  [ -f "$app/target/quarkus-app/quarkus-run.jar" ] || { echo "build first: ./mvnw -B -DskipTests package -pl goproxy,forwarder -am" >&2; exit 2; }
done
source "$ROOT/deploy/bench/forwarder-sched.sh"
# GP_APP: the goproxy quarkus-app dir to run (e.g. a copy, so that a rebuild during the run cannot change it)
GP_APP="${GP_APP:-$ROOT/goproxy/target/quarkus-app}"

OUT=${OUT:-${TMPDIR:-/tmp}/bench-results/forward-$(date +%Y%m%d-%H%M%S)}
for port in 15100 15101 15110 15111 15112 15113 15188 15189 15210 15211; do
  if ss -Htln "sport = :$port" | grep -q .; then
    echo "port $port is in use (another benchmark running?): stop it first" >&2; exit 2
  fi
done
mkdir -p "$OUT/raw" "$OUT/logs"
DIR=$(mktemp -d /tmp/tapline-forward.XXXXXX)
chmod 755 "$DIR" # nginx's and Squid's workers run as other users
PIDS=()
cleanup() {
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do kill "${PIDS[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$DIR"
}
trap cleanup EXIT
log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" | tee -a "$OUT/console.log" >&2; }
SERVER=(taskset -c 0)
CLIENT=(taskset -c 1)

# ---- TLS material: a throwaway CA, the backend's certificate for localhost (as the shared harness makes them)
mkdir -p "$DIR/tls"
{ openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=bench-ca -keyout "$DIR/tls/ca.key" -out "$DIR/tls/ca.pem" &&
  openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout "$DIR/tls/key.pem" -out "$DIR/tls/req.csr" &&
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$DIR/tls/san.ext" &&
  openssl x509 -req -in "$DIR/tls/req.csr" -CA "$DIR/tls/ca.pem" -CAkey "$DIR/tls/ca.key" -CAcreateserial -days 2 \
    -extfile "$DIR/tls/san.ext" -out "$DIR/tls/cert.pem"; } >/dev/null 2>&1
chmod 644 "$DIR"/tls/*

# ---- backend
mkdir -p "$DIR/nginx"
cat > "$DIR/nginx/nginx.conf" <<EOF
worker_processes 1; daemon off; pid $DIR/nginx/nginx.pid; error_log $DIR/nginx/error.log warn;
events { worker_connections 8192; }
http { access_log off; server_tokens off; keepalive_timeout 75s; keepalive_requests 100000000; tcp_nodelay on;
  client_body_temp_path $DIR/nginx/tmp; proxy_temp_path $DIR/nginx/tmp; fastcgi_temp_path $DIR/nginx/tmp;
  uwsgi_temp_path $DIR/nginx/tmp; scgi_temp_path $DIR/nginx/tmp;
  ssl_session_cache shared:bench:10m;
  server { listen 127.0.0.1:15100 backlog=4096; location = /small { default_type text/plain; return 200 "product-list\n"; } }
  server { listen 127.0.0.1:15101 ssl backlog=4096; ssl_certificate $DIR/tls/cert.pem; ssl_certificate_key $DIR/tls/key.pem;
    location = /small { default_type text/plain; return 200 "product-list\n"; } } }
EOF
"${SERVER[@]}" nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" > "$OUT/logs/backend.log" 2>&1 &
BACKEND_PID=$!
PIDS+=($BACKEND_PID)

# ---- forwarder (off the proxies' CPU, under SCHED_IDLE, as in run.sh)
SERVICE_PORT=15188 HTTP_PORT=15189 DATA_DIR="$DIR/fwd" RETENTION_BYTES=0 RETENTION_AGE=0 \
  "${FWD_PRIORITY[@]}" "${CLIENT[@]}" java $FWD_JVM_FLAGS -jar forwarder/target/quarkus-app/quarkus-run.jar > "$OUT/logs/forwarder.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 150); do curl -sf http://127.0.0.1:15189/q/health/ready >/dev/null && break; sleep 0.2; done

# ---- the proxies
declare -A PORT=([goproxy]=15110 [squid]=15111 [mitmdump]=15112 [goproxy-base]=15113) PID=()
mkdir -p "$DIR/goproxy" "$DIR/goproxy-base" "$DIR/squid" "$DIR/mitm"
# start_goproxy NAME APP_DIR PORT METRICS_PORT [VAR=value...]
start_goproxy() {
  local extra=("${@:5}")
  (cd "$DIR/$1" && exec env "${extra[@]}" PROXY_TYPE=forward PROXY_OUT_PORT=$3 TLS_OUT_UNWRAP=true TLS_CERT_DIR="$DIR/$1/ca" \
    TLS_OUT_CA="$DIR/tls/ca.pem" APP_LABEL=bench-fwd APP_POD_NAME=bench FORWARDER_ADDR=127.0.0.1:15188 \
    METRICS_HTTP_PORT=$4 "${SERVER[@]}" java $GP_JVM_FLAGS ${GP_JAVA_OPTS:-} \
    -jar "$2/quarkus-run.jar") > "$OUT/logs/$1.log" 2>&1 &
}
start_goproxy goproxy "$GP_APP" 15110 15210
PID[goproxy]=$!
if [ -n "$GP_BASE_APP" ]; then
  start_goproxy goproxy-base "$GP_BASE_APP" 15113 15211 "${GP_BASE_ENV[@]}"
  PID[goproxy-base]=$!
  PIDS+=("${PID[goproxy-base]}")
fi
# Squid: memory only, nothing cached, no access log; run in the foreground as our own process, not the service
chown proxy "$DIR/squid" 2>/dev/null || chmod 777 "$DIR/squid"
cat > "$DIR/squid/squid.conf" <<EOF
http_port 127.0.0.1:15111
workers 1
cache deny all
cache_mem 0 MB
access_log none
cache_store_log none
cache_log $DIR/squid/cache.log
pid_filename $DIR/squid/squid.pid
coredump_dir $DIR/squid
shutdown_lifetime 1 seconds
acl bench_ports port 15100 15101
acl CONNECT method CONNECT
http_access deny !bench_ports
http_access allow localhost
http_access deny all
EOF
"${SERVER[@]}" squid -N -f "$DIR/squid/squid.conf" > "$OUT/logs/squid.log" 2>&1 &
PID[squid]=$!
"${SERVER[@]}" mitmdump -q --mode regular --listen-host 127.0.0.1 -p 15112 -w "$DIR/mitm/flows" \
  --set confdir="$DIR/mitm" --set ssl_verify_upstream_trusted_ca="$DIR/tls/ca.pem" > "$OUT/logs/mitmdump.log" 2>&1 &
PID[mitmdump]=$!
PIDS+=("${PID[goproxy]}" "${PID[squid]}" "${PID[mitmdump]}")

for t in $TARGETS; do
  ok=
  for _ in $(seq 1 300); do
    body=$(curl -s --max-time 2 -x "http://127.0.0.1:${PORT[$t]}" http://127.0.0.1:15100/small || true)
    tls=$(curl -s --max-time 2 -k -x "http://127.0.0.1:${PORT[$t]}" https://localhost:15101/small || true)
    [ "$body" = product-list ] && [ "$tls" = product-list ] && { ok=1; break; }
    kill -0 "${PID[$t]}" 2>/dev/null || break
    sleep 0.2
  done
  [ -n "$ok" ] || { echo "$t did not answer plain '$body' / TLS '$tls'; see $OUT/logs/$t.log" >&2; exit 1; }
  log "$t up on 127.0.0.1:${PORT[$t]} (pid ${PID[$t]})"
done

# CPU ticks (user+system) of a process and its descendants
tree_ticks() {
  # a process that ends between the glob and the read makes cat fail: not an error here (set -e, pipefail)
  { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
    { pid = $1; match($0, /.*\) /); split(substr($0, RLENGTH + 1), f, " "); par[pid] = f[2]; t[pid] = f[12] + f[13] }
    END { s = 0; for (p in t) { q = p; d = 0
      while (q != "" && q > 0 && d < 64) { if (q == root) { s += t[p]; break } q = par[q]; d++ } } print s }'
}
HZ=$(getconf CLK_TCK)
# settle PROXY: before a run, wait (up to 15 s) until the proxy is done with the previous run's leftovers (it uses
# under 10 % of a core over 0.5 s): a slow proxy still working through queued connections would be measured twice
settle() {
  local a b i
  for i in $(seq 1 30); do
    a=$(tree_ticks "${PID[$1]}"); sleep 0.5; b=$(tree_ticks "${PID[$1]}")
    [ $(( (b - a) * 100 )) -le $(( HZ * 5 )) ] && return 0
  done
  log "  $1 still busy after 15 s"
}

# run_one ROUND SCENARIO TARGET SECONDS: one load run; appends a row to results.tsv
run_one() {
  local round=$1 sc=$2 t=$3 secs=$4 tag="r$1.$2.$3" raw
  raw="$OUT/raw/$tag.txt"
  local proxy="127.0.0.1:${PORT[$t]}" c0 c1 l0 l1
  settle "$t"
  c0=$(tree_ticks "${PID[$t]}"); l0=$(awk '{print $1}' /proc/loadavg)
  case $sc in
    plain)
      WRK_TARGET=http://127.0.0.1:15100/small REPORT_LUA="$SHARED/lib/report.lua" "${CLIENT[@]}" \
        wrk -t1 -c"$CONNS" -d"${secs}s" --latency -s "$ROOT/deploy/bench/proxy-path.lua" \
        -H "Host: 127.0.0.1:15100" -H "X-Bench-Run: $tag" "http://$proxy" > "$raw" 2>&1 ;;
    tls|tls-close)
      local ka=(); [ "$sc" = tls-close ] && ka=(-disable-keepalive)
      "${CLIENT[@]}" hey -cpus 1 -c "$CONNS" -z "${secs}s" "${ka[@]}" -x "http://$proxy" -host localhost -H "X-Bench-Run: $tag" \
        https://localhost:15101/small > "$raw" 2>&1 ;;
  esac
  c1=$(tree_ticks "${PID[$t]}")
  python3 - "$raw" "$round" "$sc" "$t" "$tag" "$((c1 - c0))" "$HZ" "$l0" >> "$OUT/results.tsv" <<'PY'
import re, sys
raw, rnd, sc, t, tag, ticks, hz, load = sys.argv[1:]
text = open(raw).read()
def num(pattern, default=0.0):
    m = re.search(pattern, text, re.M)
    return float(m.group(1)) if m else default
if sc == "plain":
    line = re.search(r"^BENCH (.*)$", text, re.M)
    m = dict(kv.split("=") for kv in line.group(1).split()) if line else {"requests": "0", "duration_us": "1"}
    n, secs = int(m["requests"]), int(m["duration_us"]) / 1e6
    p50, p99 = int(m.get("p50_us", 0)) / 1e3, int(m.get("p99_us", 0)) / 1e3
    errors = sum(int(m[k]) for k in m if k.startswith("err_")) + (0 if line else 1)
else:  # hey's summary; without any response it has no latency lines
    secs = num(r"Total:\s+([\d.]+) secs", 1.0)
    n = sum(int(c) for c in re.findall(r"\[200\]\s+(\d+) responses", text))
    errors = sum(int(c) for c in re.findall(r"^\s+\[(\d+)\]\s", text.split("Error distribution:")[-1], re.M)) \
        if "Error distribution:" in text else 0
    errors += sum(int(c) for s, c in re.findall(r"\[(\d+)\]\s+(\d+) responses", text) if s != "200")
    p50, p99 = num(r"50% in ([\d.]+) secs") * 1e3, num(r"99% in ([\d.]+) secs") * 1e3
cpu_us = int(ticks) / int(hz) * 1e6
print(f"{rnd}\t{sc}\t{t}\t{tag}\t{n / secs:.0f}\t{n}\t{p50:.2f}\t{p99:.2f}\t{errors}\t"
      f"{cpu_us / n if n else 0:.1f}\t{load}")
PY
  tail -n 1 "$OUT/results.tsv" | awk -F'\t' '{ printf "  %-9s %-9s %8s req/s  p50 %6s ms  p99 %7s ms  err %s  proxy %s us/req  load %s\n", $2, $3, $5, $7, $8, $9, $10, $11 }' | tee -a "$OUT/console.log" >&2
}

printf 'round\tscenario\ttarget\ttag\trps\trequests\tp50_ms\tp99_ms\terrors\tproxy_us_req\tload1\n' > "$OUT/results.tsv"
{ echo "date: $(date -Is)"; echo "host: $(uname -srm) cpus: $(nproc) $(grep -m1 'model name' /proc/cpuinfo)"
  echo "wrk: $(wrk -v 2>&1 | head -1)"; echo "hey: $(dpkg-query -W -f '${Version}' hey 2>/dev/null)"
  echo "squid: $(squid -v | head -1)"; echo "mitmdump: $(mitmdump --version 2>/dev/null | head -1)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "settings: ROUNDS=$ROUNDS DURATION=$DURATION WARMUP=$WARMUP CONNS=$CONNS SCENARIOS='$SCENARIOS' TARGETS='$TARGETS'${GP_BASE_ENV[*]:+ GP_BASE_ENV='${GP_BASE_ENV[*]}'}"
  echo "pinning: backend + proxies cpu 0, client + forwarder (${FWD_SCHED:-idle}) cpu 1"; } > "$OUT/env.txt"
cat "$OUT/env.txt" >&2
if [ "$WARMUP" -gt 0 ]; then
  log "warm-up: ${WARMUP}s per proxy per scenario (round 0, left out)"
  for sc in $SCENARIOS; do for t in $TARGETS; do run_one 0 "$sc" "$t" "$WARMUP"; done; done
fi
for r in $(seq 1 "$ROUNDS"); do
  for sc in $SCENARIOS; do
    log "round $r/$ROUNDS, $sc"
    for t in $TARGETS; do run_one "$r" "$sc" "$t" "$DURATION"; done
  done
done

# goproxy's certificate counters before it stops (minted leaves vs handshakes with the app)
# and its dropped captures (queue_full: the forwarder did not keep up)
curl -s http://127.0.0.1:15210/q/metrics | grep -E '^goproxy_(tls_out_(leaves|handshakes)|captures_dropped)_total' > "$OUT/goproxy-tls-metrics.txt" || true
for t in goproxy goproxy-base mitmdump; do [ -n "${PID[$t]:-}" ] && kill "${PID[$t]}" 2>/dev/null || true; done
wait "${PID[goproxy]}" "${PID[mitmdump]}" ${PID[goproxy-base]:-} 2>/dev/null || true
sleep 3 # the forwarder commits the last batches
python3 "$ROOT/deploy/bench/count_captures.py" "$DIR/fwd/captures.db" > "$OUT/captures-goproxy.txt" || true
/usr/bin/python3 "$SHARED/lib/count_flows.py" "$DIR/mitm/flows" > "$OUT/captures-mitmdump.txt" 2>&1 || true
python3 "$ROOT/deploy/bench/forward_report.py" "$OUT" | tee "$OUT/summary.txt"
echo "results: $OUT"
