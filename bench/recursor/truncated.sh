#!/usr/bin/env bash
# The recursor's truncated-UDP path: every query a new name under *.tc.example.org, a wildcard the
# bench copy of zones/ gives one TXT record of 1.5 KB, so the authority's UDP reply (the recursor
# advertises 1232 bytes) comes back truncated and the recursor asks again over a new TCP connection (RFC 7766
# 5): per answer one UDP query, one TCP exchange. Two recursors (A and B: two jars, or one jar twice
# with other options), --threads 1, in front of a lab of our root, TLD and authoritative servers
# from UPSTREAM_JAR (default: A's). dnsperf offers RATE queries a second (-n 1 -c 4 -q 64, a fresh
# name list every run) to one recursor at a time, WARMUP_SECS unmeasured each, then ROUNDS rounds of
# SECS, who goes first alternating; per run the rate answered and the recursor's CPU time per
# answer (user + system, /proc/PID/stat), which is what a truncated reply's TCP retry costs it.
#   bench/recursor/truncated.sh [A.jar [B.jar]]   ROUNDS=3 SECS=10 WARMUP_SECS=60 RATE=500
#   OPTIONS_A / OPTIONS_B: that side's argument files and options instead of its role's
# A minute of warm-up: after 30 s one side's first two rounds still cost ~430 us an answer against
# 240-300 later (2026-12-07), its JIT still compiling.
ROUNDS="${ROUNDS:-3}" SECS="${SECS:-10}" WARMUP_SECS="${WARMUP_SECS:-60}"
source "$(dirname "$0")/../lib.sh"
need dig java dnsperf
JAR_A="$(realpath "${1:-$JAR}")"; JAR_B="$(realpath "${2:-$JAR_A}")"
UPSTREAM_JAR="$(realpath "${UPSTREAM_JAR:-$JAR_A}")"
RATE="${RATE:-500}"
LAB="${LAB:-127.53.51}"
declare -A ADDR=([A]="$LAB.201" [B]="$LAB.202")
bench_init recursor-truncated "the recursor's TCP retry of truncated replies at $RATE qps: A = $JAR_A ${OPTIONS_A:-}, B = $JAR_B ${OPTIONS_B:-}; lab $UPSTREAM_JAR"

cp -r zones "$work/zones"
# One record of six 250-byte strings: over the 1232 bytes asked, yet one record a name to cache. With
# 100 A records instead (2026-12-07) the recursor's CPU per answer rose round after round, 1.1 to
# 1.5 ms, as its cache took 500,000 records a round: that measured the cache, not the TCP retry.
awk 'BEGIN { s = sprintf("%250s", ""); gsub(/ /, "x", s); printf "; bench: a reply too big for UDP\n*.tc 300 IN TXT";
  for (i = 1; i <= 6; i++) printf " \"%s\"", s; printf "\n" }' >>"$work/zones/authoritative/example.org.zone"
JAR="$UPSTREAM_JAR" CDS= start_lab_authorities "$LAB" "$work/zones" --state-dir "$work/state"
dig @"$LAB.13" +norec +ignore +bufsize=1232 probe.tc.example.org TXT | grep -q 'flags:.* tc' \
  || { echo "the authority's UDP reply for *.tc.example.org is not truncated" >&2; exit 1; }

for side in A B; do
  jar="JAR_$side"
  mapfile -t options < <(idle_side_options "$side" dev.dnslab.recursor.RecursorMain)
  # shellcheck disable=SC2086  # JAVA_OPTS_DNSLAB is a list of options
  start_daemon "recursor-$side" java "${options[@]}" $JAVA_OPTS_DNSLAB -cp "${!jar}" dev.dnslab.recursor.RecursorMain \
    --address "${ADDR[$side]}" --port 53 --upstream-port 53 --lab-network "$LAB.0/24" --admin-port 0 \
    --doh-port -1 --dot-port -1 --threads 1 --state-dir "$work/state"
done
for side in A B; do wait_answer "${ADDR[$side]}" 53 first.tc.example.org xxxxxxxxxx +tcp -t TXT; done

echo 0 >"$work/run"
# run side secs: one dnsperf run of new names against that side's recursor; prints the rate answered
run() {
  local n
  n=$(($(cat "$work/run") + 1)); echo "$n" >"$work/run"
  awk -v p="$1-$n" -v n=$((RATE * $2 + RATE)) 'BEGIN { for (i = 0; i < n; i++) printf "%s-%d.tc.example.org TXT\n", p, i }' \
    >"$work/names.txt"
  with_cpu "recursor-$1" "recursor-$1" dnsperf_qps "recursor-$1" "${ADDR[$1]}" 53 "$work/names.txt" "$2" -n 1 -c 4 -q 64 -Q "$RATE"
}
for side in A B; do run "$side" "$WARMUP_SECS" >/dev/null; done
alternate_sides run recursor
