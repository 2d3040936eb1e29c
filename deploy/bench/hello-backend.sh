# Sourced by the bench scripts that relay to a tiny backend (tail.sh, threads.sh, keepalive.sh; needs PIDS, an
# array). start_hello_backend DIR PORT STATUS_PORT [DIRECTIVES] writes DIR/nginx.conf and starts nginx with one
# worker, pinned to CPU 0 beside the proxy as run.sh's harness pins it: "hello world!" on every keep-alive request
# to PORT, stub_status on STATUS_PORT, and DIRECTIVES (more locations) in PORT's server. Appends its pid to PIDS.
start_hello_backend() {
  cat > "$1/nginx.conf" <<NG
worker_processes 1; daemon off; pid $1/nginx.pid; error_log $1/nginx-error.log;
events { worker_connections 4096; }
http { access_log off;
  server { listen 127.0.0.1:$2; keepalive_requests 100000000; location / { return 200 "hello world!\n"; } ${4:-} }
  server { listen 127.0.0.1:$3; location / { stub_status; } } }
NG
  taskset -c 0 nginx -p "$1" -c "$1/nginx.conf" &
  PIDS+=($!)
}
