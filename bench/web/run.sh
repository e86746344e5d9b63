#!/usr/bin/env bash
# Benchmarks the lab web server against nginx serving the same file, in one run, on loopback.
#
#   bench/web/run.sh                 # 10 s per measurement, 1 server thread / 1 nginx worker
#   DURATION=20 WORKERS=2 bench/web/run.sh
#
# HTTP/1.1: wrk, clear text. HTTP/2: h2load over TLS (ALPN h2). Both servers get the same Host /
# SNI (www.google.com), the same file (sites/www.google.com/index.html), no access log, no gzip
# (the clients do not ask for it), and the same number of worker threads. Absolute numbers move
# from machine to machine; the ratio is what to compare (goal: lab >= 0.5 x nginx).
#
# Needs: java 17, wrk, h2load (nghttp2-client), nginx, openssl, curl. Starts both servers itself
# and stops them by PID.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
WORKERS=${WORKERS:-1}
CONNECTIONS=${CONNECTIONS:-50}
STREAMS=${STREAMS:-10}
HOST=www.google.com
ADDR=127.0.0.1
LAB_HTTP=${LAB_HTTP:-18080} LAB_HTTPS=${LAB_HTTPS:-18443} LAB_ADMIN=${LAB_ADMIN:-19153}
NGX_HTTP=${NGX_HTTP:-28080} NGX_HTTPS=${NGX_HTTPS:-28443}
NGINX=${NGINX:-/usr/sbin/nginx}

for tool in java wrk h2load openssl curl "$NGINX"; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/dnslab-bench-web.XXXXXX)
LAB_PID= NGX_PID=
cleanup() {
  [[ -n "$LAB_PID" ]] && kill "$LAB_PID" 2>/dev/null && wait "$LAB_PID" 2>/dev/null || true
  [[ -n "$NGX_PID" ]] && kill "$NGX_PID" 2>/dev/null && wait "$NGX_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() { # url [curl args...]: poll until the server answers, up to 30 s
  local url=$1; shift
  local deadline=$((SECONDS + 30))
  until curl -fsS -o /dev/null "$@" "$url" 2>/dev/null; do
    (( SECONDS < deadline )) || { echo "no answer from $url" >&2; return 1; }
    sleep 0.2
  done
}

# --- the lab server -----------------------------------------------------------------------
cd "$ROOT"
if [[ ! -d web-server/target/classes ]]; then
  ./mvnw -B -q -pl web-server -am install -DskipTests
fi
./mvnw -B -q -pl web-server dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
CP="$ROOT/web-server/target/classes:$(cat "$WORK/cp.txt")"
java -Dlogback.configurationFile="$ROOT/bench/web/logback-bench.xml" -cp "$CP" dev.dnslab.web.WebServerMain \
  --address "$ADDR" --port "$LAB_HTTP" --https-port "$LAB_HTTPS" --admin-port "$LAB_ADMIN" \
  --sites "$ROOT/sites" --state-dir "$WORK/state" --threads "$WORKERS" >"$WORK/lab.log" 2>&1 &
LAB_PID=$!

# --- nginx, same file, same worker count ---------------------------------------------------
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=$HOST" \
  -addext "subjectAltName=DNS:$HOST" -keyout "$WORK/nginx.key" -out "$WORK/nginx.crt" 2>/dev/null
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<CONF
daemon off;
worker_processes $WORKERS;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen $ADDR:$NGX_HTTP;
    listen $ADDR:$NGX_HTTPS ssl http2;
    server_name $HOST;
    ssl_certificate $WORK/nginx.crt;
    ssl_certificate_key $WORK/nginx.key;
    root $ROOT/sites/$HOST;
    index index.html;
  }
}
CONF
"$NGINX" -c "$WORK/nginx/nginx.conf" -p "$WORK/nginx" >"$WORK/nginx.out" 2>&1 &
NGX_PID=$!

wait_for "http://$ADDR:$LAB_HTTP/" -H "Host: $HOST"
wait_for "http://$ADDR:$NGX_HTTP/" -H "Host: $HOST"

# Both must serve the very same bytes, or the comparison means nothing.
cmp <(curl -fsS -H "Host: $HOST" "http://$ADDR:$LAB_HTTP/") <(curl -fsS -H "Host: $HOST" "http://$ADDR:$NGX_HTTP/") \
  || { echo "the two servers send different bodies" >&2; exit 1; }
BYTES=$(curl -fsS -H "Host: $HOST" "http://$ADDR:$LAB_HTTP/" | wc -c)

wrk_rps() { # port
  local out
  out=$(timeout $((DURATION + 30)) wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -H "Host: $HOST" "http://$ADDR:$1/")
  if grep -q "Non-2xx" <<<"$out"; then echo "non-2xx answers on port $1:" >&2; echo "$out" >&2; exit 1; fi
  awk '/Requests\/sec/ {printf "%d", $2}' <<<"$out"
}

h2load_rps() { # port
  local out
  # h2load can wait forever for a connection that failed during a -D run: bound it.
  out=$(timeout $((DURATION + 30)) h2load -c"$CONNECTIONS" -m"$STREAMS" -D"$DURATION" --warm-up-time=1 --connect-to="$ADDR:$1" "https://$HOST:$1/")
  if ! grep -q "Application protocol: h2" <<<"$out"; then echo "h2 not negotiated on port $1" >&2; echo "$out" >&2; exit 1; fi
  if ! grep -Eq "status codes: [1-9][0-9]* 2xx, 0 3xx, 0 4xx, 0 5xx" <<<"$out"; then echo "non-2xx answers on port $1:" >&2; echo "$out" >&2; exit 1; fi
  awk '/^finished in/ {gsub(",", "", $4); printf "%d", $4}' <<<"$out"
}

# The JVM compiles hot code as it runs: warm it up before measuring, nginx needs none.
timeout 60 wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -H "Host: $HOST" "http://$ADDR:$LAB_HTTP/" >/dev/null
timeout 60 h2load -c"$CONNECTIONS" -m"$STREAMS" -n 50000 --connect-to="$ADDR:$LAB_HTTPS" "https://$HOST:$LAB_HTTPS/" >/dev/null

LAB_H1=$(wrk_rps "$LAB_HTTP");   NGX_H1=$(wrk_rps "$NGX_HTTP")
LAB_H2=$(h2load_rps "$LAB_HTTPS"); NGX_H2=$(h2load_rps "$NGX_HTTPS")

echo
echo "web bench: GET / on $HOST ($BYTES bytes), ${DURATION}s each, $WORKERS server thread(s)/worker(s), $(nproc) cores"
printf '%-32s %12s %12s %8s\n' "protocol (client)" "dnslab req/s" "nginx req/s" "ratio"
printf '%-32s %12s %12s %8s\n' "HTTP/1.1 (wrk -c$CONNECTIONS)" "$LAB_H1" "$NGX_H1" "$(awk -v a="$LAB_H1" -v b="$NGX_H1" 'BEGIN{printf "%.2f", a/b}')"
printf '%-32s %12s %12s %8s\n' "h2 over TLS (h2load -c$CONNECTIONS -m$STREAMS)" "$LAB_H2" "$NGX_H2" "$(awk -v a="$LAB_H2" -v b="$NGX_H2" 'BEGIN{printf "%.2f", a/b}')"
echo "goal: ratio >= 0.50"
