#!/usr/bin/env bash
# Two builds of dnslab and the peer a user would pick instead, in the same run, alternated
# (see bench/lib.sh): authoritative UDP (dnslab A, dnslab B, NSD serving zones/authoritative), then
# recursor cache hits (dnslab A, dnslab B, Unbound, all iterating from one lab root built from B,
# none validating: Unbound runs its iterator alone, and ours get --no-dnssec where they have it).
#   bench/compare-jars.sh A.jar B.jar        ROUNDS=5 SECS=5 WARMUP_SECS=3
# A and B are fat jars (`./mvnw -B -q -pl cli -am package -DskipTests`, then copy cli/target/dnslab.jar).
[ $# -ge 2 ] || { sed -n '2,6p' "$0" >&2; exit 64; }
JAR_A="$(realpath "$1")"; JAR_B="$(realpath "$2")"
source "$(dirname "$0")/lib.sh"
need dnsperf nsd nsd-checkconf unbound unbound-checkconf dig java
JAR="$JAR_B"
LAB=127.53.3 PORT=5300
declare -A ADDR=([dnslab-A]=127.53.1.13 [dnslab-B]=127.53.1.14 [NSD]=127.53.2.13
  [recursor-A]=127.53.4.53 [recursor-B]=127.53.4.54 [Unbound]=127.53.5.53)
# cpu_rounds label...: each server's CPU time per answer in every measured round, then the medians
cpu_rounds() {
  local l
  for l in "$@"; do echo "  $l CPU us per answer, each round: $(tail -n "$ROUNDS" "$work/$l.cpu" | tr '\n' ' ')"; done
  cpu_report "$@"
}
bench_init compare-jars "A = $JAR_A, B = $JAR_B"
# Each round also records the server's CPU time per answer (bench/lib.sh's with_cpu): qps moves with
# whatever else the machine runs, CPU per answer much less.
measure() { with_cpu "$1" "$1" dnsperf_qps "$1" "${ADDR[$1]}" "$PORT" "$work/queries.txt" "$2" -c 8 -q 256; }

echo "-- authoritative (dnsperf -c 8 -q 256), NSD $(nsd_version)"
printf 'www.google.com A\nwww.naver.com A\nnosuch.google.com A\nwww.example.co.kr A\ngoogle.com NS\n' >"$work/queries.txt"
JAR="$JAR_A" start_dnslab dnslab-A dev.dnslab.authoritative.AuthoritativeNameServer --address "${ADDR[dnslab-A]}" \
  --port "$PORT" --admin-port 9253 --threads 1 --zones zones/authoritative --state-dir "$work/state"
start_dnslab dnslab-B dev.dnslab.authoritative.AuthoritativeNameServer --address "${ADDR[dnslab-B]}" \
  --port "$PORT" --admin-port 9263 --threads 1 --zones zones/authoritative --state-dir "$work/state"
start_nsd NSD "${ADDR[NSD]}" "$PORT" zones/authoritative
for s in dnslab-A dnslab-B NSD; do wait_answer "${ADDR[$s]}" "$PORT" www.google.com 127.53.0.80 +short; done
alternate measure dnslab-A dnslab-B NSD
ratio_report dnslab-B dnslab-A
ratio_report dnslab-B NSD
cpu_rounds dnslab-A dnslab-B NSD
for s in dnslab-A dnslab-B NSD; do stop_daemon "$s"; done

echo "-- recursor cache hits (dnsperf -c 8 -q 256), Unbound $(unbound_version)"
printf 'www.google.com A\nwww.naver.com A\nnosuch.google.com A\nwww.example.co.kr A\ngoogle.com MX\n' >"$work/queries.txt"
start_lab_authorities "$LAB" zones --state-dir "$work/state"
# The same work for all three: Unbound only iterates, so ours must not validate either. Left to
# their default, ours validated from the lab keys of ~/.dnslab (no --state-dir), which are not the
# keys this lab signs with: every answer SERVFAIL, A and B compared on failures, not on cache hits.
# A jar from before --no-dnssec did not validate at all.
no_dnssec() { java -cp "$1" dev.dnslab.recursor.RecursorMain --help 2>&1 | grep -q -- --no-dnssec && echo --no-dnssec; }
JAR="$JAR_A" start_dnslab_recursor recursor-A "${ADDR[recursor-A]}" "$PORT" 9254 "$LAB" --state-dir "$work/state" \
  $(no_dnssec "$JAR_A")
start_dnslab_recursor recursor-B "${ADDR[recursor-B]}" "$PORT" 9264 "$LAB" --state-dir "$work/state" \
  $(no_dnssec "$JAR_B")
start_unbound Unbound "${ADDR[Unbound]}" "$PORT" "$LAB" 'module-config: "iterator"'
for s in recursor-A recursor-B Unbound; do
  wait_answer "${ADDR[$s]}" "$PORT" www.google.com "$LAB.80" +short
  dnsperf -s "${ADDR[$s]}" -p "$PORT" -d "$work/queries.txt" -n 1 >/dev/null 2>&1   # fill the cache
done
alternate measure recursor-A recursor-B Unbound
for s in recursor-A recursor-B Unbound; do echo "  $s last run: rcodes $(dnsperf_rcodes "$s")"; done
ratio_report recursor-B recursor-A
ratio_report recursor-B Unbound
cpu_rounds recursor-A recursor-B Unbound
