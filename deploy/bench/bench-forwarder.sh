# Sourced by the bench scripts (run.sh, h2.sh, tail.sh, threads.sh, keepalive.sh): starts the forwarder the goproxy targets upload to, in a fresh
# store, and waits until it is ready. Needs ROOT (the repository) and the packaged forwarder (FWD_JAR, default
# forwarder/target/quarkus-app/quarkus-run.jar). Sets FWD_DIR (its
# DATA_DIR, with forwarder.log), FWD_PID and FWD_GRPC/FWD_HTTP (ports, overridable). stop_bench_forwarder stops
# it and removes the store (GBs after a 64 KiB run) unless KEEP_FWD_DIR=1.
#
# In production the forwarder runs on another machine. Here it runs on the client's CPU (FWD_CPUS, default the
# harness's WRK_CPUS) under SCHED_IDLE (FWD_SCHED, see forwarder-sched.sh), off the proxy's core, taking the time
# the client leaves idle. Its CPU is not in goproxy's us/req figures. Its JVM runs with the image's flags
# (FWD_JVM_FLAGS) and FWD_JAVA_OPTS after them.
source "$ROOT/deploy/bench/goproxy-jvm.sh" # FWD_JVM_FLAGS: the image's
FWD_JAR="${FWD_JAR:-$ROOT/forwarder/target/quarkus-app/quarkus-run.jar}"
[ -f "$FWD_JAR" ] || { echo "no forwarder at $FWD_JAR: ./mvnw -B -DskipTests package -pl forwarder -am" >&2; exit 2; }
FWD_DIR=$(mktemp -d /tmp/tapline-bench-fwd.XXXXXX)
FWD_GRPC="${FWD_GRPC:-15888}"
FWD_HTTP="${FWD_HTTP:-15889}"
FWD_CPUS="${FWD_CPUS:-${WRK_CPUS:-1}}"
source "$ROOT/deploy/bench/forwarder-sched.sh"
FWD_PIN=()
[ "${PIN:-1}" = 0 ] || [ "$FWD_CPUS" = none ] || FWD_PIN=(taskset -c "$FWD_CPUS")
SERVICE_PORT=$FWD_GRPC HTTP_PORT=$FWD_HTTP DATA_DIR=$FWD_DIR RETENTION_BYTES=0 RETENTION_AGE=0 \
  "${FWD_PRIORITY[@]}" "${FWD_PIN[@]}" java $FWD_JVM_FLAGS ${FWD_JAVA_OPTS:-} -jar "$FWD_JAR" \
  > "$FWD_DIR/forwarder.log" 2>&1 &
FWD_PID=$!

stop_bench_forwarder() {
  kill "$FWD_PID" 2>/dev/null || true
  wait "$FWD_PID" 2>/dev/null || true
  [ "${KEEP_FWD_DIR:-0}" = 1 ] || rm -rf "$FWD_DIR"
}

for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$FWD_HTTP/q/health/ready" >/dev/null && break; sleep 0.2; done
