#!/usr/bin/env bash
# The lab web server against nginx serving the same file (sites/www.google.com/index.html), same
# Host / SNI, one server thread / one nginx worker, alternated rounds (see bench/lib.sh):
# HTTP/1.1 in clear text with wrk, then h2 over TLS (ALPN h2) with h2load, then new TLS connections
# per second: wrk over https with "Connection: close", so every request is a new TCP connection and
# a TLS handshake answered by one HTTP/1.1 response. wrk resumes its last session when it reconnects
# (SSL_clear keeps it: against `openssl s_server -www`, 673 of 673 handshakes were cache hits), so
# both servers offer the same protocols: nginx 1.22 offers TLS 1.2 at most by default, where a
# resumed handshake skips the key exchange that TLS 1.3 resumption still does (RFC 8446 2.2,
# psk_dhe_ke), which measured the protocol, not the server. NGINX_TLS="TLSv1 TLSv1.1 TLSv1.2" gives
# nginx 1.22's own default back.
# PARTS=browser (not in the default PARTS: it adds about 70 s) is HTTP/1.1 as a browser asks:
# wrk sending Chrome's Accept, Accept-Encoding ("gzip, deflate, br, zstd") and User-Agent, so both
# servers answer gzip. nginx has `gzip on;` as Debian's own /etc/nginx/nginx.conf sets it (and
# nothing else of gzip_*: level 1, text/html only, computed per request); ours sends the gzip body
# its compressor made (level 6) once per version of the file. The two bodies differ, so the check
# compares them decompressed. Clients without Accept-Encoding (wrk and h2load in the other parts)
# get the same answers from nginx with or without `gzip on;`. PARTS=h2-browser is the same request
# over h2 and TLS with h2load (header names in lower case, RFC 9113 8.2.1), as a browser sends it
# to an https site: not in the default PARTS either (about 70 s).
# PARTS=reload is a browser's reload of the page it has cached (and every revisit of it): the
# browser part's request plus If-None-Match with the ETag that server sent for its gzip body (nginx's
# is weak then, W/"...", ours is weak for both codings) and If-Modified-Since with its Last-Modified,
# each server's own, fetched with curl before the first run; both must answer 304 (checked with
# curl before the runs; wrk counts only 4xx and 5xx as errors). PARTS=h2-reload is the same over h2
# and TLS (h2load, which must count every answer as 3xx). Neither is in the default PARTS (about
# 70 s each).
# What the short ways' pre-built 304 bought (2026-12-07, ROUNDS=3 SECS=5, the eed7c72 jar, whose
# reloads take the full path, against the one that answers them the short way; three alternated
# pairs, who runs first alternating; CPU pressure "some" 40-92 % from other jobs), before -> after:
# reload ratio to nginx 0.880 / 0.943 / 0.902 -> 1.012 / 1.023 / 1.088, our CPU per request 14.4 /
# 16.4 / 14.3 -> 13.9 / 11.7 / 11.9 us (nginx 11.6-12.7); h2-reload 1.334 / 1.279 / 1.328 -> 1.856 /
# 1.916 / 1.923, 12.6 / 11.3 / 11.0 -> 7.8 / 7.6 / 7.9 us (nginx 12.9-16.1). PARTS=browser, three
# pairs, no change beyond the runs' swing: 2.990 / 2.930 / 3.011 -> 3.022 / 3.134 / 2.792, 10.5 /
# 16.1 / 11.8 -> 12.6 / 12.5 / 11.2 us (nginx 33.6-50.2).
# By default both keep their access log as a user gets it (ours: the dnslab.access logger to the
# console, here a file; nginx: access_log in combined format). ACCESS_LOG=off turns both off (the
# tuned variant, labelled so in the report).
# The unmeasured warm-up run of each server is 10 s here, not lib.sh's 3 s: 3 s is too short for
# the JVM to compile its HTTP and TLS paths before the measured rounds, which nginx, compiled ahead
# of time, never needs; nginx gets the same 10 s, so both are treated alike.
# Where our JVM's peak (VmHWM) comes from (2026-12-06, NMT and jcmd Compiler.queue every 150 ms
# during ROUNDS=2 SECS=3 runs): C2's compiler arenas, 16-28 MiB while it compiles Netty's pipeline
# (AbstractChannelHandlerContext.write, SslHandler.wrap, our channelRead), on top of a heap that the
# TLS part's full GC grows from 13 to 21 MiB committed (JAVA_OPTS_DNSLAB=-Xlog:gc: an allocation
# failure finds 8.7 MiB live in the old generation, 5.6 after h1, and sizes it to 14.5 MiB, the
# young one to 6.6), metaspace 12 -> 19 (the TLS and h2 classes) and JIT code 7 -> 16. Netty's
# direct memory ("Other") stays under 3 MiB. The biggest single compilation was PBKDF2 (26-30 MiB of
# arena), from the PKCS12 key store Netty built per TLS context; core's IssuedCertificate now gives
# it a JKS store and no trust collection (a server that asks no client certificate). Peak over the
# whole bench (ROUNDS=2 SECS=3, three alternated pairs of the jars before and after, the same run):
# after h2 129/126/131 -> 114/115/115 MiB, after new TLS connections 129/130/136 -> 128/124/126; the
# peak now comes in the TLS part. -XX:MaxInlineLevel=9 (JDK 14's default; 17's is 15) cut the
# biggest Netty compilations to ~20 MiB in one NMT run (peak 127 against 131-136 with NMT). Measured
# 2026-12-07 (the fe0359a jar on both sides, this script with ROUNDS=3, jvm.options alone vs with it
# as JAVA_OPTS_DNSLAB, four pairs each under one lock, who runs first alternating; CPU pressure
# 82-90 % in pairs 1-2, 4-15 % in pairs 3-4), without -> with: peak (VmHWM) after TLS
# 130/134/130/130 -> 147/128/126/133 MiB (median 130 -> 130.5), after h2 120/123/118/120 ->
# 125/117/117/120, after h1 102/100/102/99 -> 97/98/100/99; RSS after TLS 103/103/105/103 ->
# 110/107/104/104. Our CPU per request (nginx's in the same run): h1 13.3 (12.7) / 15.5 (16.7) /
# 10.8 (11.7) / 10.8 (12.1) -> 12.1 (14.0) / 12.4 (11.8) / 11.3 (11.6) / 12.0 (12.1) us; h2 11.6
# (15.2) / 13.3 (14.8) / 9.6 (14.2) / 9.6 (14.3) -> 9.5 (14.1) / 9.6 (14.4) / 9.7 (14.5) / 9.7
# (14.3); new TLS connections 349 (434) / 263 (281) / 287 (301) / 262 (282) -> 302 (296) / 295
# (304) / 269 (285) / 318 (409). Ratio to nginx h1 1.11/1.55/1.12/1.18 -> 1.00/1.23/1.07/1.06, h2
# 1.27/1.32/1.56/1.56 -> 1.60/1.61/1.55/1.57, TLS 0.76/0.88/0.93/0.86 -> 0.62/0.67/0.90/1.10. No
# CPU cost beyond the runs' swing (the quiet pairs 3-4 alike but h1, 10.8 -> 11.3 and 12.0), and no
# lower peak: 126-147 MiB with it, 130-134 without, over 128 in 2 of 4 pairs: not set. Other
# values (12, InlineSmallCode, MaxNodeLimit) not tried, 9 not showing the direction.
# What the tls part holds, and what comes and goes in it (2026-12-07, the 224d82e jar, one run with
# NMT sampled each second and jcmd GC.class_histogram at the ends of h2 and tls): live heap 8.1 MiB
# after h2, 7.3 after tls, the same Strings, classes, reflection and maps as at idle plus the open
# connections' pipelines; no TLS session cached (TLS 1.3 resumes with stateless tickets: the
# OpenSslSessionCache of each of the web server's 7 contexts empty); Netty's direct memory ("Other")
# 2.7 MiB. Between our TLS runs NMT counts 80-81 MiB committed (heap 19, metaspace 19, JIT code 16,
# the JDK's archive 12) and RSS is 105-112 MiB; while C2 compiles the handshake's paths its memory
# (Compiler and Arena Chunk) is 7-17 MiB and RSS 115-137 (NMT on), back at the next trim.
# What outlives its connection is its OpenSslEngine, which declares finalize() (679 after h2, 204
# after tls, ~0.3 KiB each with its session). Reference-counted engines instead (Netty's
# OPENSSL_REFCNT contexts, released at stop), 5 alternated pairs (ROUNDS=3; CPU pressure 85 % in
# pair 1, 3-88 % after): peak after tls 138/132/135/133/133 -> 132/142/131/134/131 MiB, after h2
# 119/119/117/122/119 -> 112/119/118/117/120; tls ratio to nginx median 0.921 -> 0.958: no lower
# peak, not kept. The peak is C2 at work on top of ~110 MiB, not data held.
# jvm-web.options (2026-12-08): -XX:MinHeapFreeRatio=20 -XX:MaxHeapFreeRatio=40, five alternated
# pairs: the heap after its full GCs 18 -> 13 MiB committed (~7 live), peak after tls median 136 ->
# 129 MiB (132-138 -> 126-136), no throughput cost (that file has every pair). MaxHeapFreeRatio alone
# would not act: the full GC grows the old generation to live / (1 - MinHeapFreeRatio).
# Per-method C2 limits (JDK 17 takes CompileCommand MaxNodeLimit per method) not measured.
#   bench/web/run.sh                  ROUNDS=5 SECS=5 WARMUP_SECS=10 CONNECTIONS=50 STREAMS=10
#                                     TLS_CONNECTIONS=8 PARTS="h1 h2 tls" NGINX_TLS="TLSv1.2 TLSv1.3"
#                                     (PARTS may also name browser, h2-browser, reload and h2-reload)
WARMUP_SECS="${WARMUP_SECS:-10}"
source "$(dirname "$0")/../lib.sh"
need java wrk h2load openssl curl nginx
need_jar
CONNECTIONS="${CONNECTIONS:-50}" STREAMS="${STREAMS:-10}" ACCESS_LOG="${ACCESS_LOG:-on}"
TLS_CONNECTIONS="${TLS_CONNECTIONS:-8}" PARTS="${PARTS:-h1 h2 tls}" NGINX_TLS="${NGINX_TLS:-TLSv1.2 TLSv1.3}"
HOST=www.google.com ADDR=127.0.0.1
declare -A HTTP=([dnslab]=18080 [nginx]=28080) HTTPS=([dnslab]=18443 [nginx]=28443)
[ "$ACCESS_LOG" = off ] && JAVA_OPTS_DNSLAB="$JAVA_OPTS_DNSLAB -Dlogback.configurationFile=$BENCH_ROOT/bench/web/logback-bench.xml"
bench_init web "GET / on $HOST: $PARTS (h1: wrk -c$CONNECTIONS; h2: h2load over TLS -c$CONNECTIONS -m$STREAMS; tls: new TLS connections, wrk -c$TLS_CONNECTIONS Connection: close; browser: wrk -c$CONNECTIONS with a browser's Accept-Encoding, gzip on both; h2-browser: the same over h2, h2load; reload / h2-reload: those with each server's If-None-Match and If-Modified-Since, 304); access logs $ACCESS_LOG; nginx ssl_protocols $NGINX_TLS"

