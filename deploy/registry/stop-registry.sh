#!/usr/bin/env bash
# Stops the registry that start-registry.sh started for REGISTRY_DIR (default deploy/target/registry).
# Its blobs stay on disk: the next start serves them again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${REGISTRY_DIR:-$here/../target/registry}"
pidfile="$dir/registry.pid"
[ -f "$pidfile" ] || { echo "stop-registry.sh: not running (no $pidfile)" >&2; exit 0; }
pid="$(cat "$pidfile")"
if kill -0 "$pid" 2>/dev/null; then
  kill -TERM "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
fi
rm -f "$pidfile"
echo "stop-registry.sh: stopped (pid $pid)" >&2
