#!/usr/bin/env bash
# goproxy's resident memory (RSS): at rest, with 1,000 idle client connections, and under wrk load (small, then
# 64 KiB answers), with capture on and a real forwarder. Prints one line per state. goproxy runs with its image's
# JVM flags and the example manifest's memory limit (goproxy-jvm.sh: GP_MEMORY, default 384m); GOPROXY_JAVA_OPTS adds flags.
#
#   deploy/bench/rss.sh            # needs python3, wrk, a JDK 17; builds the jars if missing
#   GP_APP=/tmp/gp-old deploy/bench/rss.sh   # another build's quarkus-app dir (a copy made before a change)
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
. deploy/bench/goproxy-jvm.sh
GP_APP="${GP_APP:-goproxy/target/quarkus-app}"
[ -f "$GP_APP/quarkus-run.jar" ] || [ "$GP_APP" = goproxy/target/quarkus-app ] || { echo "GP_APP: no quarkus-run.jar in $GP_APP" >&2; exit 2; }
if [ ! -f goproxy/target/quarkus-app/quarkus-run.jar ] || [ ! -f forwarder/target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q -DskipTests package -pl goproxy,forwarder -am
fi
WORK=$(mktemp -d /tmp/tapline-rss.XXXXXX)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"' EXIT

mkdir -p "$WORK/www" && printf 'product-list\n' > "$WORK/www/small"
head -c 65536 /dev/urandom > "$WORK/www/64k.bin"
(cd "$WORK/www" && exec python3 -m http.server 16000 --bind 127.0.0.1 >/dev/null 2>&1) & pids+=($!)
SERVICE_PORT=16888 HTTP_PORT=16889 DATA_DIR="$WORK/data" java $FWD_JVM_FLAGS -jar forwarder/target/quarkus-app/quarkus-run.jar \
  > "$WORK/forwarder.log" 2>&1 & pids+=($!)
sleep 3
PROXY_IN_PORT=16143 METRICS_HTTP_PORT=16145 REVERSE_PROXY_HOST=127.0.0.1 REVERSE_PROXY_PORT=16000 APP_LABEL=rss \
  FORWARDER_ADDR=127.0.0.1:16888 java $GP_JVM_FLAGS ${GOPROXY_JAVA_OPTS:-} -jar "$GP_APP/quarkus-run.jar" \
  > "$WORK/goproxy.log" 2>&1 & GP=$!; pids+=($GP)
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:16145/q/health/ready >/dev/null && break; sleep 0.2; done

rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' /proc/$GP/status; }
curl -s -o /dev/null http://127.0.0.1:16143/small
echo "goproxy RSS at rest:                      $(rss)"
python3 - <<'PY' &
import socket, time
conns = []
for _ in range(1000):
    s = socket.create_connection(("127.0.0.1", 16143))
    conns.append(s)
time.sleep(8)
PY
IDLE=$!; sleep 5
echo "goproxy RSS with 1,000 idle connections: $(rss)  (open: $(curl -s http://127.0.0.1:16145/q/metrics | awk '/^goproxy_connections_active/ {print $2}'))"
wait $IDLE
wrk -t1 -c50 -d10s http://127.0.0.1:16143/small > "$WORK/wrk.txt" &
WRK=$!; sleep 8
echo "goproxy RSS under load (wrk -c50):        $(rss)"
wait $WRK
echo "wrk: $(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt") req/s (python http.server backend, so the backend is the limit)"
wrk -t1 -c50 -d10s http://127.0.0.1:16143/64k.bin > "$WORK/wrk64.txt" &
WRK=$!; sleep 8
echo "goproxy RSS under 64 KiB load:            $(rss)"
wait $WRK
echo "wrk 64 KiB: $(awk '/Requests\/sec/ {print $2}' "$WORK/wrk64.txt") req/s"
