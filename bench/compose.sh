#!/usr/bin/env bash
# The container lab as a user starts it (docker-compose.yml, images already built, so a warm image
# cache): seconds from `up -d` until every role's health check passes, then, after IDLE_SECS of
# idling, each container's memory (its processes' resident set, VmRSS, and proportional set size,
# Pss, summed, and Docker's own figure) and the stack's totals. Then `down -v`.
#   bench/compose.sh            STARTS=1 IDLE_SECS=30 STATE=fresh
# STATE=fresh: every start on new volumes, a user's first `up` (the web server or the recursor makes
# the lab CA, the authorities their DNSSEC keys). STATE=kept: the first start so, then `down` without
# -v between starts, so the others find the lab-state volume as a user's later `up` does; creating
# the CA loads classes a start that finds it never does (see docker/train-cds.sh), so the two differ.
# From the same instant, dig asks the published recursor for www.google.com's A record every
# PROBE_SECS (dig +time=1 +tries=1, what a learner types while the lab comes up): the seconds until
# the first NOERROR answer with an A record ("the lab answers after X s") and how many SERVFAILs
# (each cached by the recursor for 5 s) and unanswered tries came before it; every reply is logged.
# The recursor then has validated www.google.com (BouncyCastle's EC classes, the JIT's code for it),
# so it idles ~2 MiB higher than with the script before the probe: 67 against 65 MiB, the images
# CI built from ecbed40, STATE=kept, 3 and 2 starts (2026-12-07).
# LAB_COMPOSE_FILE: another checkout's docker-compose.yml, to compare two files on the same images.
# Build the images first: `docker compose build` (or scripts/build-images.sh without a registry).
# Uses the project name dnslab-bench, so a lab you run yourself is not touched; the compose subnet
# 172.28.53.0/24 must be free (no other compose lab up).
source "$(dirname "$0")/lib.sh"
need docker dig
STARTS="${STARTS:-1}" IDLE_SECS="${IDLE_SECS:-30}" STATE="${STATE:-fresh}" PROBE_SECS="${PROBE_SECS:-0.2}"
LAB_COMPOSE_FILE="${LAB_COMPOSE_FILE:-$BENCH_ROOT/docker-compose.yml}" DNS_PORT="${DNSLAB_DNS_PORT:-1053}"
case "$STATE" in fresh | kept) ;; *) echo "STATE=$STATE (expected: fresh or kept)" >&2; exit 64 ;; esac
if docker compose version >/dev/null 2>&1; then compose=(docker compose); else need docker-compose; compose=(docker-compose); fi
compose+=(-p dnslab-bench -f "$LAB_COMPOSE_FILE")
ROLES=(root-ns tld-ns authoritative-ns recursor web-server router)
bench_init compose "${compose[*]} up -d: seconds until healthy; memory after ${IDLE_SECS}s idle" none
echo "compose: $("${compose[@]}" version 2>&1 | head -1); volumes: $STATE; file: $LAB_COMPOSE_FILE ($(sha256sum <"$LAB_COMPOSE_FILE" | cut -c1-12))"
compose_down() { "${compose[@]}" down -v --remove-orphans >/dev/null 2>&1 || true; }
trap 'kill "${probe:-}" 2>/dev/null || true; compose_down; bench_cleanup' EXIT

