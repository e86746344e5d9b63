#!/usr/bin/env bash
# `dnslab up` as a user starts it (the ./dnslab launcher, its JVM defaults): the time from launch
# until the recursor answers www.google.com, and the lab JVM's resident memory once it answers
# and after IDLE_SECS more. The first start has an empty state folder (it makes the DNSSEC keys);
# the next STARTS reuse it, as every later `dnslab up` does.
#   bench/startup.sh                 STARTS=5 IDLE_SECS=5
source "$(dirname "$0")/lib.sh"
need dig java
need_jar
STARTS="${STARTS:-5}" IDLE_SECS="${IDLE_SECS:-5}"
LAB=127.53.6 PORT=5300
bench_init startup "./dnslab up --port $PORT: launch to the recursor's first answer; RSS" jvm
echo "launcher: ./dnslab ($(grep -o 'exec java.*' dnslab))"
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
: >"$work/ms.values"; : >"$work/rss.values"
for ((i = 0; i <= STARTS; i++)); do
  t0="$(ms_now)"
  start_daemon up ./dnslab up --port "$PORT" --lab-network "$LAB.0/24" --admin-port 9273 --doh-port 18473 \
    --dot-port 18873 --http-port 18083 --https-port 18483 --state-dir "$work/state"
  until dig +short +time=1 +tries=1 @"$LAB.53" -p "$PORT" www.google.com 2>/dev/null | grep -q "$LAB.80"; do
    (( $(ms_now) - t0 < 60000 )) || { echo "no answer within 60 s" >&2; tail "$work/up.log" >&2; exit 1; }
  done
  ms=$(( $(ms_now) - t0 )); rss_first="$(rss_mib up)"
  sleep "$IDLE_SECS"; rss_idle="$(rss_mib up)"
  if (( i == 0 )); then
    echo "  start 0 (fresh state, makes keys): ${ms} ms to first answer; RSS ${rss_first} MiB, idle ${rss_idle} MiB"
  else
    echo "  start $i: ${ms} ms to first answer; RSS ${rss_first} MiB, after ${IDLE_SECS}s idle ${rss_idle} MiB"
    echo "$ms" >>"$work/ms.values"; echo "$rss_idle" >>"$work/rss.values"
  fi
  stop_daemon up
done
echo "  START ms to first answer: median $(summarise "$work/ms.values")"
echo "  LAB RSS idle MiB: median $(summarise "$work/rss.values")"
