#!/usr/bin/env bash
# What JVM options buy a role JVM, every option set in the same run, alternated (A B A B ...): one
# authoritative-ns and one recursor (--threads 1 each; ROLES=router: a router, forwarding to an
# authoritative-ns) per option set, all running at once. For each:
# the time from launch to the first answer, resident memory (VmRSS) idle, right after the load and
# after IDLE_SECS more (does the heap shrink back?), the load's queries per second and the CPU it
# cost per query (/proc/PID/stat: comparable even when other jobs load the machine; qps is not).
# One line of OPTION_SETS per set: the whole command line's JVM options; "none" = the JVM's own
# defaults; "@jvm.options" = the argument file every user's JVM starts with, which other options
# may follow to override it ("@jvm.options @jvm-authority.options": what the root, TLD and
# authoritative servers start with). A line may start with NAME=VALUE environment settings (e.g.
# MALLOC_ARENA_MAX=2, which is glibc's, not the JVM's).
#   bench/jvm-options.sh          ROUNDS=5 SECS=5 WARMUP_SECS=3 IDLE_SECS=10 ROLES="auth recursor"
#   ROLES=router bench/jvm-options.sh
#   OPTION_SETS=$'@jvm.options\n@jvm.options -XX:TieredStopAtLevel=1' bench/jvm-options.sh
source "$(dirname "$0")/lib.sh"
need dnsperf dig java
need_jar
IDLE_SECS="${IDLE_SECS:-10}" ROLES="${ROLES:-auth recursor}"   # which benches, in this order
LAB=127.53.3 PORT=5300
OPTION_SETS="${OPTION_SETS:-@jvm.options
@jvm.options -XX:TieredStopAtLevel=1}"
bench_init jvm-options "authoritative-ns and recursor per JVM option set: first answer, RSS, qps, CPU per query"
mapfile -t SETS < <(grep -v '^$' <<<"$OPTION_SETS")
declare -A ADDR=()
ms_now() { echo $(( $(date +%s%N) / 1000000 )); }

