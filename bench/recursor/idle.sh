#!/usr/bin/env bash
# The recursor idle as its image starts it: docker-compose.yml's recursor arguments (its own
# address, the lab's root hints from `dnslab root-hints`, DoT and DoH on their default ports, the
# allow-lists, the lab's state folder, default --threads) and its own class-data archive (CDS=role,
# trained as docker/train-cds.sh trains the image), against a lab of our root, TLD and
# authoritative servers on loopback. Each start: its health check passes (a name resolved from the
# lab root, validating), a few names asked (the health check's, and one of each lab zone), then
# SETTLE_SECS quiet (twice the native-heap trim clock and a little), then VmRSS, Pss_Anon, the
# threads and the loaded classes. Two jars (or one jar twice with other options) alternate, who
# starts first alternating.
#   bench/recursor/idle.sh [A.jar [B.jar]]     STARTS=3 SETTLE_SECS=12
#   OPTIONS_A / OPTIONS_B: that side's argument files and options instead of those role_options
#     gives (e.g. OPTIONS_A="@jvm.options": the recursor as it started before an argument file of
#     its own; "@jvm..." names this tree's files)
#   TRAIN_CDS_A / TRAIN_CDS_B: that side's archive trained by another training script (e.g. the
#     commit before's: `git show REV:docker/train-cds.sh >FILE`), one jar on both sides
#   JVM_DIAG=1: each start's NMT summary needs JAVA_OPTS_DNSLAB=-XX:NativeMemoryTracking=summary
#     (its own memory: a diagnostic run, not a figure); with or without it, the mappings and threads
source "$(dirname "$0")/../lib.sh"
need dig java curl
JAR_A="$(realpath "${1:-$JAR}")"; JAR_B="$(realpath "${2:-$JAR_A}")"
STARTS="${STARTS:-3}" SETTLE_SECS="${SETTLE_SECS:-12}"
LAB="${LAB:-127.53.46}"
ADDR="$LAB.53"
CDS=role
bench_init recursor-idle "the recursor idle as its image starts it: A = $JAR_A ${OPTIONS_A:-}, B = $JAR_B ${OPTIONS_B:-}" jvm

# The lab's authorities without archives of their own: only the recursor's memory is read.
JAR="$JAR_B" CDS= start_lab_authorities "$LAB" zones --state-dir "$work/state"
java -jar "$JAR_B" root-hints --lab-network "$LAB.0/24" >"$work/root.hints"
ARGS=(--address "$ADDR" --lab-network "$LAB.0/24" --root-hints "$work/root.hints" --allow-upstream "$LAB.0/24"
  --allow-client "$LAB.0/24" --allow-client 127.0.0.0/8 --state-dir "$work/state")

# idle_side side: asks a few names, waits SETTLE_SECS, reads its memory, stops it
idle_side() {
  local side="$1" pid name
  idle_start "rec-$side" "$side" dev.dnslab.recursor.RecursorMain "http://$ADDR:9153/health" "${ARGS[@]}"
  pid="${BENCH_PIDS[rec-$side]}"
  for name in ". SOA" "www.google.com A" "www.naver.com A" "www.example.co.kr A" ". SOA"; do
    # shellcheck disable=SC2086  # name and type
    dig +time=2 +tries=1 @"$ADDR" $name >/dev/null
  done
  sleep "$SETTLE_SECS"
  idle_reading "$side" "$pid"
  stop_daemon "rec-$side"
}

echo "recursor: $(printf '%s ' "${ARGS[@]}")"
idle_sides