start_dnslab dnslab dev.dnslab.web.WebServerMain --address "$ADDR" --port "${HTTP[dnslab]}" \
  --https-port "${HTTPS[dnslab]}" --admin-port 19153 --sites sites --state-dir "$work/state" --threads 1
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=$HOST" \
  -addext "subjectAltName=DNS:$HOST" -keyout "$work/nginx.key" -out "$work/nginx.crt" 2>/dev/null
mkdir -p "$work/nginx"
nginx_log="access_log $work/nginx/access.log combined;"
[ "$ACCESS_LOG" = off ] && nginx_log="access_log off;"
cat >"$work/nginx/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  $nginx_log
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  gzip on;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server {
    listen $ADDR:${HTTP[nginx]};
    listen $ADDR:${HTTPS[nginx]} ssl http2;
    server_name $HOST;
    ssl_protocols $NGINX_TLS;
    ssl_certificate $work/nginx.crt;
    ssl_certificate_key $work/nginx.key;
    root $BENCH_ROOT/sites/$HOST;
    index index.html;
  }
}
CONF
start_daemon nginx nginx -c "$work/nginx/nginx.conf" -p "$work/nginx"

deadline=$((SECONDS + 30))
for s in dnslab nginx; do
  until curl -fsS -o /dev/null -H "Host: $HOST" "http://$ADDR:${HTTP[$s]}/" 2>/dev/null; do
    (( SECONDS < deadline )) || { echo "no answer from $s" >&2; tail "$work"/*.log >&2; exit 1; }
    sleep 0.1
  done
done
# Both must serve the very same bytes, or the comparison means nothing.
cmp <(curl -fsS -H "Host: $HOST" "http://$ADDR:${HTTP[dnslab]}/") <(curl -fsS -H "Host: $HOST" "http://$ADDR:${HTTP[nginx]}/") \
  || { echo "the two servers send different bodies" >&2; exit 1; }
# What Chrome sends with a page request (the browser part).
BROWSER_HEADERS=(-H "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
  -H "Accept-Encoding: gzip, deflate, br, zstd"
  -H "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
H2_BROWSER_HEADERS=()
for ((i = 1; i < ${#BROWSER_HEADERS[@]}; i += 2)); do
  H2_BROWSER_HEADERS+=(-H "$(tr '[:upper:]' '[:lower:]' <<<"${BROWSER_HEADERS[i]%%:*}"):${BROWSER_HEADERS[i]#*:}")
done
# A browser's request of the site's page to server $1 over $2 (h1: HTTP/1.1; h2: h2 over TLS), with
# curl's further options after them: the one request every browser and reload check below makes.
browser_curl() {
  local s="$1" protocol="$2"; shift 2
  if [ "$protocol" = h2 ]; then
    curl --http2 -k --connect-to "$HOST:${HTTPS[$s]}:$ADDR:${HTTPS[$s]}" "${H2_BROWSER_HEADERS[@]}" "$@" "https://$HOST:${HTTPS[$s]}/"
  else
    curl -H "Host: $HOST" "${BROWSER_HEADERS[@]}" "$@" "http://$ADDR:${HTTP[$s]}/"
  fi
}
for protocol in h1 h2; do
  part="$([ "$protocol" = h2 ] && echo h2-browser || echo browser)"
  [[ " $PARTS " == *" $part "* ]] || continue
  for s in dnslab nginx; do
    browser_curl "$s" "$protocol" -fsS -D - -o /dev/null | grep -qi '^content-encoding: gzip' \
      || { echo "$s does not answer a browser's $protocol request with gzip" >&2; exit 1; }
  done
  cmp <(browser_curl dnslab "$protocol" -fsS --compressed) <(browser_curl nginx "$protocol" -fsS --compressed) \
    || { echo "the two servers send different bodies to a browser ($protocol)" >&2; exit 1; }
  echo "gzip bodies ($protocol): dnslab $(browser_curl dnslab "$protocol" -fsS | wc -c), nginx $(browser_curl nginx "$protocol" -fsS | wc -c) bytes"
done
# The reload parts: each server's own validators of its gzip body, and a check that they get 304.
declare -A RELOAD_ETAG RELOAD_SINCE
if [[ " $PARTS " == *" reload "* || " $PARTS " == *" h2-reload "* ]]; then
  for s in dnslab nginx; do
    fields="$(browser_curl "$s" h1 -fsS -D - -o /dev/null | tr -d '\r')"
    RELOAD_ETAG[$s]="$(awk 'tolower($1) == "etag:" {sub(/^[^:]*: /, ""); print}' <<<"$fields")"
    RELOAD_SINCE[$s]="$(awk 'tolower($1) == "last-modified:" {sub(/^[^:]*: /, ""); print}' <<<"$fields")"
    [ -n "${RELOAD_ETAG[$s]}" ] && [ -n "${RELOAD_SINCE[$s]}" ] || { echo "$s sends no ETag or Last-Modified" >&2; exit 1; }
    statuses=""
    for protocol in h1 h2; do
      statuses+=" $(browser_curl "$s" "$protocol" -sS -o /dev/null -w '%{http_code}' \
        -H "if-none-match: ${RELOAD_ETAG[$s]}" -H "if-modified-since: ${RELOAD_SINCE[$s]}")"
    done
    [ "$statuses" = " 304 304" ] || { echo "$s answers a reload with$statuses (h1, h2), not 304" >&2; exit 1; }
    echo "reload: $s ETag ${RELOAD_ETAG[$s]}, Last-Modified ${RELOAD_SINCE[$s]}: 304 on h1 and h2"
  done
fi
echo "peer: $(nginx -v 2>&1 | sed 's/.*: //'); body $(curl -fsS -H "Host: $HOST" "http://$ADDR:${HTTP[dnslab]}/" | wc -c) bytes"
# CPU per request (/proc/PID/stat utime + stime over each measured run) stays comparable when other
# jobs load the machine; requests per second do not. nginx answers from its one worker process.
declare -A CPU_PID=([dnslab]="${BENCH_PIDS[dnslab]}" [nginx]="$(pgrep -P "${BENCH_PIDS[nginx]}" | head -1)")
rss_line() { # when: our JVM's and nginx's worker's resident memory, each with its peak since start
  echo "RSS $1: dnslab $(rss_with_peak dnslab), nginx worker $(pid_rss_with_peak "${CPU_PID[nginx]}") and master $(rss_mib nginx) MiB"
}
settle_idle
rss_line idle
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / hz}' "/proc/${CPU_PID[$1]}/stat"; }
# measured label seconds fn: runs fn (which prints its rate and its request count), prints the
# rate, and appends the CPU microseconds per request of that run to $work/label.cpu.
measured() {
  local before out rate count after
  before="$(cpu_of "$1")"
  out="$("$3" "$1" "$2")"
  read -r rate count <<<"$out"
  after="$(cpu_of "$1")"
  awk -v b="$before" -v a="$after" -v n="${count:-0}" \
    'BEGIN {printf "%.1f\n", (n > 0 ? (a - b) * 1e6 / n : 0)}' >>"$work/$1.cpu"
  echo "$rate"
}
cpu_report() { # ours peer; the first line of each file is the warm-up run's
  local l
  for l in "$1" "$2"; do tail -n +2 "$work/$l.cpu" >"$work/$l.cpu.measured"; done
  printf '  CPU per request, microseconds: %s median %s; %s median %s\n' \
    "$1" "$(summarise "$work/$1.cpu.measured")" "$2" "$(summarise "$work/$2.cpu.measured")"
}

# wrk_run label seconds [wrk's further options]: one wrk run of GET / against that server ->
# requests per second, requests; stops the bench on any 4xx or 5xx answer (wrk's "Non-2xx or 3xx").
wrk_run() {
  local label="$1" seconds="$2" out; shift 2
  out="$(timeout $((seconds + 30)) wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" -H "Host: $HOST" "$@" "http://$ADDR:${HTTP[$label]}/")"
  grep -q "Non-2xx" <<<"$out" && { echo "4xx or 5xx answers from $label: $out" >&2; exit 1; }
  awk '/requests in/ {n = $1} /Requests\/sec/ {printf "%d %d", $2, n}' <<<"$out"
}
h1_run() { wrk_run "$1" "$2"; }
# h2load's duration mode (-D) hangs at the end of a run against a slow server, so each run asks
# for a request count: what the server did in the last second of its warm-up, scaled to SECS seconds.
# alternate runs each measurement in a subshell, so that count lives in a file ($work/label.h2-requests).
# The warm-up is h2load runs of about a second each (5,000 requests first, then the last run's
# rate), repeated until WARMUP_SECS have passed. It was one run of the rate of 5,000 requests times
# WARMUP_SECS, and a fresh JVM answers those 5,000 at 1,200-2,500 requests a second (interpreted
# and C1 code): our "10 s" warm-up lasted 2-5 s, and each measured run (that warm-up's rate times
# SECS) 0.5-2 s against nginx's 5. C2 then compiled some 300 methods in the measured rounds and took
# 18-70 % of a core in our runs of the first rounds (per-thread CPU from bench/web/h2-threads.py and
# -Xlog:jit+compilation, 2026-12-07, an Intel Xeon VM): CPU time that the rounds charged to our
# requests, and the round-to-round swing of h2. Five alternated pairs (the jar of 89073e5 on both
# sides; the fourth the whole bench, PARTS="h1 h2 tls", where h2 follows h1 in the same JVM), old
# warm-up -> this one: median ratio 1.018 / 1.007 / 0.973 / 1.039 / 0.981 -> 0.977 / 0.985 / 1.143 /
# 1.138 / 1.385; round 1 0.659 / 0.831 / 0.559 / 0.802 / 0.432 -> 1.071 / 1.260 / 1.045 / 1.029 /
# 1.175; our CPU per request 18.1-46.7 / 13.8-29.2 / 18.8-41.4 / 19.2-36.9 / 17.0-96.0 -> 17.7-19.7 /
# 15.5-19.2 / 13.7-17.6 / 12.7-17.0 / 11.6-17.7 us (nginx 12.6-21.6 in all ten); C2 at 0-3 % of a
# core in the measured rounds (old warm-up: 70 % in round 1 of the fourth pair, 30-64 % in rounds
# 1-4 of the fifth).
# Warm, ours costs about what nginx does per request here:
# the event loop ~90 % of a core, the serial GC's young collections 6-8 % (one every ~5 MiB of eden,
# ~1 ms each though only 40-130 KiB survive), the access log's two threads 4-5 %. perf record -p of
# our JVM alone under h2load (4 s): event loop 86.7 % of the samples, VM thread 8.7 (its biggest
# shares WeakProcessor::weak_oops_do 1.3 points, old-generation card scanning ~1.5, copying 0.4),
# access log 4.5; strace -c: one statx per request (h2load -c1 -n 1000), as nginx stats its file.
# The whole bench's peak after h2 120 -> 124 MiB, after tls 135 -> 132 (one pair).
# HTTP/1.1's floor (bench/web/profile.sh, a2ce98d's jar, 2026-12-07): of the event loop's perf
# samples under wrk, the kernel 54-66 % (loopback TCP: a send runs the receiving socket's stack too),
# Netty's HTTP codec 7-15 (readHeaders, encodeHeaders), the rest of Netty 9, JVM stubs and JNI 9-12,
# ours 6-7 (the short way's channelRead with what it inlines, the meters and the access-log line);
# per reload one recvfrom, one sendto and one statx (strace -c). JFR: 2.8 KB allocated per reload,
# 1.3 KB per h1 request, ~1.2 KB of a reload's in Netty's decoder (its header names and values).
# Header values read as the map holds them (HTTP/1.1's get and getAll copy each into a String), the
# access-log line's builder sized for Chrome's User-Agent, the client address's text remembered
# and no duplicate of a 304's empty body, before -> after (PARTS="h1 reload" ROUNDS=3, alternated
# pairs, CPU pressure "some" 4-81 %): our CPU per request h1 11.0 / 11.6 / 13.3 -> 10.3 / 10.4 / 10.3 us
# (nginx 12.3 / 12.6 / 12.8 -> 11.5 / 11.9 / 11.4), reload 12.4 / 13.6 / 12.8 -> 11.3 / 10.6 / 11.0
# (nginx 11.5 / 12.4 / 13.1 -> 11.9 / 10.7 / 10.5); ratio to nginx h1 1.318 / 1.118 / 1.066 -> 1.326 /
# 1.160 / 1.139, reload 1.094 / 0.902 / 0.952 -> 1.173 / 1.031 / 1.007.
# The short way's answers pre-encoded (the head encoded once a second by Netty's own encoder, written
# as bytes through the web server's Http1ServerCodec), f1b34d4's jar against e58919f's, PARTS="h1
# reload" ROUNDS=3, 3 alternated pairs, 2026-12-07 18:39-18:51 UTC, nothing else running: our CPU per
# request h1 12.1 / 10.7 / 10.2 -> 9.4 / 9.7 / 9.2 us (nginx 13.2 / 11.4 / 11.4 -> 12.2 / 11.2 / 11.3),
# reload 10.4 / 10.3 / 10.4 -> 9.9 / 10.1 / 10.0 (nginx 12.4 / 10.2 / 10.3 -> 10.3 / 10.2 / 10.3);
# ratio to nginx h1 1.246 / 1.093 / 1.142 -> 1.317 / 1.200 / 1.272, reload 1.081 / 1.021 / 1.026 ->
# 1.084 / 1.033 / 1.082.
# -XX:NewSize=8m for this JVM (eden 5.2 -> 6.5 MiB; one pair, gc logging on both sides): median ratio
# 1.089 -> 1.140, CPU per request 17.3 -> 15.3 us (nginx 18.9 and 17.1), GC thread 7-8 -> 6-7 %; RSS
# idle 65 -> 70 MiB, peak after h2 124 -> 126: within the runs' swing, and the web JVM's peak is at
# its 128 MiB line already: not set.
# H2_HEADERS: the request's extra header fields (the h2-browser part's); H2_PART names the file
# each part keeps its request count in, so h2-browser warms up on its own as h2 does.
# H2_STATUS: what h2load must count (every answer a 2xx; the h2-reload part's, every one a 3xx).
H2_HEADERS=() H2_PART=h2 H2_STATUS="status codes: [1-9][0-9]* 2xx, 0 3xx, 0 4xx, 0 5xx"
h2_load() { # label requests -> h2load's output
  local validators=()
  [ "$H2_PART" = h2-reload ] && validators=(-H "if-none-match: ${RELOAD_ETAG[$1]}" -H "if-modified-since: ${RELOAD_SINCE[$1]}")
  timeout -k 5 $((SECS + 60)) h2load -c"$CONNECTIONS" -m"$STREAMS" -n "$2" "${H2_HEADERS[@]}" "${validators[@]}" \
    --connect-to="$ADDR:${HTTPS[$1]}" "https://$HOST:${HTTPS[$1]}/"
}
h2_rate() { awk '/^finished in/ {gsub(",", "", $4); printf "%d", $4}'; }
h2_warm_up() { # label seconds -> the last run's rate, the requests of all runs
  local n=5000 rate total=0 until=$((SECONDS + $2))
  while :; do
    rate="$(h2_load "$1" "$n" | h2_rate)"
    total=$((total + n))
    (( SECONDS < until )) || break
    n="${rate:-0}"
    (( n >= 5000 )) || n=5000
  done
  echo $(( ${rate:-0} * SECS )) >"$work/$1.$H2_PART-requests"
  echo "${rate:-0} $total"
}
h2_run() { # label seconds -> requests per second, requests
  local out counted="$work/$1.$H2_PART-requests"
  [ -s "$counted" ] || { h2_warm_up "$1" "$2"; return; }
  local n
  n="$(cat "$counted")"
  (( n >= 5000 )) || n=5000
  out="$(h2_load "$1" "$n")"
  grep -q "Application protocol: h2" <<<"$out" || { echo "h2 not negotiated with $1: $out" >&2; exit 1; }
  grep -Eq "$H2_STATUS" <<<"$out" || { echo "not every answer from $1 is what $H2_PART expects: $out" >&2; exit 1; }
  awk '/^finished in/ {gsub(",", "", $4); printf "%d %d", $4, '"$n"'}' <<<"$out"
}
tls_run() { # label seconds -> new TLS connections per second (one request each), connections
  local out
  # wrk's TLS has no --connect-to: the address goes in the URL (so the SNI is 127.0.0.1, which both
  # servers answer with their only certificate for that name) and the site in the Host header.
  out="$(timeout $(($2 + 30)) wrk -t1 -c"$TLS_CONNECTIONS" -d"$2s" -H "Host: $HOST" -H "Connection: close" \
    "https://$ADDR:${HTTPS[$1]}/")"
  grep -q "Non-2xx" <<<"$out" && { echo "non-2xx answers from $1: $out" >&2; exit 1; }
  grep -q "Socket errors" <<<"$out" && echo "  ($1: $(grep 'Socket errors' <<<"$out" | sed 's/^ *//'))" >&2
  awk '/requests in/ {n = $1} /Requests\/sec/ {printf "%d %d", $2, n}' <<<"$out"
}
browser_run() { wrk_run "$1" "$2" "${BROWSER_HEADERS[@]}"; }
reload_run() {
  wrk_run "$1" "$2" "${BROWSER_HEADERS[@]}" -H "If-None-Match: ${RELOAD_ETAG[$1]}" -H "If-Modified-Since: ${RELOAD_SINCE[$1]}"
}
h1() { measured "$1" "$2" h1_run; }
reload() { measured "$1" "$2" reload_run; }
browser() { measured "$1" "$2" browser_run; }
h2() { measured "$1" "$2" h2_run; }
tls() { measured "$1" "$2" tls_run; }
for part in $PARTS; do case "$part" in
h1)
  echo "-- HTTP/1.1 (wrk -t1 -c$CONNECTIONS), requests per second"
  : >"$work/dnslab.cpu"; : >"$work/nginx.cpu"
  alternate h1 dnslab nginx
  ratio_report dnslab nginx req/s; cpu_report dnslab nginx
  rss_line "after h1" ;;