# start_with_set label set-index main args...: that option set's JVM (and environment) in the background
start_with_set() {
  local label="$1" i="$2" main="$3"; shift 3
  local opts="${SETS[$i]}" env=()
  [ "$opts" = none ] && opts=""
  while [[ "$opts" =~ ^([A-Z_]+=[^ ]*)\ *(.*)$ ]]; do env+=("${BASH_REMATCH[1]}"); opts="${BASH_REMATCH[2]}"; done
  # shellcheck disable=SC2086  # a list of options
  start_daemon "$label" env "${env[@]}" java ${opts//@jvm/@$BENCH_ROOT/jvm} -cp "$JAR" "$main" "$@"
}

first_answer() { # label expected-text t0-ms -> ms from t0 until it answers www.google.com
  local label="$1" expect="$2" t0="$3"
  until dig +short +time=1 +tries=1 @"${ADDR[$label]}" -p "$PORT" www.google.com 2>/dev/null | grep -q "$expect"; do
    (( $(ms_now) - t0 < 60000 )) || { echo "no answer from $label" >&2; tail "$work/$label.log" >&2; exit 1; }
  done
  echo $(( $(ms_now) - t0 ))
}

# measure label seconds -> qps; appends the CPU microseconds per answered query to $work/label.cpu
measure() {
  local label="$1" c0 c1 qps
  c0="$(cpu_seconds "$label")"
  qps="$(dnsperf_qps "$label" "${ADDR[$label]}" "$PORT" "$work/queries.txt" "$2" -c 8 -q 256)"
  c1="$(cpu_seconds "$label")"
  awk -v a="$c0" -v b="$c1" -v n="$(dnsperf_completed "$label")" \
    'BEGIN {printf "%.1f\n", (n > 0 ? (b - a) * 1e6 / n : 0)}' >>"$work/$label.cpu"
  echo "$qps"
}

# run_role role: the alternated rounds over every set's server of that role, then one line per set
run_role() {
  local role="$1" labels=() i l
  for i in "${!SETS[@]}"; do labels+=("$role-$i"); done
  sleep "$IDLE_SECS"
  for l in "${labels[@]}"; do rss_mib "$l" >"$work/$l.rss-idle"; : >"$work/$l.cpu"; done
  alternate measure "${labels[@]}"
  for l in "${labels[@]}"; do rss_mib "$l" >"$work/$l.rss-load"; done
  sleep "$IDLE_SECS"
  printf '  %-6s %7s %6s %6s %8s %-28s %-22s %s\n' set "1st ms" idle load "+${IDLE_SECS}s" "qps median (min-max)" \
    "us CPU/query" options
  for i in "${!SETS[@]}"; do
    l="$role-$i"
    tail -n "$ROUNDS" "$work/$l.cpu" >"$work/$l.cpu.values"
    printf '  %-6s %7s %6s %6s %8s %-28s %-22s %s\n' "$i" "$(cat "$work/$l.first")" "$(cat "$work/$l.rss-idle")" \
      "$(cat "$work/$l.rss-load")" "$(rss_mib "$l")" "$(summarise "$work/$l.values")" \
      "$(summarise "$work/$l.cpu.values" | cut -d, -f1))" "${SETS[$i]}"
  done
  # Every round's figure, not only the median: a set is better only if it is in most rounds.
  for i in "${!SETS[@]}"; do
    printf '  %-6s us CPU/query per round: %s\n' "$i" "$(paste -sd' ' "$work/$role-$i.cpu.values")"
  done
}

bench_auth() {
  local i l t0
  echo "-- authoritative-ns UDP (dnsperf -c 8 -q 256); RSS in MiB: idle, right after the load, ${IDLE_SECS}s later"
  printf 'www.google.com A\nwww.naver.com A\nnosuch.google.com A\nwww.example.co.kr A\ngoogle.com NS\n' >"$work/queries.txt"
  for i in "${!SETS[@]}"; do
    l="auth-$i"; ADDR[$l]="127.53.1.$((30 + i))"; t0="$(ms_now)"
    start_with_set "$l" "$i" dev.dnslab.authoritative.AuthoritativeNameServer --address "${ADDR[$l]}" --port "$PORT" \
      --admin-port 0 --threads 1 --zones zones/authoritative --state-dir "$work/state"
    first_answer "$l" 127.53.0.80 "$t0" >"$work/$l.first"
  done
  run_role auth
  for i in "${!SETS[@]}"; do stop_daemon "auth-$i"; done
}

# The recursors validate with the lab's keys, so they share the authorities' --state-dir.
bench_recursor() {
  local i l t0
  echo "-- recursor cache hits (dnsperf -c 8 -q 256); RSS in MiB as above"
  printf 'www.google.com A\nwww.naver.com A\nnosuch.google.com A\nwww.example.co.kr A\ngoogle.com MX\n' >"$work/queries.txt"
  start_lab_authorities "$LAB" zones --state-dir "$work/state"
  for i in "${!SETS[@]}"; do
    l="recursor-$i"; ADDR[$l]="127.53.4.$((30 + i))"; t0="$(ms_now)"
    start_with_set "$l" "$i" dev.dnslab.recursor.RecursorMain --address "${ADDR[$l]}" --port "$PORT" --upstream-port 53 \
      --lab-network "$LAB.0/24" --admin-port 0 --doh-port -1 --dot-port -1 --threads 1 --state-dir "$work/state"
    first_answer "$l" "$LAB.80" "$t0" >"$work/$l.first"
    dnsperf -s "${ADDR[$l]}" -p "$PORT" -d "$work/queries.txt" -n 1 >/dev/null 2>&1   # fill the cache
  done
  run_role recursor
}

# The router forwards to one authoritative-ns started as a user's is (start_dnslab): it answers
# the names the router caches; a recursor behind it would add nothing the router's cache hits see.
# Its admin port is fixed: with CDS=role, role_archive trains it until that port's /health answers.
bench_router() {
  local i l t0 upstream=127.53.5.13
  echo "-- router cache hits (dnsperf -c 8 -q 256); RSS in MiB as above"
  printf 'www.google.com A\nwww.naver.com A\nnosuch.google.com A\nwww.example.co.kr A\ngoogle.com NS\n' >"$work/queries.txt"
  start_dnslab router-upstream dev.dnslab.authoritative.AuthoritativeNameServer --address "$upstream" --port "$PORT" \
    --admin-port 9273 --threads 1 --zones zones/authoritative --state-dir "$work/state"
  wait_answer "$upstream" "$PORT" www.google.com 127.53.0.80
  for i in "${!SETS[@]}"; do
    l="router-$i"; ADDR[$l]="127.53.6.$((30 + i))"; t0="$(ms_now)"
    start_with_set "$l" "$i" dev.dnslab.router.RouterMain --address "${ADDR[$l]}" --port "$PORT" --admin-port 0 \
      --upstream "$upstream"
    first_answer "$l" 127.53.0.80 "$t0" >"$work/$l.first"
    dnsperf -s "${ADDR[$l]}" -p "$PORT" -d "$work/queries.txt" -n 1 >/dev/null 2>&1   # fill the cache
  done
  run_role router
  for i in "${!SETS[@]}"; do stop_daemon "router-$i"; done
  stop_daemon router-upstream
}

for role in $ROLES; do "bench_$role"; done
