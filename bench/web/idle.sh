#!/usr/bin/env bash
# The web server idle as its image starts it: docker-compose.yml's arguments (its address, the lab
# network, the bundled sites, the lab's state folder holding the lab CA, as compose's volume does
# after the first start), jvm.options and jvm-web.options, and its own class-data archive (CDS=role,
# trained as the image's stage trains it: until it serves www.google.com's page). Each start: the
# page served, then compose's health check (GET / for www.google.com over plain HTTP) HEALTH_ASKS
# times, then SETTLE_SECS quiet (twice the native-heap trim clock and a little), then VmRSS,
# Pss_Anon and the threads. No HTTPS request: a web server that only plain HTTP reached, as
# compose's health check and a learner's curl reach it. Two jars (or one jar twice with other
# options) alternate, who starts first alternating; the counterparts are bench/recursor/idle.sh and
# bench/authoritative/idle.sh.
#   bench/web/idle.sh [A.jar [B.jar]]     STARTS=3 SETTLE_SECS=12 HEALTH_ASKS=3
#   OPTIONS_A / OPTIONS_B: that side's argument files and options instead of those two
#     ("@jvm..." names this tree's files)
#   JVM_DIAG=1: each start's threads by name (and its NMT summary with
#     JAVA_OPTS_DNSLAB=-XX:NativeMemoryTracking=summary: a diagnostic run, not a figure)
source "$(dirname "$0")/../lib.sh"
need java curl
JAR_A="$(realpath "${1:-$JAR}")"; JAR_B="$(realpath "${2:-$JAR_A}")"
STARTS="${STARTS:-3}" SETTLE_SECS="${SETTLE_SECS:-12}" HEALTH_ASKS="${HEALTH_ASKS:-3}"
LAB="${LAB:-127.53.48}"
ADDR="$LAB.80" HTTP_PORT=8080
MAIN=dev.dnslab.web.WebServerMain
PAGE=(--url "http://$ADDR:$HTTP_PORT/" --host www.google.com)
CDS=role ROLE_READY="${PAGE[*]}"
bench_init web-idle "the web server idle as its image starts it: A = $JAR_A ${OPTIONS_A:-}, B = $JAR_B ${OPTIONS_B:-}" jvm

# Unprivileged ports (the image's 80 and 443 are its container's own); the ports change no memory.
ARGS=(--address "$ADDR" --port "$HTTP_PORT" --https-port 8443 --lab-network "$LAB.0/24" --sites sites
  --state-dir "$work/state")

# idle_side side: its health asked HEALTH_ASKS times, waits SETTLE_SECS, reads its memory, stops it
idle_side() {
  local side="$1" pid i
  idle_start "web-$side" "$side" "$MAIN" "http://$ADDR:9153/health" "${ARGS[@]}"
  pid="${BENCH_PIDS[web-$side]}"
  for ((i = 0; i < HEALTH_ASKS; i++)); do
    bash "$BENCH_ROOT/docker/health.sh" "${PAGE[@]}" >/dev/null || echo "web-$side: page not served" >&2
  done
  sleep "$SETTLE_SECS"
  idle_reading "$side" "$pid"
  stop_daemon "web-$side"
}

echo "web-server: $(printf '%s ' "${ARGS[@]}")"
idle_sides
