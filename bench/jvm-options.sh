#!/usr/bin/env bash
# What JVM options buy one role JVM (authoritative-ns, --threads 1): time from launch to the first
# answer, resident memory (VmRSS) idle and after a dnsperf run, and that run's queries per second,
# for each option set in turn (one line of OPTION_SETS each, the whole command line's JVM options:
# "none" = the JVM's own defaults; "@jvm.options" = the argument file every user's JVM starts with,
# which other options may follow to override it).
#   bench/jvm-options.sh                 LOAD_SECS=5 IDLE_SECS=8
source "$(dirname "$0")/lib.sh"
need dnsperf dig java
need_jar
LOAD_SECS="${LOAD_SECS:-5}" IDLE_SECS="${IDLE_SECS:-8}"
ADDR=127.53.1.23 PORT=5300
OPTION_SETS="${OPTION_SETS:-none
@jvm.options
@jvm.options -Dio.netty.jfr.enabled=true
-XX:+UseSerialGC
-XX:+UseSerialGC -XX:TieredStopAtLevel=1
-XX:+UseSerialGC -Xmx64m -XX:MaxDirectMemorySize=32m
-XX:+UseSerialGC -Xms8m -Xmx64m
-XX:+UseSerialGC -Xms8m -Xmx64m -XX:TrimNativeHeapInterval=5000
-XX:+UseSerialGC -Xmx64m -Xss256k -XX:ReservedCodeCacheSize=32m -XX:MaxMetaspaceSize=64m
-XX:+UseSerialGC -Xmx64m -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1
-XX:+UseSerialGC -Xmx64m -Dio.netty.allocator.type=unpooled}"
bench_init jvm-options "authoritative-ns per JVM option set: first answer, RSS idle and under load"
printf 'www.google.com A\nwww.naver.com A\nnosuch.google.com A\nwww.example.co.kr A\ngoogle.com NS\n' >"$work/queries.txt"
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
printf '  %-100s %8s %8s %8s %9s\n' "options" "1st ms" "idle MiB" "load MiB" "qps"
while IFS= read -r opts; do
  jvm_opts="$opts"; [ "$opts" = none ] && jvm_opts=""
  t0="$(ms_now)"
  # shellcheck disable=SC2086  # a list of options
  start_daemon auth java ${jvm_opts//@jvm.options/@$BENCH_ROOT/jvm.options} -cp "$JAR" \
    dev.dnslab.authoritative.AuthoritativeNameServer --address "$ADDR" --port "$PORT" \
    --admin-port 9283 --threads 1 --zones zones/authoritative --state-dir "$work/state"
  until dig +short +time=1 +tries=1 @"$ADDR" -p "$PORT" www.google.com 2>/dev/null | grep -q 127.53.0.80; do
    (( $(ms_now) - t0 < 60000 )) || { echo "no answer with $opts" >&2; tail "$work/auth.log" >&2; exit 1; }
  done
  first=$(( $(ms_now) - t0 )); sleep "$IDLE_SECS"; idle="$(rss_mib auth)"
  qps="$(dnsperf_qps auth "$ADDR" "$PORT" "$work/queries.txt" "$LOAD_SECS" -c 8 -q 256)"
  printf '  %-100s %8s %8s %8s %9s\n' "$opts" "$first" "$idle" "$(rss_mib auth)" "$qps"
  stop_daemon auth
done <<<"$OPTION_SETS"