healthy_count() { # -> how many of ROLES report healthy: one `ps` and one `docker inspect` a poll,
  # as compose v1's `ps` takes ~0.4 s a call: a `ps` per role put ~3 s of the script's own into the
  # healthy time (two timed starts, 2026-12-06: every role's first health check had passed when
  # `up -d` returned, after 8.7-9.0 s; the polls then read them healthy 0.5-3.2 s later)
  local ids
  mapfile -t ids < <("${compose[@]}" ps -q "${ROLES[@]}" 2>/dev/null)
  ((${#ids[@]})) || { echo 0; return; }
  docker inspect -f '{{.State.Health.Status}}' "${ids[@]}" 2>/dev/null | grep -c '^healthy$'
}

# probe_first_answer t0 log: dig the published recursor every PROBE_SECS until a NOERROR answer
# with an A record; one line a try: ms since t0, then the rcode, `refused` (nothing listens behind
# the port yet) or `timeout` (no reply within 1 s). Gives up after 120 s.
probe_first_answer() {
  local t0=$1 out ms rcode
  while :; do
    out="$(dig @127.0.0.1 -p "$DNS_PORT" www.google.com A +time=1 +tries=1 +noall +comments +answer 2>&1 || true)"
    ms=$((($(date +%s%N) - t0) / 1000000))
    rcode="$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out")"
    [ -n "$rcode" ] || { grep -q 'connection refused' <<<"$out" && rcode=refused || rcode=timeout; }
    echo "$ms $rcode" >>"$2"
    [ "$rcode" = NOERROR ] && grep -q $'\tA\t' <<<"$out" && return
    ((ms < 120000)) || return
    sleep "$PROBE_SECS"
  done
}

# container_mib id file field -> that /proc/PID/file field (kB) of every process in the container,
# summed, in MiB: VmRSS of status counts a page shared by several JVMs (libjvm, the CDS archives of
# one image layer) in each of them; Pss of smaps_rollup splits it between them.
container_mib() {
  local p total=0
  for p in $(docker top "$1" -eo pid | tail -n +2); do
    total=$((total + $(awk -v f="$3:" '$1 == f {print $2}' "/proc/$p/$2" 2>/dev/null || echo 0)))
  done
  echo $((total / 1024))
}

: >"$work/secs.values"; : >"$work/rss.values"; : >"$work/pss.values"
: >"$work/answer.values"; : >"$work/servfail.values"; : >"$work/up.values"
for ((i = 1; i <= STARTS; i++)); do
  if [ "$STATE" = kept ] && ((i > 1)); then "${compose[@]}" down --remove-orphans >/dev/null 2>&1 || true; else compose_down; fi
  : >"$work/probe.log"
  t0="$(date +%s%N)"
  probe_first_answer "$t0" "$work/probe.log" &
  probe=$!
  "${compose[@]}" up -d --no-build >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; exit 1; }
  up_secs="$(awk -v ns=$(($(date +%s%N) - t0)) 'BEGIN {printf "%.1f", ns / 1e9}')"
  until [ "$(healthy_count)" = "${#ROLES[@]}" ]; do
    (( ($(date +%s%N) - t0) / 1000000000 < 120 )) || { echo "not healthy within 120 s" >&2; "${compose[@]}" ps >&2; exit 1; }
    sleep 0.5
  done
  secs="$(awk -v ns=$(($(date +%s%N) - t0)) 'BEGIN {printf "%.1f", ns / 1e9}')"
  wait "$probe" || true
  echo "  start $i: dig (ms since up -d, rcode): $(paste -sd' ' "$work/probe.log" | sed 's/\([0-9]\) \([a-zA-Z]\)/\1:\2/g')"
  read -r answer servfails noreplies < <(awk '$2 == "NOERROR" {printf "%.1f %d %d\n", $1 / 1000, s, n; found = 1; exit}
    $2 == "SERVFAIL" {s++} $2 == "refused" || $2 == "timeout" {n++} END {if (!found) print "none", s + 0, n + 0}' "$work/probe.log")
  printf '  start %d: up -d returned after %s s; first answer after %s s (%s SERVFAIL, %s unanswered before it)\n' \
    "$i" "$up_secs" "$answer" "$servfails" "$noreplies"
  echo "$answer" >>"$work/answer.values"; echo "$servfails" >>"$work/servfail.values"; echo "$up_secs" >>"$work/up.values"
  sleep "$IDLE_SECS"
  total=0 total_pss=0
  printf '  start %d: healthy after %s s; after %s s idle:\n' "$i" "$secs" "$IDLE_SECS"
  for id in $("${compose[@]}" ps -q); do
    name="$(docker inspect -f '{{.Name}}' "$id")"
    rss="$(container_mib "$id" status VmRSS)"; pss="$(container_mib "$id" smaps_rollup Pss)"
    printf '    %-36s VmRSS %4s MiB   Pss %4s MiB   docker stats %s\n' "${name#/}" "$rss" "$pss" \
      "$(docker stats --no-stream --format '{{.MemUsage}}' "$id" | cut -d/ -f1)"
    total=$((total + rss)) total_pss=$((total_pss + pss))
  done
  echo "  start $i: stack VmRSS total ${total} MiB, Pss total ${total_pss} MiB"
  echo "$secs" >>"$work/secs.values"; echo "$total" >>"$work/rss.values"; echo "$total_pss" >>"$work/pss.values"
done
echo "  UP -d RETURNED s: median $(summarise "$work/up.values")"
echo "  FIRST ANSWER s: median $(summarise "$work/answer.values")"
echo "  SERVFAILS before it: median $(summarise "$work/servfail.values")"
echo "  HEALTHY s: median $(summarise "$work/secs.values")"
echo "  STACK VmRSS MiB idle: median $(summarise "$work/rss.values")"
echo "  STACK Pss MiB idle: median $(summarise "$work/pss.values")"
