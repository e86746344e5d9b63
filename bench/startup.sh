#!/usr/bin/env bash
# `dnslab up` as a user starts it (the ./dnslab launcher, its JVM defaults): the time from launch
# until the recursor answers www.google.com, and the lab JVM's resident memory once it answers
# and after IDLE_SECS more. The first start has an empty state folder (it makes the DNSSEC keys);
# the next STARTS reuse it, as every later `dnslab up` does. FRESH_STARTS=N makes the first N
# starts fresh (each on an emptied state folder) and prints their median too: one fresh start says
# little, its root RSA keys take a random prime search (0.4-1.0 s of one start's wall time here).
# Measured and left out (2026-12-06): that search begun on a thread of its own at the top of main,
# before picocli and logging (~190 ms of the main thread), when the state folder had no root keys:
# FRESH_STARTS=5 STARTS=3, 3 alternated pairs, fresh median 1667 -> 1656, 2385 -> 2406, 2581 ->
# 2337 ms (the last under cpu pressure): on 2 cores the JIT holds the other core, as it did when the
# two pairs were made side by side.
# FIRST_UP=1 makes each fresh start a learner's very first `./dnslab up` after the launcher built
# the jar: the state folder and the class-data archive removed, then what the launcher does right
# after its build (scripts/train-lab-archive.sh with the bench's state folder as the default one,
# DNSLAB_STATE_DIR: the training leaves the lab's keys and CA there; timed apart, its seconds are
# the build's, not the start's), then the timed `up` (FIRST UP). Each is followed by one more `up`
# on an emptied state folder with that archive (FRESH START: keys made by the `up` itself, as an
# `up --state-dir NEW` makes them). A checkout whose training leaves no keys measures its first
# `up` making them (the FIRST UP line says so); one without the script records the archive at the
# first lab's stop instead.
# The ./dnslab launcher builds the jar again (./mvnw install, then a training start) when a source
# (*.java, pom.xml, *.zone, tests too) is newer than cli/target/dnslab.jar, and a start that does
# times a build: the 33.6 s FIRST UP of 2026-12-07 09:43 was one (test sources edited a minute
# after the bench's build; junit/ and compose-it/, the reactor's last modules, were written 25-30 s
# into that start, and no start after it built). So the script stops before the first start when
# the launcher would build, and after any start whose log says it built.
#   bench/startup.sh                 STARTS=5 IDLE_SECS=5 FRESH_STARTS=1 FIRST_UP=0
source "$(dirname "$0")/lib.sh"
need dig java
need_jar
newer_source="$(find . -path './*/target' -prune -o \( -name '*.java' -o -name 'pom.xml' -o -name '*.zone' \) \
  -newer cli/target/dnslab.jar -print 2>/dev/null | head -1)"
[ -z "$newer_source" ] || { echo "$newer_source is newer than cli/target/dnslab.jar: ./dnslab would build" \
  "inside the first timed start; build first (./mvnw -B -q -pl cli -am package -DskipTests)" >&2; exit 1; }
STARTS="${STARTS:-5}" IDLE_SECS="${IDLE_SECS:-5}" FRESH_STARTS="${FRESH_STARTS:-1}" FIRST_UP="${FIRST_UP:-0}"
(( FRESH_STARTS >= 1 )) || { echo "FRESH_STARTS=$FRESH_STARTS (expected: >= 1)" >&2; exit 1; }
LAB=127.53.6 PORT=5300
bench_init startup "./dnslab up --port $PORT: launch to the recursor's first answer; RSS" jvm
echo "launcher: ./dnslab ($(grep -o 'exec java.*' dnslab))"
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }
: >"$work/ms.values"; : >"$work/rss.values"; : >"$work/fresh.values"; : >"$work/train.values"; : >"$work/first.values"
timed_up() { # one `up` until the recursor's first answer; sets ms, rss_first, rss_idle
  local t0; t0="$(ms_now)"
  start_daemon up ./dnslab up --port "$PORT" --lab-network "$LAB.0/24" --admin-port 9273 --doh-port 18473 \
    --dot-port 18873 --http-port 18083 --https-port 18483 --state-dir "$work/state"
  until dig +short +time=1 +tries=1 @"$LAB.53" -p "$PORT" www.google.com 2>/dev/null | grep -q "$LAB.80"; do
    (( $(ms_now) - t0 < 60000 )) || { echo "no answer within 60 s" >&2; tail "$work/up.log" >&2; exit 1; }
  done
  ms=$(( $(ms_now) - t0 )); rss_first="$(rss_mib up)"
  ! grep -q '^dnslab: building' "$work/up.log" || { echo "this start (${ms} ms) built the jar first:" \
    "a source changed during the bench" >&2; exit 1; }
  sleep "$IDLE_SECS"; rss_idle="$(rss_mib up)"
  stop_daemon up
}
for ((i = 1 - FRESH_STARTS; i <= STARTS; i++)); do
  (( i > 0 )) || rm -rf "$work/state"
  if (( i <= 0 && FIRST_UP )); then
    rm -f cli/target/dnslab.jsa
    if [ -x scripts/train-lab-archive.sh ]; then
      t0="$(ms_now)"
      DNSLAB_STATE_DIR="$work/state" scripts/train-lab-archive.sh "$JAR" cli/target/dnslab.jsa 2>/dev/null
      ms=$(( $(ms_now) - t0 ))
      echo "  build step's training start: ${ms} ms$([ -f cli/target/dnslab.jsa ] || echo ', NO archive')"
      echo "$ms" >>"$work/train.values"
    fi
    keys="$([ -d "$work/state/keys" ] && echo "keys made by the build's training" || echo "makes keys")"
    timed_up
    echo "  start $i (first up after a build, $keys): ${ms} ms to first answer; RSS ${rss_first} MiB, idle ${rss_idle} MiB"
    echo "$ms" >>"$work/first.values"
    rm -rf "$work/state"
  fi
  timed_up
  if (( i <= 0 )); then
    echo "  start $i (fresh state, makes keys$( (( FIRST_UP )) && echo ", the training's archive")): ${ms} ms to first answer; RSS ${rss_first} MiB, idle ${rss_idle} MiB"
    echo "$ms" >>"$work/fresh.values"
  else
    echo "  start $i: ${ms} ms to first answer; RSS ${rss_first} MiB, after ${IDLE_SECS}s idle ${rss_idle} MiB"
    echo "$ms" >>"$work/ms.values"; echo "$rss_idle" >>"$work/rss.values"
  fi
done
[ ! -s "$work/first.values" ] || echo "  FIRST UP ms to first answer (after the build's training): median $(summarise "$work/first.values")"
(( FRESH_STARTS == 1 )) || echo "  FRESH START ms to first answer (empty state folder): median $(summarise "$work/fresh.values")"
[ ! -s "$work/train.values" ] || echo "  TRAINING START ms (the build step's): median $(summarise "$work/train.values")"
echo "  START ms to first answer: median $(summarise "$work/ms.values")"
echo "  LAB RSS idle MiB: median $(summarise "$work/rss.values")"
