#!/usr/bin/env bash
# What does a forwarder next to wrk cost a proxy that captures nothing? deploy/bench/run.sh runs the forwarder on
# wrk's CPU (there is no third machine), so goproxy with capture on is measured with a busy neighbour and HAProxy
# without one. This runs HAProxy alone, then HAProxy while a forwarder stores captures at goproxy's rate on the
# same CPU and priority as in run.sh (fed over gRPC by ForwarderCpuBench's sender JVM, on that CPU too), PAIRS
# times, alternating, and prints both tables.
#
#   deploy/bench/neighbour.sh                 # 2 pairs, neighbour at 20,000 captures/s
#   PAIRS=3 RATE=35000 deploy/bench/neighbour.sh
#
# The neighbour's CPU (forwarder and sending JVM) is printed per busy run: compare it with the forwarder's CPU in a
# run.sh capture-on run (the "others" column). Needs what run.sh needs. Takes ~3.5 min per pair.
set -euo pipefail
cd "$(dirname "$0")/../.."
HARNESS="${BENCH_HARNESS:-$PWD/../shared/bench/bench.sh}"
[ -x "$HARNESS" ] || { echo "no benchmark harness at $HARNESS (set BENCH_HARNESS)" >&2; exit 2; }
PAIRS="${PAIRS:-2}"
RATE="${RATE:-20000}"
FWD_CPUS="${FWD_CPUS:-${WRK_CPUS:-1}}"
source deploy/bench/forwarder-sched.sh
OUT=$(mktemp -d /tmp/tapline-neighbour.XXXXXX)
export WARMUP="${WARMUP:-8}" # as run.sh
[ -f forwarder/target/quarkus-app/quarkus-run.jar ] || ./mvnw -B -q -DskipTests package -pl forwarder -am

NEIGHBOUR=
stop_neighbour() { # the neighbour runs in its own process group: Maven, the test JVM and the forwarder it started
  [ -n "$NEIGHBOUR" ] || return 0
  kill -TERM -- "-$NEIGHBOUR" 2>/dev/null || true
  wait "$NEIGHBOUR" 2>/dev/null || true
  sleep 2
  kill -KILL -- "-$NEIGHBOUR" 2>/dev/null || true
  rm -rf forwarder/target/test-stores/cpu-bench-* # a killed bench leaves its store behind (GBs)
  NEIGHBOUR=
}
trap stop_neighbour EXIT

group_cpu_seconds() { # CPU used so far by the neighbour's processes (Maven, the sending test JVM, the forwarder)
  local ticks=0 pid
  for pid in $(pgrep -g "$NEIGHBOUR"); do
    ticks=$((ticks + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { print t / hz }'
}

haproxy_run() { # $1 = label
  "$HARNESS" -x haproxy -s small -r 3 -d 8 -o "$OUT/$1" > "$OUT/$1.log" 2>&1
  echo "== $1"
  sed -n '/Final table/,/^$/p' "$OUT/$1.log" | grep -E '^(target|haproxy)'
}

for p in $(seq 1 "$PAIRS"); do
  haproxy_run "quiet-$p"
  # 40 rounds x 200,000 captures: longer than a harness run at any rate used here; stopped when the run ends
  # Its own process group (job control), not a new session: with autogroup scheduling (kernel.sched_autogroup_enabled)
  # a new session is a group of its own that shares the CPU with wrk's as an equal, whatever its nice or policy.
  set -m
  taskset -c "$FWD_CPUS" "${FWD_PRIORITY[@]}" ./mvnw -B -o test -pl forwarder -Dtest=ForwarderCpuBench \
    -Dtapline.excludedGroups=none -Dtapline.bench.rate="$RATE" -Dtapline.bench.warmup=200000 \
    -Dtapline.bench.rounds=40 -Dtapline.bench.round-captures=200000 > "$OUT/neighbour-$p.log" 2>&1 &
  NEIGHBOUR=$!
  set +m
  for _ in $(seq 1 120); do grep -q 'BENCH cpu round 1' "$OUT/neighbour-$p.log" && break; sleep 1; done
  cpu0=$(group_cpu_seconds); t0=$(date +%s.%N)
  haproxy_run "busy-$p"
  cpu1=$(group_cpu_seconds); t1=$(date +%s.%N)
  awk -v c0="$cpu0" -v c1="$cpu1" -v t0="$t0" -v t1="$t1" -v p="$p" \
    'BEGIN { printf "neighbour CPU during busy-%s: %.2f cores (forwarder and sender together)\n", p, (c1 - c0) / (t1 - t0) }'
  echo "neighbour (forwarder) during busy-$p:"
  grep 'BENCH cpu round' "$OUT/neighbour-$p.log" \
    | sed -E 's/.*round ([0-9]+):.*= ([0-9]+) stored captures\/s.*, ([0-9.]+) cores\)/  round \1: \2 captures\/s, forwarder \3 cores/'
  stop_neighbour
done
echo "results: $OUT"
