#!/usr/bin/env bash
# Two builds of dnslab and the peer a user would pick instead, in the same run, alternated:
#   authoritative: dnslab A, dnslab B and NSD serving zones/authoritative;
#   recursor cache hits: dnslab A, dnslab B and Unbound, all iterating from one lab root.
# Every server gets one worker thread (NSD server-count 1, RRL off; Unbound num-threads 1). Each
# round runs dnsperf once against each server, in a rotating order so no server always goes first;
# the report gives the median queries per second with the lowest and highest run.
#
#   bench/compare-jars.sh A.jar B.jar [ROUNDS] [SECONDS]    (defaults: 5 rounds, 5 s per run)
#
# A and B are fat jars (`./mvnw -B -q package -DskipTests`, then copy the dnslab.jar somewhere).
# Loopback only; every daemon started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { sed -n '2,12p' "$0" >&2; exit 64; }
JAR_A="$(realpath "$1")"; JAR_B="$(realpath "$2")"
ROUNDS="${3:-5}"; SECS="${4:-5}"
PORT=5300
LAB=127.53.3
work="$(mktemp -d /tmp/dnslab-bench-compare.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for tool in dnsperf nsd unbound dig java; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-test-deps.sh" >&2; exit 1; }
done

wait_for() { # addr port expected-address-prefix
  for _ in $(seq 1 200); do
    dig +short +time=1 +tries=1 @"$1" -p "$2" www.google.com 2>/dev/null | grep -q "$3" && return 0
    sleep 0.1
  done
  echo "server on $1:$2 did not answer" >&2; tail -n 20 "$work"/*.log >&2 || true; exit 1
}
qps() { # addr queries-file seconds -> queries per second
  dnsperf -s "$1" -p "$PORT" -d "$2" -l "$3" -c 8 -q 256 2>&1 | awk '/Queries per second/ {print int($4)}'
}
# median, lowest, highest of the numbers on stdin
summary() { sort -n | awk '{v[NR]=$1} END { m = (NR % 2) ? v[(NR+1)/2] : int((v[NR/2]+v[NR/2+1])/2);
  printf "%9d qps  (min %d, max %d, %d runs)", m, v[1], v[NR], NR }'; }
# Runs ROUNDS rounds over the named servers ("label=addr" ...), rotating the order each round.
measure() { # queries-file label=addr...
  local queries="$1"; shift
  local servers=("$@") n=$# r i
  for s in "${servers[@]}"; do qps "${s#*=}" "$queries" 2 >/dev/null; done   # warm-up (JIT)
  for ((r = 0; r < ROUNDS; r++)); do
    for ((i = 0; i < n; i++)); do
      s="${servers[$(( (r + i) % n ))]}"
      qps "${s#*=}" "$queries" "$SECS" >>"$work/${s%%=*}.qps"
    done
  done
  for s in "${servers[@]}"; do printf '  %-22s %s\n' "${s%%=*}" "$(summary <"$work/${s%%=*}.qps")"; done
}

# --- authoritative: dnslab A, dnslab B, NSD ------------------------------------------------------
printf 'www.google.com A\nwww.naver.com A\nnosuch.google.com A\nwww.example.co.kr A\ngoogle.com NS\n' >"$work/auth.txt"
for x in A:127.53.1.13:9253 B:127.53.1.14:9263; do
  IFS=: read -r name addr admin <<<"$x"
  jar="$JAR_A"; [ "$name" = B ] && jar="$JAR_B"
  java -Xms256m -Xmx256m -cp "$jar" dev.dnslab.authoritative.AuthoritativeNameServer --address "$addr" \
    --port "$PORT" --admin-port "$admin" --threads 1 --zones zones/authoritative >"$work/auth-$name.log" 2>&1 &
  pids+=($!)
done
{
  printf 'server:\n  ip-address: 127.53.2.13@%s\n  server-count: 1\n  username: ""\n  chroot: ""\n' "$PORT"
  printf '  database: ""\n  zonelistfile: "%s/zone.list"\n  xfrdfile: "%s/xfrd.state"\n' "$work" "$work"
  printf '  pidfile: "%s/nsd.pid"\n  logfile: "%s/nsd.log"\n  rrl-ratelimit: 0\n  verbosity: 0\n' "$work" "$work"
  printf 'remote-control:\n  control-enable: no\n'
  for f in zones/authoritative/*.zone; do
    printf 'zone:\n  name: "%s"\n  zonefile: "%s"\n' "$(basename "$f" .zone)" "$PWD/$f"
  done
} >"$work/nsd.conf"
nsd-checkconf "$work/nsd.conf"
nsd -d -c "$work/nsd.conf" >"$work/nsd.out" 2>&1 &
pids+=($!)
for a in 127.53.1.13 127.53.1.14 127.53.2.13; do wait_for "$a" "$PORT" 127.53.0.80; done
echo "authoritative: dnsperf ${SECS}s x ${ROUNDS} rounds, 8 clients, 256 outstanding, one worker each, $(nproc) cores"
echo "  A = $JAR_A"
echo "  B = $JAR_B"
measure "$work/auth.txt" "dnslab-A=127.53.1.13" "dnslab-B=127.53.1.14" "NSD-$(nsd -v 2>&1 | awk 'NR==1{print $3}')=127.53.2.13"
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; pids=()

# --- recursor cache hits: dnslab A, dnslab B, Unbound --------------------------------------------
for role in root:RootNameServer:root tld:TldNameServer:tld authoritative:AuthoritativeNameServer:authoritative; do
  IFS=: read -r pkg main dir <<<"$role"
  java -Xmx128m -cp "$JAR_B" "dev.dnslab.$pkg.$main" --lab-network "$LAB.0/24" --port 53 --admin-port 9255 \
    --threads 1 --zones "zones/$dir" >"$work/$pkg.log" 2>&1 &
  pids+=($!)
done
for x in A:127.53.4.53:9254 B:127.53.4.54:9264; do
  IFS=: read -r name addr admin <<<"$x"
  jar="$JAR_A"; [ "$name" = B ] && jar="$JAR_B"
  java -Xms256m -Xmx256m -cp "$jar" dev.dnslab.recursor.RecursorMain --address "$addr" --port "$PORT" \
    --upstream-port 53 --lab-network "$LAB.0/24" --admin-port "$admin" --doh-port -1 --dot-port -1 --threads 1 \
    >"$work/rec-$name.log" 2>&1 &
  pids+=($!)
done
printf '. 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A %s.11\n' "$LAB" >"$work/root.hints"
cat >"$work/unbound.conf" <<CONF
server:
  interface: 127.53.5.53@$PORT
  port: $PORT
  num-threads: 1
  do-daemonize: no
  chroot: ""
  username: ""
  directory: "$work"
  pidfile: "$work/unbound.pid"
  use-syslog: no
  logfile: "$work/unbound.log"
  verbosity: 0
  do-ip6: no
  do-not-query-localhost: no
  access-control: 127.0.0.0/8 allow
  root-hints: "$work/root.hints"
  module-config: "iterator"
remote-control:
  control-enable: no
CONF
unbound-checkconf "$work/unbound.conf" >/dev/null
unbound -d -c "$work/unbound.conf" >"$work/unbound.out" 2>&1 &
pids+=($!)
printf 'www.google.com A\nwww.naver.com A\nnosuch.google.com A\nwww.example.co.kr A\ngoogle.com MX\n' >"$work/rec.txt"
wait_for "$LAB.13" 53 "$LAB.80"
for a in 127.53.4.53 127.53.4.54 127.53.5.53; do
  wait_for "$a" "$PORT" "$LAB.80"
  while read -r name type; do dig +short +time=2 +tries=1 @"$a" -p "$PORT" "$name" "$type" >/dev/null; done <"$work/rec.txt"
done
echo "recursor cache hits: dnsperf ${SECS}s x ${ROUNDS} rounds, 8 clients, 256 outstanding, one worker each"
measure "$work/rec.txt" "recursor-A=127.53.4.53" "recursor-B=127.53.4.54" "Unbound-$(unbound -V | awk 'NR==1{print $2}')=127.53.5.53"
