#!/usr/bin/env bash
# dnsperf against dnslab's recursor answering from its cache (the hit path) and, in the same run,
# Unbound answering the same names from its cache. Both iterate from the same lab root, both get
# one worker thread (our --threads 1, Unbound's num-threads 1). Loopback only; every daemon is
# stopped by PID.
#   bench/recursor/run.sh [SECONDS]        (default 10 s per measured run, after a warm-up)
# Unbound only asks upstream servers on port 53, so the lab authorities run on port 53 of
# 127.53.3.0/24 (root .11, TLD .12, authoritative .13); the two resolvers listen on port 5300.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-10}"
PORT=5300
LAB=127.53.3
OURS=127.53.4.53
UNBOUND_ADDR=127.53.5.53
work="$(mktemp -d /tmp/dnslab-bench-recursor.XXXXXX)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

for tool in dnsperf unbound dig java; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run scripts/install-test-deps.sh" >&2; exit 1; }
done
[ -f cli/target/dnslab.jar ] || ./mvnw -B -q install -DskipTests
[ -f recursor/target/dnslab-recursor-0.1.0-SNAPSHOT.jar ] || ./mvnw -B -q -pl recursor -am install -DskipTests
# Our jar first: a dnslab.jar built earlier may hold an older copy of the recursor.
CP="recursor/target/dnslab-recursor-0.1.0-SNAPSHOT.jar:cli/target/dnslab.jar"

cat > "$work/queries.txt" <<'Q'
www.google.com A
www.naver.com A
nosuch.google.com A
www.example.co.kr A
google.com MX
Q

# --- the lab's root, TLD and authoritative servers, on port 53 ----------------------------------
for role in root:RootNameServer:root tld:TldNameServer:tld authoritative:AuthoritativeNameServer:authoritative; do
  IFS=: read -r pkg main dir <<<"$role"
  java -Xmx128m -cp "$CP" "dev.dnslab.$pkg.$main" --lab-network "$LAB.0/24" --port 53 --admin-port 9255 \
    --threads 1 --zones "zones/$dir" >"$work/$pkg.log" 2>&1 &
  pids+=($!)
done

# --- dnslab recursor ---------------------------------------------------------------------------
java -Xms256m -Xmx256m -cp "$CP" dev.dnslab.recursor.RecursorMain \
  --address "$OURS" --port "$PORT" --upstream-port 53 --lab-network "$LAB.0/24" --admin-port 9254 \
  --doh-port -1 --dot-port -1 --threads 1 >"$work/ours.log" 2>&1 &
pids+=($!)

# --- Unbound -------------------------------------------------------------------------------------
printf '. 3600000 NS a.root-servers.net.\na.root-servers.net. 3600000 A %s.11\n' "$LAB" >"$work/root.hints"
cat >"$work/unbound.conf" <<CONF
server:
  interface: $UNBOUND_ADDR@$PORT
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

wait_for() { # addr port
  for _ in $(seq 1 150); do
    dig +short +time=1 +tries=1 @"$1" -p "$2" www.google.com 2>/dev/null | grep -q "$LAB.80" && return 0
    sleep 0.1
  done
  echo "server on $1:$2 did not answer" >&2; cat "$work"/*.log "$work"/*.out >&2 || true; exit 1
}
wait_for "$LAB.13" 53
wait_for "$OURS" "$PORT"
wait_for "$UNBOUND_ADDR" "$PORT"

# Fill both caches: every measured query is then a cache hit.
while read -r name type; do
  dig +short +time=2 +tries=1 @"$OURS" -p "$PORT" "$name" "$type" >/dev/null
  dig +short +time=2 +tries=1 @"$UNBOUND_ADDR" -p "$PORT" "$name" "$type" >/dev/null
done <"$work/queries.txt"

qps() { # addr seconds -> queries per second
  dnsperf -s "$1" -p "$PORT" -d "$work/queries.txt" -l "$2" -c 8 -q 256 2>&1 | tee "$work/dnsperf-$1.txt" |
    awk '/Queries per second/ {print int($4)}'
}
lost() { awk '/Queries lost/ {print $3, $4}' "$work/dnsperf-$1.txt"; }
rcodes() { sed -n 's/^ *Response codes: *//p' "$work/dnsperf-$1.txt"; }

qps "$OURS" 5 >/dev/null   # JIT warm-up for the JVM, same for both below
qps "$UNBOUND_ADDR" 2 >/dev/null
ours=$(qps "$OURS" "$SECONDS_PER_RUN");          ours_lost=$(lost "$OURS")
unbound=$(qps "$UNBOUND_ADDR" "$SECONDS_PER_RUN"); unbound_lost=$(lost "$UNBOUND_ADDR")

echo "dnslab recursor (cache hits): $ours qps, lost $ours_lost, rcodes $(rcodes "$OURS")"
echo "unbound         (cache hits): $unbound qps, lost $unbound_lost, rcodes $(rcodes "$UNBOUND_ADDR")"
awk -v a="$ours" -v b="$unbound" 'BEGIN { printf "ratio dnslab/unbound: %.2f (goal >= 0.50)\n", a / b }'
