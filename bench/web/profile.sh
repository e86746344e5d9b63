#!/usr/bin/env bash
# Where our web server's CPU and allocation go per HTTP/1.1 request: one web JVM (jvm.options and
# jvm-web.options, the access log on, as web/run.sh starts it), warmed up with wrk for WARMUP_SECS,
# then a JFR recording (the JDK's "profile" settings: a stack sample every 10 ms, allocation
# samples) over SECS of the same wrk load, summarised by bench/web/jfr-summary.py: the top self-time
# frames, the event loop's time by the first of our frames on its stack, and the bytes allocated per
# request by class (the samples' weights summed, divided by the requests wrk made while recording).
#   PART=h1      GET / as wrk sends it (web/run.sh's h1 part)
#   PART=reload  a browser's reload: Chrome's header fields with If-None-Match and If-Modified-Since
#                from the server's own ETag and Last-Modified of its gzip body, answered 304
#                (web/run.sh's reload part)
#   JAR, WARMUP_SECS (10), SECS (15), CONNECTIONS (50); TOP (25) frames per table.
#   bench/web/profile.sh                      PART=reload JAR=other.jar bench/web/profile.sh
WARMUP_SECS="${WARMUP_SECS:-10}" SECS="${SECS:-15}"
source "$(dirname "$0")/../lib.sh"
need java jcmd jfr wrk curl python3 perf
need_jar
PART="${PART:-h1}" CONNECTIONS="${CONNECTIONS:-50}" TOP="${TOP:-25}"
HOST=www.google.com ADDR=127.0.0.1 PORT=18080
bench_init web-profile "JFR of the web server under wrk -c$CONNECTIONS, part $PART" jvm
echo "jar: $JAR"
start_dnslab dnslab dev.dnslab.web.WebServerMain --address "$ADDR" --port "$PORT" \
  --https-port 18443 --admin-port 19153 --sites sites --state-dir "$work/state" --threads 1
deadline=$((SECONDS + 30))
until curl -fsS -o /dev/null -H "Host: $HOST" "http://$ADDR:$PORT/" 2>/dev/null; do
  (( SECONDS < deadline )) || { echo "no answer from the web server" >&2; tail "$work"/*.log >&2; exit 1; }
  sleep 0.1
done
# The same request as web/run.sh's part of that name.
headers=(-H "Host: $HOST")
if [ "$PART" = reload ]; then
  headers+=(-H "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
    -H "Accept-Encoding: gzip, deflate, br, zstd"
    -H "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
  fields="$(curl -fsS -D - -o /dev/null "${headers[@]}" "http://$ADDR:$PORT/" | tr -d '\r')"
  etag="$(awk 'tolower($1) == "etag:" {sub(/^[^:]*: /, ""); print}' <<<"$fields")"
  since="$(awk 'tolower($1) == "last-modified:" {sub(/^[^:]*: /, ""); print}' <<<"$fields")"
  headers+=(-H "If-None-Match: $etag" -H "If-Modified-Since: $since")
  status="$(curl -sS -o /dev/null -w '%{http_code}' "${headers[@]}" "http://$ADDR:$PORT/")"
  [ "$status" = 304 ] || { echo "a reload got $status, not 304" >&2; exit 1; }
elif [ "$PART" != h1 ]; then
  echo "unknown part $PART (expected: h1 reload)" >&2; exit 1
fi
pid="${BENCH_PIDS[dnslab]}"
wrk -t1 -c"$CONNECTIONS" -d"${WARMUP_SECS}s" "${headers[@]}" "http://$ADDR:$PORT/" >/dev/null
cpu() { awk -v hz="$(getconf CLK_TCK)" '{sub(/^.*\) /, ""); printf "%.3f", ($12 + $13) / hz}' "/proc/$pid/stat"; }
jcmd "$pid" JFR.start name=web-profile settings=profile >/dev/null
# JDK 17's JFR samples a thread only in Java code at a walkable point (86 samples in 15 s of an
# event loop busy ~60 %), so the self time comes from perf too, with the JIT's symbols
# (Compiler.perfmap writes /tmp/perf-PID.map).
perf record -q -F 997 -p "$pid" -o "$work/perf.data" -- sleep "$SECS" 2>/dev/null &
perf_pid=$!
before="$(cpu)"
out="$(wrk -t1 -c"$CONNECTIONS" -d"${SECS}s" "${headers[@]}" "http://$ADDR:$PORT/")"
after="$(cpu)"
wait "$perf_pid" || true
jcmd "$pid" JFR.stop name=web-profile filename="$work/web.jfr" >/dev/null
jcmd "$pid" Compiler.perfmap >/dev/null
trap 'rm -f "/tmp/perf-$pid.map"; bench_cleanup' EXIT
grep -q "Non-2xx" <<<"$out" && { echo "4xx or 5xx answers: $out" >&2; exit 1; }
requests="$(awk '/requests in/ {print $1}' <<<"$out")"
echo "while recording: $requests requests, $(awk '/Requests\/sec/ {print $2}' <<<"$out") per second," \
  "$(awk -v b="$before" -v a="$after" -v n="$requests" 'BEGIN {printf "%.1f", (a - b) * 1e6 / n}') us CPU per request (JFR on)"
echo "CPU pressure: $(head -1 /proc/pressure/cpu)"
jfr print --json --events jdk.ExecutionSample,jdk.ObjectAllocationSample "$work/web.jfr" >"$work/web.json"
perf_table() { # title, then perf report's options: its first TOP rows
  local title="$1"; shift
  echo "-- perf: $title"
  { perf report -i "$work/perf.data" --stdio --no-children "$@" 2>/dev/null || true; } | grep '%' | head -n "$TOP" || true
}
perf_table "samples by thread" --sort comm
loop_comm="$({ perf report -i "$work/perf.data" --stdio --sort comm 2>/dev/null || true; } | awk '/%/ && !n++ {print $2}')"
perf_table "the event loop ($loop_comm) by code: kernel, JIT, JVM, libc" --comms "$loop_comm" --percentage relative --sort dso
perf_table "the event loop's self time by symbol" --comms "$loop_comm" --percentage relative --sort sym
# The same samples by whose code: a JIT-compiled method counts with the methods inlined into it.
echo "-- perf: the event loop's self time by whose code (a compiled method with what it inlined)"
{ perf report -i "$work/perf.data" --stdio --no-children --comms "$loop_comm" --percentage relative --sort sym 2>/dev/null || true; } \
  | awk '/%/ {p = $1 + 0; k = "other native (JVM, libc, stubs)"
      if ($2 == "[k]") k = "kernel"; else if ($0 ~ /dev\.dnslab\./) k = "dev.dnslab"
      else if ($0 ~ /io\.netty\.handler\.codec/) k = "io.netty codec"; else if ($0 ~ /io\.netty\./) k = "io.netty (channel, buffer, epoll)"
      else if ($0 ~ /io\.micrometer\./) k = "io.micrometer"; else if ($0 ~ / (java|jdk|sun)\./) k = "java, jdk"
      else if ($0 ~ /Interpreter/) k = "interpreter"
      share[k] += p} END {for (k in share) printf "  %6.2f%%  %s\n", share[k], k}' | sort -rn
python3 "$(dirname "$0")/jfr-summary.py" "$work/web.json" "$requests" "$TOP"
