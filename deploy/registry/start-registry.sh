#!/usr/bin/env bash
# Starts a local image registry (Debian's docker-registry, the CNCF Distribution server) in the background,
# with our own config: plain HTTP on 127.0.0.1:PORT, no auth, blobs on disk under DIR. For building and
# trying the images on a machine without Docker Hub or a Docker engine; not for production.
#
#   deploy/registry/start-registry.sh 5001                 # or REGISTRY_PORT=5001; DIR defaults to deploy/target/registry
#   REGISTRY_DIR=/var/tmp/reg deploy/registry/start-registry.sh 5001
#   deploy/registry/stop-registry.sh                       # stops it (same REGISTRY_DIR)
#
# Port 5000 is refused: it is where the manual's app listens. REGISTRY_ADDR=0.0.0.0 serves other hosts too.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
port="${1:-${REGISTRY_PORT:-5001}}"
dir="${REGISTRY_DIR:-$here/../target/registry}"
addr="${REGISTRY_ADDR:-127.0.0.1}"

case "$port" in '' | *[!0-9]*) echo "start-registry.sh: port must be a number, got '$port'" >&2; exit 2 ;; esac
[ "$port" -ne 5000 ] || { echo "start-registry.sh: port 5000 is the manual's app port; pick another (e.g. 5001)" >&2; exit 2; }
command -v docker-registry >/dev/null || { echo "start-registry.sh: needs Debian's docker-registry (apt-get install docker-registry)" >&2; exit 1; }

mkdir -p "$dir/storage"
dir="$(cd "$dir" && pwd)"
if [ -f "$dir/registry.pid" ] && kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null; then
  echo "start-registry.sh: already running (pid $(cat "$dir/registry.pid")) for $dir" >&2
  exit 1
fi

# The stock /etc/docker/registry/config.yml turns on htpasswd auth and port 5000: we write our own.
cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: $addr:$port
  headers:
    X-Content-Type-Options: [nosniff]
YAML

# setsid: the registry outlives this script and a Ctrl-C in the calling shell; stop-registry.sh ends it.
setsid docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
echo $! >"$dir/registry.pid"

for _ in $(seq 1 100); do
  if curl -fsS -o /dev/null "http://127.0.0.1:$port/v2/" 2>/dev/null; then
    echo "start-registry.sh: registry on $addr:$port (pid $(cat "$dir/registry.pid"), data $dir/storage)" >&2
    exit 0
  fi
  kill -0 "$(cat "$dir/registry.pid")" 2>/dev/null || break
  sleep 0.1
done
echo "start-registry.sh: registry did not answer on port $port; its log:" >&2
tail -20 "$dir/registry.log" >&2
kill "$(cat "$dir/registry.pid")" 2>/dev/null || true
rm -f "$dir/registry.pid"
exit 1
