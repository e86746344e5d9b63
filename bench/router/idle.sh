#!/usr/bin/env bash
# The router idle as its image starts it: docker-compose.yml's router arguments (its own address,
# forwarding to the recursor, default cache size and --threads), jvm.options and its own class-data
# archive (CDS=role, trained as docker/train-cds.sh trains the image), in front of a lab of our
# root, TLD, authoritative servers and recursor on loopback, all from UPSTREAM_JAR (default: A's),
# so only the router differs. Each start: its health check passes (the root's SOA through the
# recursor), a few names asked through it, /health asked HEALTH_ASKS times as compose's health check
# does, then SETTLE_SECS quiet (twice the native-heap trim clock and a little), then VmRSS,
# Pss_Anon and the threads. Two jars (or one jar twice with other options) alternate, who starts
# first alternating; the recursor's counterpart is bench/recursor/idle.sh.
#   bench/router/idle.sh [A.jar [B.jar]]     STARTS=3 SETTLE_SECS=12 HEALTH_ASKS=3 UPSTREAM_JAR=A.jar
#   OPTIONS_A / OPTIONS_B: that side's argument files and options instead of jvm.options
#   JVM_DIAG=1: each start's threads by name
source "$(dirname "$0")/../lib.sh"
need dig java curl
JAR_A="$(realpath "${1:-$JAR}")"; JAR_B="$(realpath "${2:-$JAR_A}")"
UPSTREAM_JAR="$(realpath "${UPSTREAM_JAR:-$JAR_A}")"
STARTS="${STARTS:-3}" SETTLE_SECS="${SETTLE_SECS:-12}" HEALTH_ASKS="${HEALTH_ASKS:-3}"
LAB="${LAB:-127.53.48}"
ADDR="$LAB.254"
MAIN=dev.dnslab.router.RouterMain
CDS=role
bench_init router-idle "the router idle as its image starts it: A = $JAR_A ${OPTIONS_A:-}, B = $JAR_B ${OPTIONS_B:-}; upstream lab $UPSTREAM_JAR" jvm

# The lab without archives of their own: only the router's memory is read.
JAR="$UPSTREAM_JAR" CDS= start_lab_authorities "$LAB" zones --state-dir "$work/state"
JAR="$UPSTREAM_JAR" CDS= start_dnslab_recursor upstream-recursor "$LAB.53" 53 0 "$LAB" --state-dir "$work/state"
wait_answer "$LAB.53" 53 www.google.com "$LAB.80"
ARGS=(--address "$ADDR" --upstream "$LAB.53")

# idle_side side: asks a few names and its health, waits SETTLE_SECS, reads its memory, stops it
idle_side() {
  local side="$1" pid name i
  idle_start "router-$side" "$side" "$MAIN" "http://$ADDR:9153/health" "${ARGS[@]}"
  pid="${BENCH_PIDS[router-$side]}"
  for name in "www.google.com A" "www.naver.com A" "www.example.co.kr A" "www.google.com A"; do
    # shellcheck disable=SC2086  # name and type
    dig +time=2 +tries=1 @"$ADDR" $name >/dev/null
  done
  for ((i = 0; i < HEALTH_ASKS; i++)); do
    bash "$BENCH_ROOT/docker/health.sh" --url "http://$ADDR:9153/health" >/dev/null || echo "router-$side: unhealthy" >&2
  done
  sleep "$SETTLE_SECS"
  idle_reading "$side" "$pid"
  stop_daemon "router-$side"
}

echo "router: $(printf '%s ' "${ARGS[@]}")"
idle_sides
