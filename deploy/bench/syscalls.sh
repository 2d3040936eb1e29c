#!/usr/bin/env bash
# Counts the system calls goproxy's relay threads (acceptor and event loops) make for ONE client connection that
# carries one request (curl, "Connection: close") to an nginx app. A count, not a timing: it does not depend on
# how busy the machine is, so two builds can be compared exactly.
#
#   deploy/bench/syscalls.sh                                   # this build (goproxy/target/quarkus-app)
#   deploy/bench/syscalls.sh /tmp/gp-old                       # another build's quarkus-app dir
#   CAPTURE_ENABLED=false deploy/bench/syscalls.sh             # capture off
#
# Also counts the Java exceptions the same threads threw for that connection, caught ones included (-Xlog:exceptions, written by
# the JVM's async log thread, which is not traced): each one costs a stack trace. Exceptions created but not
# thrown (such as Netty's ChannelOutputShutdownException) are not seen.
#
# Needs: strace nginx curl (Debian packages), a JDK 17. Ports 15310-15312 on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
APP="${1:-goproxy/target/quarkus-app}"
[ -f "$APP/quarkus-run.jar" ] || { echo "no quarkus-run.jar in $APP (build: ./mvnw -B -DskipTests package -pl goproxy -am)" >&2; exit 2; }
for bin in strace nginx curl java; do command -v "$bin" >/dev/null || { echo "$bin not found" >&2; exit 2; }; done

DIR=$(mktemp -d /tmp/tapline-syscalls.XXXXXX)
cleanup() { kill "${GP_PID:-}" "${NGINX_PID:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"; }
trap cleanup EXIT
cat > "$DIR/nginx.conf" <<EOF
worker_processes 1; daemon off; pid $DIR/nginx.pid; error_log $DIR/error.log;
events { worker_connections 64; }
http { access_log off; server { listen 127.0.0.1:15310; location / { return 200 "hello world!\n"; } } }
EOF
nginx -p "$DIR" -c "$DIR/nginx.conf" &
NGINX_PID=$!
# FORWARDER_ADDR points at a closed port: the forwarder link's own thread is not traced
PROXY_IN_PORT=15311 REVERSE_PROXY_HOST=127.0.0.1 REVERSE_PROXY_PORT=15310 APP_POD_NAME=syscalls APP_LABEL=syscalls \
  FORWARDER_ADDR=127.0.0.1:15399 METRICS_HTTP_PORT=15312 CAPTURE_ENABLED="${CAPTURE_ENABLED:-true}" \
  java -Xlog:async "-Xlog:exceptions=info:file=$DIR/exceptions.log:tid" -jar "$APP/quarkus-run.jar" > "$DIR/goproxy.log" 2>&1 &
GP_PID=$!
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:15312/q/health/live >/dev/null && break; sleep 0.2; done
# a few connections first, so that the traced one runs warm code paths (class loading, first allocations)
for _ in 1 2 3 4 5; do curl -sf -H "Connection: close" http://127.0.0.1:15311/ >/dev/null; done

TRACED=()
RELAY_TIDS=""
for task in /proc/$GP_PID/task/*; do
  case "$(cat "$task/comm")" in
    vert.x-eventloo*|vert.x-acceptor*) TRACED+=(-p "${task##*/}"); RELAY_TIDS+="${RELAY_TIDS:+|}${task##*/}" ;;
  esac
done
strace -qq "${TRACED[@]}" -o "$DIR/trace" &
STRACE_PID=$!
sleep 1
# the exceptions of the traced threads only (the log's tid decoration), not e.g. the forwarder link's retries
relay_exceptions() { grep -E "^\[($RELAY_TIDS)\] Exception <" "$DIR/exceptions.log" || true; }
exceptions_before=$(relay_exceptions | wc -l)
curl -sf -H "Connection: close" http://127.0.0.1:15311/ >/dev/null
sleep 0.5
exceptions_after=$(relay_exceptions | wc -l)
kill "$STRACE_PID"; wait "$STRACE_PID" 2>/dev/null || true

# from the accept of the traced connection on; epoll_wait (waiting, not work), the JVM's own housekeeping
# (futex) and gettid (the exception log's tid decoration asks for it) are left out
# (strace prefixes each line with the thread id)
sed -E 's/^[0-9]+ +//' "$DIR/trace" | sed -n '/^accept4(.*sin6\?_port/,$p' \
  | grep -oE '^[a-z_0-9]+\(' | tr -d '(' | grep -vE '^(epoll_wait|epoll_pwait|epoll_pwait2|futex|restart_syscall|gettid)$' \
  | sort | uniq -c | sort -rn | awk '{ total += $1; printf "  %-14s %3d\n", $2, $1 } END { printf "total: %d system calls for one connection (%s)\n", total, "'"$APP"'" }'
relay_exceptions | tail -n "$((exceptions_after - exceptions_before))" > "$DIR/new-exceptions"
{ grep -oE "Exception <[^>]*>" "$DIR/new-exceptions" || true; } | sed -E 's/\{0x[0-9a-f]+\}//' > "$DIR/thrown"
# one exception is logged once per frame it unwinds: count distinct objects
distinct=$( { grep -oE "\{0x[0-9a-f]+\}" "$DIR/new-exceptions" || true; } | sort -u | wc -l)
echo "Java exceptions thrown for that connection: $distinct"
sort -u "$DIR/thrown" | sed 's/^/  /'
