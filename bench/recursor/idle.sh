#!/usr/bin/env bash
# The recursor idle as its image starts it: docker-compose.yml's recursor arguments (its own
# address, the lab's root hints from `dnslab root-hints`, DoT and DoH on their default ports, the
# allow-lists, the lab's state folder, default --threads) and its own class-data archive (CDS=role,
# trained as docker/train-cds.sh trains the image), against a lab of our root, TLD and
# authoritative servers on loopback. Each start: its health check passes (a name resolved from the
# lab root, validating), a few names asked (the health check's, and one of each lab zone), then
# SETTLE_SECS quiet (twice the native-heap trim clock and a little), then VmRSS, Pss_Anon and the
# threads. Two jars (or one jar twice with other options) alternate, who starts first alternating.
#   bench/recursor/idle.sh [A.jar [B.jar]]     STARTS=3 SETTLE_SECS=12
#   OPTIONS_A / OPTIONS_B: that side's argument files and options instead of those role_options
#     gives (e.g. OPTIONS_A="@jvm.options": the recursor as it started before an argument file of
#     its own; "@jvm..." names this tree's files)
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

# side_options side -> the recursor's JVM options of that side, one a line
side_options() {
  local given="OPTIONS_$1"
  if [ -n "${!given:-}" ]; then
    # shellcheck disable=SC2086  # a list of options
    printf '%s\n' ${!given//@jvm/@$BENCH_ROOT/jvm}
  else
    role_options dev.dnslab.recursor.RecursorMain
  fi
}

# start_side side: the recursor of that side, started as the image starts it, until healthy
start_side() {
  local side="$1" jar="JAR_$1" options i
  mapfile -t options < <(side_options "$side")
  JAR="${!jar}" role_archive "rec-$side" dev.dnslab.recursor.RecursorMain "${ARGS[@]}"
  # shellcheck disable=SC2086  # JAVA_OPTS_DNSLAB is a list of options
  start_daemon "rec-$side" java "${options[@]}" "-XX:SharedArchiveFile=$work/rec-$side.jsa" $JAVA_OPTS_DNSLAB \
    -cp "${!jar}" dev.dnslab.recursor.RecursorMain "${ARGS[@]}"
  for ((i = 0; i < 600; i++)); do
    bash "$BENCH_ROOT/docker/health.sh" --url "http://$ADDR:9153/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "rec-$side: not healthy within 60 s" >&2; tail "$work/rec-$side.log" >&2; exit 1
}

# idle_side side: asks a few names, waits SETTLE_SECS, reads its memory, stops it
idle_side() {
  local side="$1" pid name
  start_side "$side"
  pid="${BENCH_PIDS[rec-$side]}"
  for name in ". SOA" "www.google.com A" "www.naver.com A" "www.example.co.kr A" ". SOA"; do
    # shellcheck disable=SC2086  # name and type
    dig +time=2 +tries=1 @"$ADDR" $name >/dev/null
  done
  sleep "$SETTLE_SECS"
  awk '/^Pss_Anon:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/smaps_rollup" >"$work/$side.pss"
  printf '%s %s %s\n' "$(awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")" "$(cat "$work/$side.pss")" \
    "$(ls "/proc/$pid/task" | wc -l)" >>"$work/$side.idle"
  echo "  start $start $side: VmRSS $(tail -1 "$work/$side.idle" | awk '{print $1 " MiB, Pss_Anon " $2 " MiB, threads " $3}')"
  if [ "${JVM_DIAG:-0}" -ge 1 ]; then
    jcmd "$pid" VM.native_memory summary 2>&1 | awk '/^Total|^-  *[A-Z]/ {print "    " $0}'
    echo "    $(cat /proc/"$pid"/task/*/comm | sed 's/-*[0-9]*$//' | sort | uniq -c | awk '{n = $1; $1 = ""; printf "%s x%d, ", substr($0, 2), n}')"
  fi
  stop_daemon "rec-$side"
}

echo "recursor: $(printf '%s ' "${ARGS[@]}")"
: >"$work/A.idle"; : >"$work/B.idle"
for ((start = 1; start <= STARTS; start++)); do
  if ((start % 2)); then idle_side A; idle_side B; else idle_side B; idle_side A; fi
done
for side in A B; do
  awk '{print $1}' "$work/$side.idle" >"$work/$side.rss"; awk '{print $2}' "$work/$side.idle" >"$work/$side.anon"
  echo "  $side IDLE VmRSS MiB: median $(summarise "$work/$side.rss"); Pss_Anon $(summarise "$work/$side.anon")"
done
