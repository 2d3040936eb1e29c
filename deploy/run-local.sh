#!/usr/bin/env bash
# Runs the product locally: builds both apps, starts the forwarder (gRPC :8888, HTTP :8889) and goproxy
# (:4143, health/metrics :4145) in front of the app at BACKEND (default localhost:5000), on embedded
# defaults. Ctrl-C stops both.
#
#   deploy/run-local.sh                         # app at localhost:5000
#   BACKEND=localhost:8080 deploy/run-local.sh  # another app
#   DEMO_BACKEND=1 deploy/run-local.sh          # also start a demo app (python3 http.server) if none listens
#
# Any documented variable (LOG_LEVEL, API_TOKEN, DATA_DIR, WITH_DLP, ...) set in the environment is passed on.
set -euo pipefail
cd "$(dirname "$0")/.."

BACKEND="${BACKEND:-localhost:5000}"
backend_host="${BACKEND%:*}"
backend_port="${BACKEND##*:}"
export DATA_DIR="${DATA_DIR:-$PWD/target/local-data}"
mkdir -p "$DATA_DIR"

if [ "${SKIP_BUILD:-0}" != "1" ]; then
  echo "building (./mvnw -DskipTests package)..." >&2
  ./mvnw -B -q -DskipTests package
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

if ! listening "$backend_host" "$backend_port"; then
  if [ "${DEMO_BACKEND:-0}" = "1" ] && command -v python3 >/dev/null; then
    echo "nothing listens on $BACKEND: starting a demo app there (python3 -m http.server)" >&2
    python3 -m http.server "$backend_port" --bind 127.0.0.1 >/dev/null 2>&1 &
    pids+=($!)
  else
    echo "note: nothing listens on $BACKEND yet; goproxy will log 'Could not connect' until your app is up" >&2
    echo "      (DEMO_BACKEND=1 starts a demo app there)" >&2
  fi
fi

SERVICE_PORT="${SERVICE_PORT:-8888}" CLUSTER_NAME="${CLUSTER_NAME:-local}" \
  java ${JAVA_OPTS:-} -jar forwarder/target/quarkus-app/quarkus-run.jar &
pids+=($!)

for _ in $(seq 1 100); do listening localhost "${SERVICE_PORT:-8888}" && break; sleep 0.2; done

PROXY_TYPE=reverse PROXY_IN_PORT="${PROXY_IN_PORT:-4143}" \
  REVERSE_PROXY_HOST="$backend_host" REVERSE_PROXY_PORT="$backend_port" \
  APP_LABEL="${APP_LABEL:-my_application_name}" APP_POD_NAME="${APP_POD_NAME:-$(hostname)}" \
  FORWARDER_ADDR="${FORWARDER_ADDR:-localhost:${SERVICE_PORT:-8888}}" \
  java ${JAVA_OPTS:-} -jar goproxy/target/quarkus-app/quarkus-run.jar &
pids+=($!)

echo "running: curl http://localhost:${PROXY_IN_PORT:-4143}/ reaches $BACKEND through goproxy; Ctrl-C stops" >&2
echo "the forwarder logs the Analyzer's URL with its API token once (\"Open the Analyzer at ...#token=...\"), unless API_TOKEN is set" >&2
wait -n "${pids[@]}" || true