h2)
  echo "-- h2 over TLS (h2load -c$CONNECTIONS -m$STREAMS), requests per second"
  : >"$work/dnslab.cpu"; : >"$work/nginx.cpu"
  alternate h2 dnslab nginx
  ratio_report dnslab nginx req/s; cpu_report dnslab nginx
  rss_line "after h2" ;;
tls)
  echo "-- new TLS connections without keep-alive (wrk -t1 -c$TLS_CONNECTIONS, Connection: close), per second"
  : >"$work/dnslab.cpu"; : >"$work/nginx.cpu"
  alternate tls dnslab nginx
  ratio_report dnslab nginx conn/s; cpu_report dnslab nginx
  rss_line "after tls" ;;
h2-browser)
  echo "-- h2 over TLS as a browser asks (h2load -c$CONNECTIONS -m$STREAMS, accept-encoding: gzip, deflate, br, zstd), requests per second"
  : >"$work/dnslab.cpu"; : >"$work/nginx.cpu"
  H2_HEADERS=("${H2_BROWSER_HEADERS[@]}") H2_PART=h2-browser
  alternate h2 dnslab nginx
  H2_HEADERS=() H2_PART=h2
  ratio_report dnslab nginx req/s; cpu_report dnslab nginx
  rss_line "after h2-browser" ;;
