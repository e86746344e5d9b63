#!/usr/bin/env bash
# The router forwarding cache misses: two routers (A and B: two jars, or one jar twice with other
# options), each with --cache-size 1 so nearly every query of a list of NAMES names that do not
# exist is a miss forwarded to the recursor, in front of a lab of our root, TLD and authoritative
# servers and recursor on loopback, all from UPSTREAM_JAR (default: A's), which answers them from its
# warm cache. Both routers run jvm.options (as `dnslab up` and the image start them), --threads 1.
# dnsperf offers RATE queries a second (-c 4 -q 64) to one router at a time, WARMUP_SECS unmeasured
# each, then ROUNDS rounds of SECS, who goes first alternating; per run the rate answered and the
# router's CPU time per answer (user + system, /proc/PID/stat), which is what a forwarded miss costs
# the router, beside its resident memory after the load.
#   bench/router/forward.sh [A.jar [B.jar]]   ROUNDS=3 SECS=10 WARMUP_SECS=10 RATE=3000 NAMES=500
#   OPTIONS_A / OPTIONS_B: that side's argument files and options instead of jvm.options
# Set before lib.sh, whose defaults (5 rounds of 5 s, 3 s of warm-up) would win: a router's first
# seconds of misses are mostly its JIT compiling (2026-12-07: 302 us per answer after 3 s, 178 later).
# Measured and left out: forwarding on epoll from a bare socket registered with the loop (the
# recursor's upstream socket code moved into core and used by DnsQuestion) instead of a connected
# DatagramChannel per question. 4 runs alternated (2026-12-07, base c33e848), run medians bare /
# channel: 73.0/92.7, 102.0/76.7, 80.3/78.7, 88.3/99.3 us per answer; all 12 rounds' median 84.3
# against 84.5, the bare socket lower in 7 of 12 rounds: no difference this script can see, where
# its rounds spread 61-113 us. The recursor (bench/recursor/run.sh PARTS=miss-unsigned, 1 pair)
# was unchanged: 34.9 against 38.0 us per answer, Unbound 31.4 and 31.1 in the same runs.
ROUNDS="${ROUNDS:-3}" SECS="${SECS:-10}" WARMUP_SECS="${WARMUP_SECS:-10}"
source "$(dirname "$0")/../lib.sh"
need dig java dnsperf
JAR_A="$(realpath "${1:-$JAR}")"; JAR_B="$(realpath "${2:-$JAR_A}")"
UPSTREAM_JAR="$(realpath "${UPSTREAM_JAR:-$JAR_A}")"
RATE="${RATE:-3000}" NAMES="${NAMES:-500}"
LAB="${LAB:-127.53.49}"
declare -A ADDR=([A]="$LAB.201" [B]="$LAB.202")
bench_init router-forward "the router forwarding misses at $RATE qps: A = $JAR_A ${OPTIONS_A:-}, B = $JAR_B ${OPTIONS_B:-}; upstream lab $UPSTREAM_JAR"

JAR="$UPSTREAM_JAR" CDS= start_lab_authorities "$LAB" zones --state-dir "$work/state"
JAR="$UPSTREAM_JAR" CDS= start_dnslab_recursor upstream-recursor "$LAB.53" 53 0 "$LAB" --state-dir "$work/state"
wait_answer "$LAB.53" 53 www.google.com "$LAB.80"
awk -v n="$NAMES" 'BEGIN { for (i = 1; i <= n; i++) printf "miss%05d.example.co.kr A\n", i }' >"$work/names.txt"

for side in A B; do
  jar="JAR_$side"
  mapfile -t options < <(idle_side_options "$side" dev.dnslab.router.RouterMain)
  # shellcheck disable=SC2086  # JAVA_OPTS_DNSLAB is a list of options
  start_daemon "router-$side" java "${options[@]}" $JAVA_OPTS_DNSLAB -cp "${!jar}" dev.dnslab.router.RouterMain \
    --address "${ADDR[$side]}" --upstream "$LAB.53" --cache-size 1
done
for side in A B; do wait_answer "${ADDR[$side]}" 53 www.google.com "$LAB.80"; done
echo "idle before the load: A $(rss_with_peak router-A), B $(rss_with_peak router-B)"

# run side secs: one dnsperf run against that side's router; prints the rate answered
run() { with_cpu "router-$1" "router-$1" dnsperf_qps "router-$1" "${ADDR[$1]}" 53 "$work/names.txt" "$2" -c 4 -q 64 -Q "$RATE"; }
for side in A B; do run "$side" "$WARMUP_SECS" >/dev/null; done
alternate_sides run router
