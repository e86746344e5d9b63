#!/usr/bin/env bash
# Authoritative answers with DO set (DNSSEC): dnslab's authoritative-ns signing zones/authoritative
# with the lab's policy, and NSD serving the same zones exported signed by `dnslab zones export
# --signed` (NSD serves pre-signed zones; both use the same keys). Same run, alternated: each round
# runs dnsperf -D once against each server, in a rotating order; the report gives the median
# queries per second (with the lowest and highest run) and the ratio dnslab / NSD.
# One worker each (our --threads 1, NSD server-count 1), NSD's response rate limiting off.
#
#   bench/authoritative/dnssec.sh [ROUNDS] [SECONDS]     (defaults: 5 rounds, 5 s per run)
#
# Needs cli/target/dnslab.jar (./mvnw -B -pl cli -am package -DskipTests). Loopback only; every
# daemon started here is stopped by its PID; keys live in a temporary state folder.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS="${1:-5}"; SECS="${2:-5}"
PORT=5300
OURS=127.53.1.13
NSD_ADDR=127.53.2.13
JAR=cli/target/dnslab.jar
work="$(mktemp -d /tmp/dnslab-bench-dnssec.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for tool in dnsperf nsd nsd-checkconf dig java; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-test-deps.sh" >&2; exit 1; }
done
[ -f "$JAR" ] || { echo "missing $JAR: ./mvnw -B -pl cli -am package -DskipTests" >&2; exit 1; }

# A positive answer, a CNAME into an unsigned zone, an NSEC NXDOMAIN, an NSEC3 answer, an NS set,
# an NSEC3 wildcard: each response carries RRSIGs or denial proofs.
cat >"$work/queries.txt" <<'Q'
www.google.com A
www.naver.com A
nosuch.google.com A
www.example.co.kr A
google.com NS
x.blog.example.co.kr A
Q

java -jar "$JAR" zones export --signed "$work/signed" --state-dir "$work/state" --zones zones >/dev/null
java -Xms256m -Xmx256m -cp "$JAR" dev.dnslab.authoritative.AuthoritativeNameServer --address "$OURS" \
  --port "$PORT" --admin-port 9253 --threads 1 --zones zones/authoritative --state-dir "$work/state" \
  >"$work/ours.log" 2>&1 &
pids+=($!)
{
  printf 'server:\n  ip-address: %s@%s\n  server-count: 1\n  username: ""\n  chroot: ""\n' "$NSD_ADDR" "$PORT"
  printf '  database: ""\n  zonelistfile: "%s/zone.list"\n  xfrdfile: "%s/xfrd.state"\n' "$work" "$work"
  printf '  pidfile: "%s/nsd.pid"\n  logfile: "%s/nsd.log"\n  rrl-ratelimit: 0\n  verbosity: 0\n' "$work" "$work"
  printf 'remote-control:\n  control-enable: no\n'
  for f in zones/authoritative/*.zone; do
    z="$(basename "$f" .zone)"
    printf 'zone:\n  name: "%s"\n  zonefile: "%s/signed/%s.zone"\n' "$z" "$work" "$z"
  done
} >"$work/nsd.conf"
nsd-checkconf "$work/nsd.conf"
nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
pids+=($!)

wait_for_signed() { # addr: answers www.google.com with its RRSIG
  for _ in $(seq 1 200); do
    dig +dnssec +time=1 +tries=1 @"$1" -p "$PORT" www.google.com 2>/dev/null | grep -q 'RRSIG.*A 13 3' && return 0
    sleep 0.1
  done
  echo "server on $1 did not answer with RRSIG" >&2; tail -n 20 "$work"/*.log "$work"/*.out >&2 || true; exit 1
}
wait_for_signed "$OURS"
wait_for_signed "$NSD_ADDR"

qps() { # addr seconds -> queries per second (dnsperf's report kept for the response codes)
  dnsperf -D -s "$1" -p "$PORT" -d "$work/queries.txt" -l "$2" -c 8 -q 256 >"$work/dnsperf-$1.txt" 2>&1
  awk '/Queries per second/ {print int($4)}' "$work/dnsperf-$1.txt"
}
# Both must give the same answers, or the comparison measures an error path.
codes() { awk '/Response codes/ {sub(/^ *Response codes: */, ""); print}' "$work/dnsperf-$1.txt"; }
average_size() { awk '/Average packet size/ {print $NF}' "$work/dnsperf-$1.txt"; }
median() { sort -n | awk '{v[NR]=$1} END { print (NR % 2) ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2) }'; }
summary() { sort -n | awk '{v[NR]=$1} END { m = (NR % 2) ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2);
  printf "%9d qps  (min %d, max %d, %d runs)", m, v[1], v[NR], NR }'; }

qps "$OURS" 3 >/dev/null       # JIT warm-up
qps "$NSD_ADDR" 2 >/dev/null
servers=("dnslab=$OURS" "NSD-$(nsd -v 2>&1 | awk 'NR==1{print $3}')=$NSD_ADDR")
for ((r = 0; r < ROUNDS; r++)); do
  for ((i = 0; i < 2; i++)); do
    s="${servers[$(( (r + i) % 2 ))]}"
    qps "${s#*=}" "$SECS" >>"$work/${s%%=*}.qps"
  done
done
echo "authoritative with DO (dnsperf -D): ${SECS}s x ${ROUNDS} rounds, 8 clients, 256 outstanding, one worker each, $(nproc) cores"
for s in "${servers[@]}"; do
  printf '  %-14s %s\n' "${s%%=*}" "$(summary <"$work/${s%%=*}.qps")"
  printf '  %-14s last run: %s; average response %s bytes\n' "" "$(codes "${s#*=}")" "$(average_size "${s#*=}")"
done
ours="$(median <"$work/dnslab.qps")"; theirs="$(median <"$work/${servers[1]%%=*}.qps")"
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "  ratio dnslab / NSD: %.2f\n", (b > 0 ? a / b : 0) }'
