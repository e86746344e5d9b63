#!/usr/bin/env bash
# An authoritative-ns idle as its image starts it: docker-compose.yml's arguments (its own address,
# the lab network, the authoritative zones signed with the state folder's keys, the AXFR allow-list,
# default --threads), jvm.options and jvm-authority.options, and its own class-data archive
# (CDS=role, trained as docker/train-cds.sh trains the image). Each start: its health check passes
# (its first zone's SOA asked over its own socket), a few names asked, /health asked HEALTH_ASKS
# times as compose's health check does, then SETTLE_SECS quiet (twice the native-heap trim clock
# and a little), then VmRSS, Pss_Anon and the threads. Two jars (or one jar twice with other
# options) alternate, who starts first alternating; the recursor's counterpart is
# bench/recursor/idle.sh.
#   bench/authoritative/idle.sh [A.jar [B.jar]]     STARTS=3 SETTLE_SECS=12 HEALTH_ASKS=3
#   OPTIONS_A / OPTIONS_B: that side's argument files and options instead of those role_options
#     gives ("@jvm..." names this tree's files)
#   JVM_DIAG=1: each start's threads by name (and its NMT summary with
#     JAVA_OPTS_DNSLAB=-XX:NativeMemoryTracking=summary: a diagnostic run, not a figure)
source "$(dirname "$0")/../lib.sh"
need dig java curl
JAR_A="$(realpath "${1:-$JAR}")"; JAR_B="$(realpath "${2:-$JAR_A}")"
STARTS="${STARTS:-3}" SETTLE_SECS="${SETTLE_SECS:-12}" HEALTH_ASKS="${HEALTH_ASKS:-3}"
LAB="${LAB:-127.53.47}"
ADDR="$LAB.13"
MAIN=dev.dnslab.authoritative.AuthoritativeNameServer
CDS=role
bench_init authoritative-idle "an authoritative-ns idle as its image starts it: A = $JAR_A ${OPTIONS_A:-}, B = $JAR_B ${OPTIONS_B:-}" jvm

ARGS=(--address "$ADDR" --lab-network "$LAB.0/24" --zones zones/authoritative --axfr-allow 127.0.0.0/8
  --state-dir "$work/state")

# idle_side side: asks a few names and its health, waits SETTLE_SECS, reads its memory, stops it
idle_side() {
  local side="$1" pid name i
  idle_start "auth-$side" "$side" "$MAIN" "http://$ADDR:9153/health" "${ARGS[@]}"
  pid="${BENCH_PIDS[auth-$side]}"
  for name in "www.google.com A" "www.naver.com A" "www.example.co.kr A" "google.com SOA"; do
    # shellcheck disable=SC2086  # name and type
    dig +time=2 +tries=1 +norecurse @"$ADDR" $name >/dev/null
  done
  for ((i = 0; i < HEALTH_ASKS; i++)); do
    bash "$BENCH_ROOT/docker/health.sh" --url "http://$ADDR:9153/health" >/dev/null || echo "auth-$side: unhealthy" >&2
  done
  sleep "$SETTLE_SECS"
  idle_reading "$side" "$pid"
  stop_daemon "auth-$side"
}

echo "authoritative-ns: $(printf '%s ' "${ARGS[@]}")"
idle_sides
