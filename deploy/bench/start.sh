#!/usr/bin/env bash
# Start time of both apps with and without a class-data-sharing archive (AppCDS), side by side in one run:
# the archive is recorded here as deploy/appcds/add-appcds.sh records it in the images (start once with
# -XX:ArchiveClassesAtExit, stop after "started"), then the starts alternate: app without, app with, ...
# Prints, per app and mode, Quarkus' "started in" and the CPU seconds the JVM had used by then (all threads,
# and the main thread alone), medians over the rounds, and the ratios with/without.
#
#   deploy/bench/start.sh          # 7 rounds
#   deploy/bench/start.sh 15       # 15 rounds
#
# Uses the packaged apps (goproxy/ and forwarder/target/quarkus-app, built if missing) and this machine's JDK 17,
# with the image's JVM flags. The forwarder stores in a fresh temporary DATA_DIR each start.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
rounds="${1:-7}"
if [ ! -f goproxy/target/quarkus-app/quarkus-run.jar ] || [ ! -f forwarder/target/quarkus-app/quarkus-run.jar ]; then
  ./mvnw -B -q -DskipTests package -pl goproxy,forwarder -am
fi
work=$(mktemp -d /tmp/tapline-start.XXXXXX)
trap 'rm -rf "$work"' EXIT
source "$ROOT/deploy/bench/goproxy-jvm.sh" # image_jvm_flags
declare -A JVM_FLAGS
JVM_FLAGS[goproxy]=$(image_jvm_flags goproxy)
JVM_FLAGS[forwarder]=$(image_jvm_flags forwarder)

# start APP LOG [jvm flags...]: starts it, waits for "started in", prints "<started in> <cpu all> <cpu main>", stops it
start() {
  local app=$1 log=$2; shift 2
  rm -rf "$work/data"; mkdir -p "$work/data"
  (cd "$ROOT/$app/target/quarkus-app" && exec env DATA_DIR="$work/data" API_TOKEN=bench-start-token-0123456789 \
    SERVICE_PORT=18788 HTTP_PORT=18789 PROXY_IN_PORT=18743 METRICS_HTTP_PORT=18745 FORWARDER_ADDR=127.0.0.1:18788 \
    REVERSE_PROXY_HOST=127.0.0.1 REVERSE_PROXY_PORT=18700 APP_LABEL=start-bench \
    java ${JVM_FLAGS[$app]} "$@" -jar quarkus-run.jar) >"$log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 1200); do grep -q ' started in ' "$log" && break; sleep 0.025; done
  grep -q ' started in ' "$log" || { cat "$log" >&2; echo "start.sh: $app did not start" >&2; kill "$pid"; exit 1; }
  local all main
  all=$(awk '{print ($14 + $15) / 100}' "/proc/$pid/stat")
  main=$(awk '{print ($14 + $15) / 100}' "/proc/$pid/task/$(ls "/proc/$pid/task" | sort -n | sed -n 2p)/stat")
  echo "$(grep -o 'started in [0-9.]*' "$log" | head -1 | cut -d' ' -f3) $all $main"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

for app in forwarder goproxy; do
  start "$app" "$work/record.log" -XX:ArchiveClassesAtExit="$work/$app.jsa" >/dev/null
  for _ in $(seq 1 100); do [ -s "$work/$app.jsa" ] && break; sleep 0.1; done
  for round in $(seq 1 "$rounds"); do
    start "$app" "$work/log" >>"$work/$app.off"
    start "$app" "$work/log" -XX:SharedArchiveFile="$work/$app.jsa" >>"$work/$app.on"
  done
done

printf '%-10s %-13s %12s %12s %12s\n' app mode "started in" "CPU all" "CPU main"
for app in forwarder goproxy; do
  for mode in off on; do
    f="$work/$app.$mode"
    printf '%-10s %-13s %11ss %11ss %11ss\n' "$app" "AppCDS $mode" "$(cut -d' ' -f1 "$f" | median)" \
      "$(cut -d' ' -f2 "$f" | median)" "$(cut -d' ' -f3 "$f" | median)"
  done
  for col in 1 2 3; do
    r[$col]=$(awk -v a="$(cut -d' ' -f$col "$work/$app.on" | median)" -v b="$(cut -d' ' -f$col "$work/$app.off" | median)" \
      'BEGIN {printf "%.2f", a / b}')
  done
  printf '%-10s %-13s %11s× %11s× %11s×\n' "$app" "on / off" "${r[1]}" "${r[2]}" "${r[3]}"
done
echo "($rounds rounds, medians; $(nproc) CPUs, $(java -version 2>&1 | head -1))"