browser)
  echo "-- HTTP/1.1 as a browser asks (wrk -t1 -c$CONNECTIONS, Accept-Encoding: gzip, deflate, br, zstd), requests per second"
  : >"$work/dnslab.cpu"; : >"$work/nginx.cpu"
  alternate browser dnslab nginx
  ratio_report dnslab nginx req/s; cpu_report dnslab nginx
  rss_line "after browser" ;;
reload)
  echo "-- HTTP/1.1 as a browser reloads (wrk -t1 -c$CONNECTIONS, the browser part's request with If-None-Match and If-Modified-Since: 304), requests per second"
  : >"$work/dnslab.cpu"; : >"$work/nginx.cpu"
  alternate reload dnslab nginx
  ratio_report dnslab nginx req/s; cpu_report dnslab nginx
  rss_line "after reload" ;;
h2-reload)
  echo "-- h2 over TLS as a browser reloads (h2load -c$CONNECTIONS -m$STREAMS, the h2-browser part's request with if-none-match and if-modified-since: 304), requests per second"
  : >"$work/dnslab.cpu"; : >"$work/nginx.cpu"
  H2_HEADERS=("${H2_BROWSER_HEADERS[@]}") H2_PART=h2-reload H2_STATUS="status codes: 0 2xx, [1-9][0-9]* 3xx, 0 4xx, 0 5xx"
  alternate h2 dnslab nginx
  H2_HEADERS=() H2_PART=h2 H2_STATUS="status codes: [1-9][0-9]* 2xx, 0 3xx, 0 4xx, 0 5xx"
  ratio_report dnslab nginx req/s; cpu_report dnslab nginx
  rss_line "after h2-reload" ;;
*) echo "unknown part $part (expected: h1 h2 tls browser h2-browser reload h2-reload)" >&2; exit 1 ;;
esac; done
